// Metrics against values worked out by hand (and, where noted, scikit-learn's docs).
#include "train/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace traind::train {
namespace {

std::vector<double> one_hot_proba(const std::vector<int>& predicted, size_t k) {
  std::vector<double> p(predicted.size() * k, 0.0);
  for (size_t i = 0; i < predicted.size(); ++i) p[i * k + static_cast<size_t>(predicted[i])] = 1.0;
  return p;
}

TEST(RocAuc, CountsTiedScoresAsHalf) {
  // Positives score {0.5, 0.9}, negatives {0.5, 0.2}: pairs 0.5/0.5 (tie, 1/2), 0.5/0.2,
  // 0.9/0.5, 0.9/0.2 -> 3.5 / 4.
  auto auc = binary_roc_auc({0, 1, 0, 1}, {0.5, 0.5, 0.2, 0.9});
  ASSERT_TRUE(auc.has_value());
  EXPECT_DOUBLE_EQ(*auc, 0.875);
}

TEST(RocAuc, MatchesScikitLearnsDocExample) {
  auto auc = binary_roc_auc({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8});
  ASSERT_TRUE(auc.has_value());
  EXPECT_DOUBLE_EQ(*auc, 0.75);
}

TEST(RocAuc, IsUndefinedWithOneClass) {
  EXPECT_FALSE(binary_roc_auc({1, 1}, {0.2, 0.3}).has_value());
}

TEST(ClassificationMetrics, BinaryUsesTheSecondLabelAsPositive) {
  // p(1) = [.2 .7 .4 .6 .9] -> predicted [0 1 0 1 1]; truth [0 1 1 0 1]:
  // tp 2, fp 1, fn 1 -> precision = recall = f1 = 2/3; AUC: 5 of 6 pairs ordered.
  const std::vector<int> y = {0, 1, 1, 0, 1};
  const std::vector<double> p1 = {0.2, 0.7, 0.4, 0.6, 0.9};
  std::vector<double> proba;
  for (double p : p1) proba.insert(proba.end(), {1 - p, p});
  const auto m = classification_metrics(y, proba, {"0", "1"});
  EXPECT_DOUBLE_EQ(m["accuracy"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(m["precision"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m["recall"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m["f1_score"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m["auc_roc"].get<double>(), 5.0 / 6.0);
  const double expected_loss =
      -(std::log(0.8) + std::log(0.7) + std::log(0.4) + std::log(0.4) + std::log(0.9)) / 5.0;
  EXPECT_NEAR(m["log_loss"].get<double>(), expected_loss, 1e-12);
  EXPECT_EQ(m["averaging"], "binary");
  EXPECT_EQ(m["confusion_matrix"], nlohmann::json::parse("[[1, 1], [1, 2]]"));
  EXPECT_EQ(m["labels"], nlohmann::json::parse(R"(["0", "1"])"));
}

TEST(ClassificationMetrics, MulticlassIsSupportWeighted) {
  // scikit-learn's f1_score doc example: weighted F1 0.2667, precision 0.2222, recall 1/3.
  const std::vector<int> y_true = {0, 1, 2, 0, 1, 2};
  const std::vector<int> y_pred = {0, 2, 1, 0, 0, 1};
  const auto m = classification_metrics(y_true, one_hot_proba(y_pred, 3), {"a", "b", "c"});
  EXPECT_NEAR(m["f1_score"].get<double>(), 0.26666666666666666, 1e-12);
  EXPECT_NEAR(m["precision"].get<double>(), 0.2222222222222222, 1e-12);
  EXPECT_NEAR(m["recall"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(m["accuracy"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_EQ(m["averaging"], "weighted");
  EXPECT_EQ(m["confusion_matrix"], nlohmann::json::parse("[[2, 0, 0], [1, 0, 1], [0, 2, 0]]"));
}

TEST(ClassificationMetrics, MulticlassAucIsOneVsRestMacro) {
  // Per class, pairs (positive, negative) ordered right, ties 1/2:
  // class 0: 7/8, class 1: 6/8 (two ties at 0.3), class 2: 8/8 -> mean 0.875.
  const std::vector<int> y = {0, 1, 2, 0, 1, 2};
  const std::vector<double> proba = {0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6,
                                     0.3, 0.4, 0.3, 0.5, 0.3, 0.2, 0.2, 0.2, 0.6};
  const auto m = classification_metrics(y, proba, {"0", "1", "2"});
  EXPECT_NEAR(m["auc_roc"].get<double>(), 0.875, 1e-12);
}

TEST(ConfusionMatrix, RowsAreTrueClassesColumnsPredicted) {
  const auto cm = confusion_matrix({0, 0, 1, 2}, {1, 0, 1, 0}, 3);
  EXPECT_EQ(cm, (std::vector<std::vector<long long>>{{1, 1, 0}, {0, 1, 0}, {1, 0, 0}}));
}

TEST(RegressionMetrics, MatchScikitLearnsDocExample) {
  // y = [3, -0.5, 2, 7], p = [2.5, 0, 2, 8]: r2 0.948608..., mae 0.5,
  // rmse sqrt(0.375), mape (0.5/3 + 0.5/0.5 + 0 + 1/7) / 4.
  const auto m = regression_metrics({3, -0.5, 2, 7}, {2.5, 0.0, 2, 8});
  EXPECT_NEAR(m["r2"].get<double>(), 0.9486081370449679, 1e-12);
  EXPECT_DOUBLE_EQ(m["mae"].get<double>(), 0.5);
  EXPECT_NEAR(m["rmse"].get<double>(), std::sqrt(0.375), 1e-12);
  EXPECT_NEAR(m["mape"].get<double>(), 0.3273809523809524, 1e-12);
}

TEST(RegressionMetrics, MapeDividesByEpsilonWhenTheTruthIsZero) {
  const auto m = regression_metrics({0.0, 1.0}, {1.0, 1.0});
  EXPECT_DOUBLE_EQ(m["mape"].get<double>(), (1.0 / std::numeric_limits<double>::epsilon()) / 2.0);
}

TEST(RegressionMetrics, R2OfAConstantTruthIsOneOnlyForAPerfectFit) {
  EXPECT_DOUBLE_EQ(regression_metrics({2, 2}, {2, 2})["r2"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(regression_metrics({2, 2}, {1, 2})["r2"].get<double>(), 0.0);
}

}  // namespace
}  // namespace traind::train
