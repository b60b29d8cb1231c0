// run_training end to end on a real SQLite file with the real algorithms.
#include "train/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/ids.h"
#include "data/demo_data.h"
#include "train/training_test_data.h"

namespace traind::train {
namespace {

using nlohmann::json;
using testing::TrainingRun;

void expect_seed_fields(const json& r) {
  for (const char* field : {"metrics", "feature_importance", "training_duration_seconds",
                            "data_summary", "timings", "model", "training_bom"}) {
    EXPECT_TRUE(r.contains(field)) << field;
  }
  for (const char* field :
       {"total_samples", "train_samples", "test_samples", "dropped_rows", "columns"}) {
    EXPECT_TRUE(r["data_summary"].contains(field)) << field;
  }
  for (const char* phase : {"loading_data", "preprocessing", "training", "evaluating", "saving"}) {
    EXPECT_TRUE(r["timings"].contains(phase)) << phase;
  }
  for (const char* field :
       {"algorithm", "format", "file", "size_bytes", "sha256", "feature_schema"}) {
    EXPECT_TRUE(r["model"].contains(field)) << field;
  }
  const json& s = r["data_summary"];
  EXPECT_EQ(s["train_samples"].get<int>() + s["test_samples"].get<int>(),
            s["total_samples"].get<int>());
  EXPECT_GE(r["training_duration_seconds"].get<double>(), 0.0);
}

void expect_importances_over_columns(const json& importance, const std::set<std::string>& columns) {
  double sum = 0;
  std::set<std::string> keys;
  for (const auto& [name, share] : importance.items()) {
    keys.insert(name);
    EXPECT_GE(share.get<double>(), 0.0);
    sum += share.get<double>();
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_EQ(keys, columns);
}

TEST(RunTraining, TrainsXgboostClassificationWithEverySeedField) {
  TrainingRun run;
  auto result = run_training(testing::classification_config(), run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const json& r = result.value();
  expect_seed_fields(r);

  // 400 rows, 6 without a label (i % 67 == 3); n_test = ceil(0.2 * 394) = 79.
  EXPECT_EQ(r["data_summary"]["total_samples"], 394);
  EXPECT_EQ(r["data_summary"]["dropped_rows"], 6);
  EXPECT_EQ(r["data_summary"]["test_samples"], 79);
  EXPECT_EQ(r["data_summary"]["columns"]["notes"]["type"], "text");
  EXPECT_EQ(r["data_summary"]["columns"]["contract_type"]["type"], "categorical");
  EXPECT_EQ(r["data_summary"]["columns"]["paperless"]["type"], "boolean");
  EXPECT_EQ(r["data_summary"]["columns"]["signup_date"]["type"], "datetime");
  EXPECT_EQ(r["data_summary"]["columns"]["total_charges"]["missing"], 10);

  const json& m = r["metrics"];
  for (const char* metric :
       {"accuracy", "precision", "recall", "f1_score", "auc_roc", "log_loss"}) {
    ASSERT_TRUE(m.contains(metric)) << metric;
  }
  EXPECT_EQ(m["averaging"], "binary");
  EXPECT_EQ(m["labels"], json::parse(R"(["0", "1"])"));
  long long cm_total = 0;
  for (const auto& row : m["confusion_matrix"]) {
    for (const auto& cell : row) cm_total += cell.get<long long>();
  }
  EXPECT_EQ(cm_total, r["data_summary"]["test_samples"].get<long long>());
  EXPECT_GT(m["auc_roc"].get<double>(), 0.75);  // the label follows a learnable rule

  // The free-text column is dropped; importances are keyed by the other input columns.
  expect_importances_over_columns(
      r["feature_importance"],
      {"tenure", "monthly_charges", "total_charges", "contract_type", "paperless", "signup_date"});
  EXPECT_EQ(r["training_bom"]["dataset_info"]["size"], 400);
  EXPECT_EQ(r["training_bom"]["feature_info"]["selected_features"].size(), 6u);
  EXPECT_EQ(r["training_bom"]["feature_info"]["original_features"].size(), 9u);

  // Curves for plotting: every point of the test part's ROC (fewer than 200 here).
  const json& roc = r["curves"]["roc"];
  EXPECT_EQ(r["curves"]["positive_label"], "1");
  EXPECT_EQ(roc["fpr"].size(), roc["tpr"].size());
  EXPECT_EQ(roc["fpr"].back(), 1.0);
  EXPECT_LE(roc["fpr"].size(), 200u);
  EXPECT_FALSE(r["curves"]["calibration"]["count"].empty());

  // Model bundle on disk, and the reported size and digest are the artifact's.
  const std::string artifact = run.model_dir + "/" + r["model"]["file"].get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(artifact));
  EXPECT_TRUE(std::filesystem::exists(run.model_dir + "/preprocess.json"));
  EXPECT_TRUE(std::filesystem::exists(run.model_dir + "/model_meta.json"));
  EXPECT_EQ(r["model"]["size_bytes"].get<uintmax_t>(), std::filesystem::file_size(artifact));
  EXPECT_EQ(r["model"]["sha256"], sha256_file_hex(artifact));
  EXPECT_EQ(r["model"]["algorithm"], "xgboost");

  // Every phase was announced, training with iteration progress.
  std::set<std::string> phases;
  bool saw_iteration = false, saw_text_warning = false;
  for (const json& e : run.events) {
    if (e["type"] == "progress") {
      phases.insert(e["phase"].get<std::string>());
      if (e["phase"] == "training" && e.contains("iteration")) {
        saw_iteration = true;
        EXPECT_EQ(e["total_iterations"], 20);
        EXPECT_TRUE(e.contains("eta_seconds"));
      }
    }
    if (e["type"] == "log" &&
        e["message"].get<std::string>().find("notes looks like free text") != std::string::npos) {
      saw_text_warning = true;
    }
  }
  EXPECT_EQ(phases, (std::set<std::string>{"loading_data", "preprocessing", "training",
                                           "evaluating", "saving"}));
  EXPECT_TRUE(saw_iteration);
  EXPECT_TRUE(saw_text_warning);
}

TEST(RunTraining, TrainsLinearRegression) {
  TrainingRun run;
  auto result = run_training(testing::regression_config(), run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const json& r = result.value();
  expect_seed_fields(r);
  for (const char* metric : {"rmse", "mae", "r2", "mape"})
    EXPECT_TRUE(r["metrics"].contains(metric)) << metric;
  EXPECT_GT(r["metrics"]["r2"].get<double>(), 0.9);   // the value is linear in the features
  EXPECT_EQ(r["data_summary"]["test_samples"], 100);  // ceil(0.25 * 400)
  EXPECT_FALSE(r["data_summary"].contains("class_balance"));
  expect_importances_over_columns(r["feature_importance"],
                                  {"tenure", "monthly_charges", "contract_type", "paperless"});
  // Every test row's predicted/actual pair (100 <= 500).
  EXPECT_EQ(r["curves"]["predicted_vs_actual"]["actual"].size(), 100u);
  EXPECT_EQ(r["curves"]["predicted_vs_actual"]["predicted"].size(), 100u);
}

TEST(RunTraining, TrainsMulticlassLogisticRegressionWithWeightedAveraging) {
  TrainingRun run;
  auto result = run_training(testing::multiclass_config(), run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const json& r = result.value();
  expect_seed_fields(r);
  EXPECT_EQ(r["metrics"]["averaging"], "weighted");
  ASSERT_EQ(r["metrics"]["confusion_matrix"].size(), 3u);
  long long cm_total = 0;
  for (const auto& row : r["metrics"]["confusion_matrix"]) {
    ASSERT_EQ(row.size(), 3u);
    for (const auto& cell : row) cm_total += cell.get<long long>();
  }
  EXPECT_EQ(cm_total, r["data_summary"]["test_samples"].get<long long>());
  EXPECT_EQ(r["data_summary"]["class_balance"].size(), 3u);
  EXPECT_EQ(r["curves"]["per_class"].size(), 3u);
  // lifetime_value was generated from the contract type, so the model can find it.
  EXPECT_GT(r["metrics"]["accuracy"].get<double>(), 0.5);
}

TEST(RunTraining, LeavesOutIdentifierColumnsWhenNoFeaturesAreListed) {
  TrainingRun run;
  json config = testing::classification_config();
  config.erase("feature_columns");
  auto result = run_training(config, run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const json& selected = result.value()["training_bom"]["feature_info"]["selected_features"];
  EXPECT_EQ(std::count(selected.begin(), selected.end(), "customer_id"), 0);
  EXPECT_EQ(std::count(selected.begin(), selected.end(), "tenure"), 1);
}

TEST(RunTraining, RunsTheSeedConfigurationVerbatimOnTheDemoData) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/ml_features.db";
  ASSERT_TRUE(data::write_demo_features_db(db).is_ok());
  PipelineEnv env;
  env.databases.push_back({.schema = "ml_features", .type = "sqlite", .path = db, .dsn = ""});
  env.model_dir = dir.path() + "/model.tmp";
  const json seed_config = json::parse(R"({
    "name": "churn-predictor-v2", "algorithm": "xgboost", "task_type": "classification",
    "dataset": {"source": "sql", "query": "SELECT * FROM ml_features.customer_churn", "tenant_id": "acme-corp"},
    "target_column": "churned",
    "feature_columns": ["tenure", "monthly_charges", "total_charges"],
    "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
    "hyperparameters": {"n_estimators": 100, "max_depth": 6, "learning_rate": 0.1}})");
  auto result = run_training(seed_config, env);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const json& r = result.value();
  expect_seed_fields(r);
  const json& s = r["data_summary"];
  // n_test = ceil(0.2 * total), the scikit-learn rule.
  const long long total = s["total_samples"].get<long long>();
  EXPECT_EQ(s["test_samples"].get<long long>(), (total + 4) / 5);
  long long cm_total = 0;
  for (const auto& row : r["metrics"]["confusion_matrix"]) {
    for (const auto& cell : row) cm_total += cell.get<long long>();
  }
  EXPECT_EQ(cm_total, s["test_samples"].get<long long>());
  expect_importances_over_columns(r["feature_importance"],
                                  {"tenure", "monthly_charges", "total_charges"});
  EXPECT_GT(r["metrics"]["auc_roc"].get<double>(), 0.6);
}

TEST(RunTraining, ReportsAMissingTargetColumnAsADataError) {
  TrainingRun run;
  json config = testing::classification_config();
  config["target_column"] = "no_such_column";
  auto result = run_training(config, run.env());
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDataError);
}

TEST(RunTraining, TurnsARefusedQueryIntoADataError) {
  TrainingRun run;
  json config = testing::classification_config();
  config["dataset"]["query"] = "SELECT * FROM ml.nowhere";
  auto result = run_training(config, run.env());
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDataError);
}

TEST(RunTraining, RefusesWhenEveryFeatureIsFreeText) {
  TrainingRun run;
  json config = testing::classification_config();
  config["feature_columns"] = json::array({"notes"});
  auto result = run_training(config, run.env());
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDataError);
}

TEST(RunTraining, StopsWithCancelledWhenAskedToStop) {
  TrainingRun run;
  run.stop = true;
  auto result = run_training(testing::classification_config(), run.env());
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCancelled);
  EXPECT_FALSE(std::filesystem::exists(run.model_dir + "/model_meta.json"));
}

TEST(RunTraining, StopsTrainingMidwayWhenAskedToStop) {
  TrainingRun run;
  PipelineEnv env = run.env();
  int last_iteration = 0;
  env.emit = [&](const json& e) {
    if (e["type"] == "progress" && e.contains("iteration")) {
      last_iteration = e["iteration"].get<int>();
      run.stop = true;  // as the worker's SIGTERM handler would
    }
  };
  auto result = run_training(testing::classification_config(), env);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCancelled);
  EXPECT_EQ(last_iteration, 1);  // the trainer stopped after the first of 20 rounds
}

TEST(RunTraining, PassesTheDatasetSizeLimitThrough) {
  TrainingRun run;
  PipelineEnv env = run.env();
  env.limits.max_bytes = 1000;
  auto result = run_training(testing::classification_config(), env);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDatasetTooLarge);
}

}  // namespace
}  // namespace traind::train
