// Tests of the linear_regression adapter (Eigen).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <fstream>

#include "algorithms/linear_model.h"
#include "algorithms/registry.h"
#include "algorithms/synthetic_datasets_for_tests.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

using testing::make_dataset;
using testing::TempDir;

const AlgorithmSpec& spec() { return *find_algorithm("linear"); }

TrainOptions regression(nlohmann::json hp = nlohmann::json::object()) {
  TrainOptions o;
  o.task = Task::kRegression;
  o.hyperparameters = std::move(hp);
  return o;
}

std::unique_ptr<LinearRegressionModel> train_or_die(const Dataset& train,
                                                    const TrainOptions& options) {
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(train, nullptr, options);
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  if (!m.is_ok()) return nullptr;
  return std::unique_ptr<LinearRegressionModel>(
      dynamic_cast<LinearRegressionModel*>(std::move(m).value().release()));
}

Dataset exact_plane(size_t rows, uint32_t seed) {
  return make_dataset(rows, 3, seed, [](const float* x, std::mt19937&) {
    return 2.0f * x[0] - 3.0f * x[1] + 0.5f * x[2] + 4.0f;
  });
}

TEST(LinearRegressionTrainer, RecoversExactCoefficientsOnNoiseFreeData) {
  auto model = train_or_die(exact_plane(200, 1), regression());
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(model->coefficients().size(), 3u);
  EXPECT_NEAR(model->coefficients()[0], 2.0, 1e-4);
  EXPECT_NEAR(model->coefficients()[1], -3.0, 1e-4);
  EXPECT_NEAR(model->coefficients()[2], 0.5, 1e-4);
  EXPECT_NEAR(model->intercept(), 4.0, 1e-4);
  EXPECT_EQ(model->metadata()["type"], "LinearRegression");
  EXPECT_EQ(model->feature_importance(), (std::vector<double>{std::abs(model->coefficients()[0]),
                                                              std::abs(model->coefficients()[1]),
                                                              std::abs(model->coefficients()[2])}));
}

TEST(LinearRegressionTrainer, RidgeEqualsClosedFormOnCentredData) {
  Dataset train = make_dataset(100, 4, 2, [](const float* x, std::mt19937& rng) {
    std::normal_distribution<float> noise(0.0f, 0.5f);
    return x[0] - 2.0f * x[3] + 1.0f + noise(rng);
  });
  const double alpha = 5.0;
  auto model = train_or_die(train, regression({{"alpha", alpha}}));
  ASSERT_NE(model, nullptr);

  Eigen::MatrixXd x(train.x.rows, train.x.cols);
  Eigen::VectorXd y(train.x.rows);
  for (size_t r = 0; r < train.x.rows; ++r) {
    for (size_t c = 0; c < train.x.cols; ++c) x(r, c) = train.x.row(r)[c];
    y(r) = train.y[r];
  }
  const Eigen::RowVectorXd x_mean = x.colwise().mean();
  const double y_mean = y.mean();
  const Eigen::MatrixXd xc = x.rowwise() - x_mean;
  const Eigen::VectorXd yc = y.array() - y_mean;
  const Eigen::MatrixXd a = xc.transpose() * xc + alpha * Eigen::MatrixXd::Identity(4, 4);
  const Eigen::VectorXd w = a.inverse() * (xc.transpose() * yc);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(model->coefficients()[i], w(i), 1e-9) << i;
  EXPECT_NEAR(model->intercept(), y_mean - x_mean.dot(w), 1e-9);
  EXPECT_EQ(model->metadata()["type"], "Ridge");
  // Penalised coefficients are smaller than least squares ones.
  auto ols = train_or_die(train, regression());
  ASSERT_NE(ols, nullptr);
  EXPECT_LT(std::abs(model->coefficients()[0]), std::abs(ols->coefficients()[0]));
}

TEST(LinearRegressionTrainer, WithoutInterceptFitsThroughTheOrigin) {
  Dataset train = make_dataset(
      50, 2, 3, [](const float* x, std::mt19937&) { return 1.5f * x[0] + 0.25f * x[1]; });
  auto model = train_or_die(train, regression({{"fit_intercept", false}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->intercept(), 0.0);
  EXPECT_NEAR(model->coefficients()[0], 1.5, 1e-5);
  EXPECT_NEAR(model->coefficients()[1], 0.25, 1e-5);
}

TEST(LinearRegressionTrainer, CollinearColumnsStillGiveAnExactFit) {
  Dataset train = exact_plane(60, 4);
  // Column 2 duplicated into a fourth column: X has rank 3.
  Dataset dup;
  dup.x.rows = train.x.rows;
  dup.x.cols = 4;
  for (size_t r = 0; r < train.x.rows; ++r) {
    const float* row = train.x.row(r);
    dup.x.values.insert(dup.x.values.end(), {row[0], row[1], row[2], row[2]});
  }
  dup.y = train.y;
  auto model = train_or_die(dup, regression());
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(dup.x);
  ASSERT_TRUE(p.is_ok());
  for (size_t r = 0; r < dup.x.rows; ++r) EXPECT_NEAR((*p)[r], dup.y[r], 1e-4);
  // The minimum-norm solution splits the duplicated weight evenly.
  EXPECT_NEAR(model->coefficients()[2], 0.25, 1e-4);
  EXPECT_NEAR(model->coefficients()[3], 0.25, 1e-4);
}

TEST(LinearRegressionTrainer, SavedModelLoadsWithIdenticalPredictions) {
  Dataset train = exact_plane(80, 5);
  auto model = train_or_die(train, regression({{"alpha", 0.5}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  std::ifstream file(dir.path() + "/model.json");
  nlohmann::json doc = nlohmann::json::parse(file);
  EXPECT_EQ(doc["format"], "traind-linear-v1");
  EXPECT_EQ(doc["feature_names"], nlohmann::json({"x0", "x1", "x2"}));
  EXPECT_EQ(doc["coefficients"].size(), 3u);
  Result<std::unique_ptr<Model>> loaded = spec().load_model(dir.path(), model->metadata());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(*model->predict(train.x), *(*loaded)->predict(train.x));
  EXPECT_EQ((*loaded)->metadata(), model->metadata());
}

TEST(LinearRegressionTrainer, ReportsOneIterationAndRefusesBadInput) {
  TrainOptions o = regression();
  int calls = 0;
  double rmse = -1;
  o.on_iteration = [&](const IterationReport& r) {
    ++calls;
    rmse = r.metrics.at("train_rmse");
    return false;
  };
  ASSERT_NE(train_or_die(exact_plane(30, 6), o), nullptr);
  EXPECT_EQ(calls, 1);
  EXPECT_NEAR(rmse, 0.0, 1e-4);

  Dataset empty;
  empty.x.cols = 3;
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(empty, nullptr, regression());
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kDataError);
  Result<std::unique_ptr<Model>> negative =
      spec().make_trainer()->train(exact_plane(10, 7), nullptr, regression({{"alpha", -1}}));
  ASSERT_FALSE(negative.is_ok());
  EXPECT_EQ(negative.status().code(), ErrorCode::kInvalidConfig);
}

}  // namespace
}  // namespace traind::algorithms
