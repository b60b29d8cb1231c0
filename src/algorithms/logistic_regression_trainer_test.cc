// Tests of the logistic_regression adapter against the real liblinear.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "algorithms/liblinear_model.h"
#include "algorithms/registry.h"
#include "algorithms/synthetic_datasets_for_tests.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

using testing::accuracy;
using testing::make_dataset;
using testing::TempDir;

const AlgorithmSpec& spec() { return *find_algorithm("logistic"); }

TrainOptions classification(int num_classes, nlohmann::json hp = nlohmann::json::object()) {
  TrainOptions o;
  o.task = Task::kClassification;
  o.num_classes = num_classes;
  o.hyperparameters = std::move(hp);
  return o;
}

std::unique_ptr<Model> train_or_die(const Dataset& train, const TrainOptions& options,
                                    const Dataset* valid = nullptr) {
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(train, valid, options);
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : nullptr;
}

Dataset separable(size_t rows, uint32_t seed) {
  return make_dataset(rows, 4, seed, [](const float* x, std::mt19937&) {
    return 2.0f * x[0] - x[1] > 0.1f ? 1.0f : 0.0f;
  });
}

TEST(LogisticRegressionTrainer, LearnsASeparableProblem) {
  Dataset train = separable(600, 1);
  Dataset test = separable(300, 2);
  auto model = train_or_die(train, classification(2, {{"C", 100.0}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok());
  ASSERT_EQ(p->size(), test.x.rows * 2);
  EXPECT_GT(accuracy(*p, test.y, 2), 0.97);
  for (size_t r = 0; r < test.x.rows; ++r) EXPECT_NEAR((*p)[2 * r] + (*p)[2 * r + 1], 1.0, 1e-9);
  EXPECT_EQ(model->metadata()["type"], "LogisticRegression");
  EXPECT_EQ(model->metadata()["architecture"], "linear_model");
  // The coefficients point the way the rule does.
  auto* lr = dynamic_cast<LogisticRegressionModel*>(model.get());
  ASSERT_NE(lr, nullptr);
  EXPECT_GT(lr->coefficient(1, 0), 0.0);
  EXPECT_LT(lr->coefficient(1, 1), 0.0);
}

TEST(LogisticRegressionTrainer, L1PenaltyZeroesUselessFeatures) {
  Dataset train = make_dataset(800, 6, 3, [](const float* x, std::mt19937& rng) {
    std::normal_distribution<float> noise(0.0f, 0.5f);
    return x[0] + x[1] + noise(rng) > 0.0f ? 1.0f : 0.0f;
  });
  auto model = train_or_die(train, classification(2, {{"penalty", "l1"}, {"C", 0.05}}));
  ASSERT_NE(model, nullptr);
  std::vector<double> importance = model->feature_importance();
  ASSERT_EQ(importance.size(), 6u);
  EXPECT_EQ(model->importance_type(), "abs_coefficient");
  EXPECT_GT(importance[0], 0.0);
  EXPECT_GT(importance[1], 0.0);
  int zeros = 0;
  for (size_t f = 2; f < 6; ++f) zeros += importance[f] == 0.0;
  EXPECT_GE(zeros, 3);
  EXPECT_EQ(model->metadata()["penalty"], "l1");
}

TEST(LogisticRegressionTrainer, BalancedClassWeightRaisesTheMinorityIntercept) {
  // About 1 row in 10 is class 1.
  Dataset train = make_dataset(1000, 2, 4, [](const float* x, std::mt19937& rng) {
    std::normal_distribution<float> noise(0.0f, 0.3f);
    return x[0] + noise(rng) > 0.75f ? 1.0f : 0.0f;
  });
  auto plain = train_or_die(train, classification(2));
  auto balanced = train_or_die(train, classification(2, {{"class_weight", "balanced"}}));
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(balanced, nullptr);
  const double plain_intercept = dynamic_cast<LogisticRegressionModel&>(*plain).intercept(1);
  const double balanced_intercept = dynamic_cast<LogisticRegressionModel&>(*balanced).intercept(1);
  EXPECT_GT(balanced_intercept, plain_intercept + 0.5);
}

TEST(LogisticRegressionTrainer, WithoutInterceptTheInterceptIsZero) {
  auto model = train_or_die(separable(200, 5), classification(2, {{"fit_intercept", false}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(dynamic_cast<LogisticRegressionModel&>(*model).intercept(1), 0.0);
}

TEST(LogisticRegressionTrainer, MulticlassOneVsRestProbabilitiesSumToOne) {
  auto bands = [](const float* x, std::mt19937&) {
    return x[2] < -0.3f ? 0.0f : (x[2] < 0.4f ? 1.0f : 2.0f);
  };
  // Class 2 first, so liblinear's label order differs from the class indices.
  Dataset train = make_dataset(900, 3, 6, bands);
  std::swap(train.y[0], *std::find(train.y.begin(), train.y.end(), 2.0f));
  Dataset test = make_dataset(300, 3, 7, bands);
  auto model = train_or_die(train, classification(3, {{"C", 10.0}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok());
  ASSERT_EQ(p->size(), test.x.rows * 3);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[3 * r] + (*p)[3 * r + 1] + (*p)[3 * r + 2], 1.0, 1e-9);
  }
  EXPECT_GT(accuracy(*p, test.y, 3), 0.8);
}

TEST(LogisticRegressionTrainer, SavedModelLoadsWithIdenticalPredictions) {
  Dataset train = separable(300, 8);
  auto model = train_or_die(train, classification(2));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  EXPECT_TRUE(std::ifstream(dir.path() + "/" + model->artifact_file()).good());
  EXPECT_EQ(model->artifact_file(), "model.liblinear");
  Result<std::unique_ptr<Model>> loaded = spec().load_model(dir.path(), model->metadata());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Result<std::vector<double>> before = model->predict(train.x);
  Result<std::vector<double>> after = (*loaded)->predict(train.x);
  ASSERT_TRUE(before.is_ok());
  ASSERT_TRUE(after.is_ok());
  ASSERT_EQ(before->size(), after->size());
  // liblinear writes weights with 17 significant digits: the round trip is exact.
  EXPECT_EQ(*before, *after);
  EXPECT_EQ((*loaded)->metadata()["feature_names"], model->metadata()["feature_names"]);
}

TEST(LogisticRegressionTrainer, ReportsOneIterationWithLogLoss) {
  Dataset train = separable(200, 9);
  Dataset valid = separable(100, 10);
  TrainOptions o = classification(2);
  std::vector<IterationReport> reports;
  o.on_iteration = [&](const IterationReport& r) {
    reports.push_back(r);
    return true;
  };
  ASSERT_NE(train_or_die(train, o, &valid), nullptr);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].iteration, 1);
  EXPECT_EQ(reports[0].total_iterations, 1);
  EXPECT_GT(reports[0].metrics.at("train_logloss"), 0.0);
  EXPECT_LT(reports[0].metrics.at("train_logloss"), 0.69);
  EXPECT_TRUE(reports[0].metrics.count("valid_logloss"));
}

TEST(LogisticRegressionTrainer, RefusesMissingValuesAndEmptyData) {
  Dataset train = separable(50, 11);
  train.x.values[7] = NAN;
  Result<std::unique_ptr<Model>> m =
      spec().make_trainer()->train(train, nullptr, classification(2));
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kDataError);

  Dataset empty;
  empty.x.cols = 2;
  m = spec().make_trainer()->train(empty, nullptr, classification(2));
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kDataError);
}

TEST(LogisticRegressionTrainer, RefusesRegression) {
  TrainOptions o;
  o.task = Task::kRegression;
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(separable(20, 12), nullptr, o);
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kInvalidConfig);
}

}  // namespace
}  // namespace traind::algorithms
