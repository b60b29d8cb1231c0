// Tests of the xgboost adapter against the real libxgboost.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <thread>

#include "algorithms/registry.h"
#include "algorithms/synthetic_datasets_for_tests.h"
#include "algorithms/trainer.h"
#include "algorithms/xgboost_evaluation.h"

namespace traind::algorithms {
namespace {

using testing::accuracy;
using testing::make_dataset;
using testing::TempDir;

const AlgorithmSpec& spec() { return *find_algorithm("xgboost"); }

Dataset threshold_rule(size_t rows, uint32_t seed) {
  return make_dataset(rows, 3, seed,
                      [](const float* x, std::mt19937&) { return x[0] > 0.2f ? 1.0f : 0.0f; });
}

Dataset three_bands(size_t rows, uint32_t seed) {
  return make_dataset(rows, 2, seed, [](const float* x, std::mt19937&) {
    return x[1] < -0.3f ? 0.0f : (x[1] < 0.4f ? 1.0f : 2.0f);
  });
}

TrainOptions classification(int num_classes, nlohmann::json hp = nlohmann::json::object()) {
  TrainOptions o;
  o.task = Task::kClassification;
  o.num_classes = num_classes;
  o.hyperparameters = std::move(hp);
  return o;
}

std::unique_ptr<Model> train_or_die(const Dataset& train, const Dataset* valid,
                                    const TrainOptions& options) {
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(train, valid, options);
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : nullptr;
}

TEST(XgboostTrainer, LearnsNoiseFreeThresholdRule) {
  Dataset train = threshold_rule(1000, 1);
  Dataset test = threshold_rule(500, 2);
  auto model = train_or_die(train, nullptr, classification(2, {{"n_estimators", 20}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 2);
  EXPECT_GT(accuracy(*p, test.y, 2), 0.95);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[2 * r] + (*p)[2 * r + 1], 1.0, 1e-6);
  }
  EXPECT_EQ(model->metadata()["type"], "XGBClassifier");
  EXPECT_EQ(model->metadata()["architecture"], "gradient_boosted_trees");
}

TEST(XgboostTrainer, ImportanceIsTotalGainOfTheFeatureTheRuleUses) {
  Dataset train = threshold_rule(1000, 3);
  // Column 2 is constant: no tree can split on it.
  for (size_t r = 0; r < train.x.rows; ++r) train.x.values[r * 3 + 2] = 0.5f;
  auto model = train_or_die(train, nullptr, classification(2, {{"n_estimators", 10}}));
  ASSERT_NE(model, nullptr);
  std::vector<double> importance = model->feature_importance();
  ASSERT_EQ(importance.size(), 3u);
  EXPECT_EQ(model->importance_type(), "total_gain");
  EXPECT_GT(importance[0], importance[1]);
  EXPECT_EQ(importance[2], 0.0);
}

TEST(XgboostTrainer, MulticlassProbabilitiesSumToOnePerRow) {
  Dataset train = three_bands(900, 4);
  Dataset test = three_bands(300, 5);
  auto model = train_or_die(train, nullptr, classification(3, {{"n_estimators", 15}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 3);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[3 * r] + (*p)[3 * r + 1] + (*p)[3 * r + 2], 1.0, 1e-5);
  }
  EXPECT_GT(accuracy(*p, test.y, 3), 0.9);
}

TEST(XgboostTrainer, RegressionBeatsTheMeanPredictor) {
  auto target = [](const float* x, std::mt19937& rng) {
    std::normal_distribution<float> noise(0.0f, 0.1f);
    return 3.0f * x[0] + std::sin(3.0f * x[1]) + noise(rng);
  };
  Dataset train = make_dataset(800, 3, 6, target);
  Dataset test = make_dataset(300, 3, 7, target);
  TrainOptions o;
  o.task = Task::kRegression;
  o.hyperparameters = {{"n_estimators", 50}};
  auto model = train_or_die(train, nullptr, o);
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows);
  const double mean = std::accumulate(train.y.begin(), train.y.end(), 0.0) / train.y.size();
  double model_se = 0, mean_se = 0;
  for (size_t r = 0; r < test.x.rows; ++r) {
    model_se += ((*p)[r] - test.y[r]) * ((*p)[r] - test.y[r]);
    mean_se += (mean - test.y[r]) * (mean - test.y[r]);
  }
  EXPECT_LT(model_se, 0.2 * mean_se);
  EXPECT_EQ(model->metadata()["type"], "XGBRegressor");
}

TEST(XgboostTrainer, PredictsTheSameFromSeveralThreadsAtOnce) {
  Dataset train = three_bands(400, 21);
  auto model = train_or_die(train, nullptr, classification(3, {{"n_estimators", 10}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> expected = model->predict(train.x);
  ASSERT_TRUE(expected.is_ok());
  std::vector<std::vector<double>> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int repeat = 0; repeat < 20; ++repeat) {
        Result<std::vector<double>> p = model->predict(train.x);
        if (!p.is_ok() || *p != *expected) return;
      }
      results[t] = *expected;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, *expected);
}

TEST(XgboostTrainer, RoutesMissingValuesWithoutImputation) {
  Dataset train = threshold_rule(600, 8);
  for (size_t r = 0; r < train.x.rows; r += 7) train.x.values[r * 3 + 1] = NAN;
  auto model = train_or_die(train, nullptr, classification(2, {{"n_estimators", 5}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(train.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  for (double v : *p) EXPECT_TRUE(std::isfinite(v));
}

TEST(XgboostTrainer, SavedModelLoadsWithIdenticalPredictions) {
  Dataset train = three_bands(500, 9);
  Dataset valid = three_bands(200, 10);
  auto model = train_or_die(
      train, &valid, classification(3, {{"n_estimators", 30}, {"early_stopping_rounds", 3}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  EXPECT_EQ(model->artifact_file(), "model.json");
  std::ifstream artifact(dir.path() + "/model.json");
  nlohmann::json doc = nlohmann::json::parse(artifact);
  EXPECT_EQ(doc["learner"]["feature_names"], nlohmann::json({"x0", "x1"}));

  Result<std::unique_ptr<Model>> loaded = spec().load_model(dir.path(), model->metadata());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Result<std::vector<double>> before = model->predict(valid.x);
  Result<std::vector<double>> after = (*loaded)->predict(valid.x);
  ASSERT_TRUE(before.is_ok());
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(*before, *after);
  EXPECT_EQ((*loaded)->feature_importance(), model->feature_importance());
  EXPECT_EQ((*loaded)->metadata()["best_iteration"], model->metadata()["best_iteration"]);
}

TEST(XgboostTrainer, ReportsMetricsEachRoundAndStopsWhenAskedTo) {
  Dataset train = threshold_rule(300, 11);
  Dataset valid = threshold_rule(100, 12);
  TrainOptions o = classification(2, {{"n_estimators", 50}});
  std::vector<IterationReport> reports;
  o.on_iteration = [&](const IterationReport& r) {
    reports.push_back(r);
    return r.iteration < 5;
  };
  auto model = train_or_die(train, &valid, o);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(reports.size(), 5u);
  EXPECT_EQ(reports[0].iteration, 1);
  EXPECT_EQ(reports[0].total_iterations, 50);
  EXPECT_TRUE(reports[4].metrics.count("train_logloss"));
  EXPECT_TRUE(reports[4].metrics.count("valid_logloss"));
  EXPECT_LT(reports[4].metrics["train_logloss"], reports[0].metrics["train_logloss"]);
  EXPECT_EQ(model->metadata()["boosted_rounds"], 5);
}

TEST(XgboostTrainer, EarlyStoppingStopsBeforeNEstimatorsOnOverfittingData) {
  // Labels are coin flips: the validation loss can only get worse as trees memorise noise.
  auto coin = [](const float*, std::mt19937& rng) {
    return std::bernoulli_distribution(0.5)(rng) ? 1.0f : 0.0f;
  };
  Dataset train = make_dataset(400, 5, 13, coin);
  Dataset valid = make_dataset(200, 5, 14, coin);
  auto model = train_or_die(
      train, &valid,
      classification(2, {{"n_estimators", 300}, {"max_depth", 8}, {"early_stopping_rounds", 5}}));
  ASSERT_NE(model, nullptr);
  const nlohmann::json meta = model->metadata();
  ASSERT_TRUE(meta["best_iteration"].is_number_integer());
  EXPECT_LT(meta["boosted_rounds"].get<int>(), 300);
  EXPECT_EQ(meta["boosted_rounds"].get<int>(), meta["best_iteration"].get<int>() + 1 + 5);
}

TEST(XgboostTrainer, EarlyStoppingWithoutValidationSetIsAConfigError) {
  Dataset train = threshold_rule(100, 15);
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(
      train, nullptr, classification(2, {{"early_stopping_rounds", 3}}));
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kInvalidConfig);
}

TEST(XgboostTrainer, ZeroRowsGiveADataErrorNotACrash) {
  Dataset empty;
  empty.x.cols = 3;
  empty.feature_names = {"a", "b", "c"};
  Result<std::unique_ptr<Model>> m =
      spec().make_trainer()->train(empty, nullptr, classification(2));
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kDataError);
}

TEST(XgboostTrainer, ClassIndexOutOfRangeIsADataError) {
  Dataset train = threshold_rule(50, 16);
  train.y[3] = 2.0f;
  Result<std::unique_ptr<Model>> m =
      spec().make_trainer()->train(train, nullptr, classification(2));
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kDataError);
}

TEST(XgboostTrainer, LibraryRejectionBecomesATrainingError) {
  // max_depth 0 (no limit) is valid only with lossguide; XGBoost itself refuses it.
  Dataset train = threshold_rule(50, 17);
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(
      train, nullptr, classification(2, {{"max_depth", 0}, {"tree_method", "exact"}}));
  if (m.is_ok()) GTEST_SKIP() << "this XGBoost accepts max_depth 0 with exact";
  EXPECT_EQ(m.status().code(), ErrorCode::kTrainingError);
  EXPECT_NE(m.status().message().find("xgboost"), std::string::npos);
}

TEST(XgboostTrainer, PredictRefusesWrongColumnCount) {
  auto model =
      train_or_die(threshold_rule(100, 18), nullptr, classification(2, {{"n_estimators", 2}}));
  ASSERT_NE(model, nullptr);
  Matrix two_columns{.values = {0.1f, 0.2f}, .rows = 1, .cols = 2};
  EXPECT_FALSE(model->predict(two_columns).is_ok());
}

TEST(XgboostEvaluation, ParsesEachDataSetsMetric) {
  auto metrics = parse_xgboost_evaluation("[0]\ttrain-logloss:0.5\tvalid-logloss:0.625");
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].first, "train_logloss");
  EXPECT_DOUBLE_EQ(metrics[0].second, 0.5);
  EXPECT_EQ(metrics[1].first, "valid_logloss");
  EXPECT_DOUBLE_EQ(metrics[1].second, 0.625);
}

// The saved model.json is for any XGBoost: Python's must load it and agree with us,
// best_iteration and feature names included.
TEST(XgboostTrainer, PythonXgboostLoadsTheSavedModelAndAgrees) {
  // Debian's python3-xgboost lives in the system interpreter, which a pyenv or venv
  // python3 earlier on PATH does not see.
  std::string python;
  for (const char* candidate : {"/usr/bin/python3", "python3"}) {
    const std::string probe = std::string(candidate) + " -c 'import xgboost' >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) {
      python = candidate;
      break;
    }
  }
  if (python.empty()) GTEST_SKIP() << "no python3 with xgboost is installed";
  Dataset train = three_bands(400, 19);
  Dataset valid = three_bands(100, 20);
  auto model = train_or_die(
      train, &valid,
      classification(3, {{"n_estimators", 40}, {"early_stopping_rounds", 2}, {"max_depth", 3}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  {
    std::ofstream rows(dir.path() + "/rows.txt");
    rows.precision(9);
    for (float v : valid.x.values) rows << v << '\n';
  }
  const std::string script = dir.path() + "/check.py";
  {
    std::ofstream py(script);
    py << R"(import sys, numpy as np, xgboost as xgb
d = sys.argv[1]
b = xgb.Booster(model_file=d + "/model.json")
x = np.loadtxt(d + "/rows.txt", dtype=np.float32).reshape(-1, 2)
end = int(b.attr("best_iteration")) + 1
p = b.inplace_predict(x, iteration_range=(0, end))
np.savetxt(d + "/python.txt", p.reshape(-1), fmt="%.9g")
print(",".join(b.feature_names), end, file=open(d + "/info.txt", "w"))
)";
  }
  ASSERT_EQ(std::system((python + " " + script + " " + dir.path()).c_str()), 0);
  std::ifstream info(dir.path() + "/info.txt");
  std::string names;
  int end = 0;
  info >> names >> end;
  EXPECT_EQ(names, "x0,x1");
  EXPECT_EQ(end, model->metadata()["best_iteration"].get<int>() + 1);
  Result<std::vector<double>> ours = model->predict(valid.x);
  ASSERT_TRUE(ours.is_ok());
  std::ifstream theirs_file(dir.path() + "/python.txt");
  std::vector<double> theirs;
  for (double v; theirs_file >> v;) theirs.push_back(v);
  ASSERT_EQ(theirs.size(), ours->size());
  for (size_t i = 0; i < theirs.size(); ++i) EXPECT_NEAR(theirs[i], (*ours)[i], 1e-6) << i;
}

}  // namespace
}  // namespace traind::algorithms
