// load_predictor: the bundle run_training wrote predicts what evaluation saw, and bad rows
// are refused with the row's JSON Pointer.
#include "train/predictor.h"

#include <gtest/gtest.h>

#include "data/sql_source.h"
#include "train/metrics.h"
#include "train/split.h"
#include "train/target.h"
#include "train/training_test_data.h"

namespace traind::train {
namespace {

using nlohmann::json;
using testing::TrainingRun;

// The rows of the query's result as /predict takes them: column -> raw value or null.
json rows_as_json(const data::Table& table, const std::vector<size_t>& rows) {
  json out = json::array();
  for (size_t r : rows) {
    json row = json::object();
    for (const auto& c : table.columns()) {
      if (c.is_missing(r)) {
        row[c.name] = nullptr;
      } else if (c.storage == data::StorageType::kNumber) {
        row[c.name] = c.numbers[r];
      } else {
        row[c.name] = c.strings[r];
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

class PredictorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto result = run_training(testing::classification_config(), run_.env());
    ASSERT_TRUE(result.is_ok()) << result.status().to_string();
    result_ = result.value();
    auto source = data::open_sql_source(run_.env().databases);
    ASSERT_TRUE(source.is_ok());
    auto table = source.value()->load("SELECT * FROM ml.customers", data::QueryLimits{});
    ASSERT_TRUE(table.is_ok());
    table_ = std::move(table.value());
    auto predictor = load_predictor(run_.model_dir);
    ASSERT_TRUE(predictor.is_ok()) << predictor.status().to_string();
    predictor_ = std::move(predictor.value());
  }

  TrainingRun run_;
  json result_;
  data::Table table_;
  std::unique_ptr<Predictor> predictor_;
};

// Predicts the test rows of a finished run (found the way the pipeline found them: same
// target encoding, same stratified split) and checks that the probabilities give exactly
// the metrics evaluation reported.
void expect_predictions_match_evaluation(const data::Table& table, const Predictor& predictor,
                                         const json& config, const json& result) {
  const std::string target_name = config["target_column"];
  auto target = encode_target(table.column(static_cast<size_t>(table.find(target_name))),
                              algorithms::Task::kClassification);
  ASSERT_TRUE(target.is_ok());
  const size_t k = target->labels.size();
  std::vector<int> classes(target->y.begin(), target->y.end());
  auto split =
      stratified_split(classes, static_cast<int>(k), config["split"]["test_size"].get<double>(),
                       config["split"]["random_state"].get<uint64_t>());
  ASSERT_TRUE(split.is_ok());
  std::vector<size_t> test_rows;
  std::vector<int> y_true;
  for (size_t i : split->test) {
    test_rows.push_back(target->rows[i]);
    y_true.push_back(classes[i]);
  }

  auto answer = predictor.predict({{"rows", rows_as_json(table, test_rows)}});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  const json& predictions = answer.value()["predictions"];
  ASSERT_EQ(predictions.size(), test_rows.size());
  std::vector<double> proba;
  for (const json& p : predictions) {
    double sum = 0, best = -1;
    std::string best_label;
    for (const std::string& label : target->labels) {
      const double v = p["probabilities"][label].get<double>();
      proba.push_back(v);
      sum += v;
      if (v > best) best = v, best_label = label;
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
    EXPECT_EQ(p["label"], best_label);
  }
  // Identical probabilities give identical metrics, to the last bit.
  const json m = classification_metrics(y_true, proba, target->labels);
  EXPECT_EQ(m["confusion_matrix"], result["metrics"]["confusion_matrix"]);
  EXPECT_EQ(m["labels"], result["metrics"]["labels"]);
  EXPECT_DOUBLE_EQ(m["log_loss"].get<double>(), result["metrics"]["log_loss"].get<double>());
  EXPECT_DOUBLE_EQ(m["auc_roc"].get<double>(), result["metrics"]["auc_roc"].get<double>());
}

TEST_F(PredictorTest, PredictsTheProbabilitiesEvaluationSaw) {
  expect_predictions_match_evaluation(table_, *predictor_, testing::classification_config(),
                                      result_);
}

TEST(LoadPredictor, ReproducesMulticlassLogisticRegressionWithImputationAndScaling) {
  // logistic_regression imputes and standardises: the predictor must redo both exactly.
  TrainingRun run;
  const json config = testing::multiclass_config();
  auto result = run_training(config, run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result.value()["metrics"]["averaging"], "weighted");
  EXPECT_EQ(result.value()["metrics"]["labels"],
            json::parse(R"(["Month-to-month", "One year", "Two year"])"));
  auto source = data::open_sql_source(run.env().databases);
  ASSERT_TRUE(source.is_ok());
  auto table = source.value()->load("SELECT * FROM ml.customers", data::QueryLimits{});
  ASSERT_TRUE(table.is_ok());
  auto predictor = load_predictor(run.model_dir);
  ASSERT_TRUE(predictor.is_ok()) << predictor.status().to_string();
  expect_predictions_match_evaluation(table.value(), *predictor.value(), config, result.value());
}

TEST_F(PredictorTest, ShowsTheInputColumnsAsFeatureSchema) {
  EXPECT_EQ(predictor_->feature_schema(), result_["model"]["feature_schema"]);
  EXPECT_EQ(predictor_->feature_schema().size(), 6u);
}

TEST_F(PredictorTest, TreatsNullAsAMissingValue) {
  json row = rows_as_json(table_, {0})[0];
  row["total_charges"] = nullptr;
  row["contract_type"] = nullptr;
  auto answer = predictor_->predict({{"rows", {row}}});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  EXPECT_EQ(answer.value()["predictions"].size(), 1u);
}

TEST_F(PredictorTest, NamesTheRowAndColumnOfEveryBadValue) {
  json rows = rows_as_json(table_, {0, 1, 2});
  rows[0].erase("tenure");
  rows[1]["monthly_charges"] = "cheap";
  rows[2]["contract_type"] = json::object();
  auto answer = predictor_->predict({{"rows", rows}});
  ASSERT_FALSE(answer.is_ok());
  EXPECT_EQ(answer.status().code(), ErrorCode::kInvalidConfig);
  std::set<std::string> paths;
  for (const auto& d : answer.status().details()) paths.insert(d.path);
  EXPECT_EQ(paths, (std::set<std::string>{"/rows/0/tenure", "/rows/1/monthly_charges",
                                          "/rows/2/contract_type"}));
}

TEST(LoadPredictor, EscapesColumnNamesInTheRowPointer) {
  testing::TempDir dir;
  const std::string db_path = dir.path() + "/odd.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  std::string sql = "CREATE TABLE t (\"a/b\" REAL, y INTEGER);";
  for (int i = 0; i < 40; ++i) {
    sql += "INSERT INTO t VALUES (" + std::to_string(i) + ", " + std::to_string(i % 2) + ");";
  }
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  PipelineEnv env;
  env.databases.push_back({.schema = "odd", .type = "sqlite", .path = db_path, .dsn = ""});
  env.model_dir = dir.path() + "/model";
  json config = testing::classification_config();
  config["dataset"]["query"] = "SELECT * FROM odd.t";
  config["target_column"] = "y";
  config["feature_columns"] = json::array({"a/b"});
  ASSERT_TRUE(run_training(config, env).is_ok());
  auto predictor = load_predictor(env.model_dir);
  ASSERT_TRUE(predictor.is_ok());
  auto answer = predictor.value()->predict({{"rows", {json::object()}}});
  ASSERT_FALSE(answer.is_ok());
  ASSERT_EQ(answer.status().details().size(), 1u);
  EXPECT_EQ(answer.status().details()[0].path, "/rows/0/a~1b");
}

TEST_F(PredictorTest, RefusesAnEmptyOrMissingRowsArray) {
  for (const json& body : {json{{"rows", json::array()}}, json{{"rows", 3}}, json::object()}) {
    auto answer = predictor_->predict(body);
    ASSERT_FALSE(answer.is_ok());
    EXPECT_EQ(answer.status().code(), ErrorCode::kInvalidConfig);
    ASSERT_EQ(answer.status().details().size(), 1u);
    EXPECT_EQ(answer.status().details()[0].path, "/rows");
  }
}

TEST_F(PredictorTest, RefusesMoreThanTenThousandRows) {
  const json row = rows_as_json(table_, {0})[0];
  json rows = json::array();
  for (int i = 0; i < 10001; ++i) rows.push_back(row);
  auto answer = predictor_->predict({{"rows", rows}});
  ASSERT_FALSE(answer.is_ok());
  ASSERT_EQ(answer.status().details().size(), 1u);
  EXPECT_EQ(answer.status().details()[0].path, "/rows");
}

TEST(LoadPredictor, PredictsRegressionValues) {
  TrainingRun run;
  auto result = run_training(testing::regression_config(), run.env());
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  auto predictor = load_predictor(run.model_dir);
  ASSERT_TRUE(predictor.is_ok()) << predictor.status().to_string();
  const json row = {{"tenure", 10},
                    {"monthly_charges", 50.0},
                    {"contract_type", "One year"},
                    {"paperless", "yes"}};
  auto answer = predictor.value()->predict({{"rows", {row}}});
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  // lifetime_value was generated as 50 + 12.5 tenure + 3 monthly - 40 contract + noise.
  EXPECT_NEAR(answer.value()["predictions"][0]["value"].get<double>(), 50 + 125 + 150 - 40, 15.0);
}

TEST(LoadPredictor, FailsOnADirectoryWithoutABundle) {
  testing::TempDir dir;
  EXPECT_FALSE(load_predictor(dir.path()).is_ok());
}

}  // namespace
}  // namespace traind::train
