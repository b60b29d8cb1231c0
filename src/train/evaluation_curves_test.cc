#include "train/evaluation_curves.h"

#include <gtest/gtest.h>

namespace traind::train {
namespace {

using nlohmann::json;

// scikit-learn's documented example: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8].
TEST(EvaluationCurves, RocAndPrecisionRecallAsScikitLearn) {
  json c = binary_curves({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8});
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["roc"]["fpr"], json({0.0, 0.0, 0.5, 0.5, 1.0}));
  EXPECT_EQ(c["roc"]["tpr"], json({0.0, 0.5, 0.5, 1.0, 1.0}));
  EXPECT_EQ(c["roc"]["thresholds"], json({nullptr, 0.8, 0.4, 0.35, 0.1}));
  // precision_recall_curve's points, from the highest threshold.
  EXPECT_EQ(c["precision_recall"]["recall"], json({0.0, 0.5, 0.5, 1.0, 1.0}));
  const json& p = c["precision_recall"]["precision"];
  ASSERT_EQ(p.size(), 5u);
  EXPECT_DOUBLE_EQ(p[1].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(p[2].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(p[3].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(p[4].get<double>(), 0.5);
}

TEST(EvaluationCurves, TiedScoresAreOnePointAndCalibrationBinsByScore) {
  json c = binary_curves({0, 1, 1, 0, 1}, {0.05, 0.92, 0.92, 0.55, 0.51});
  EXPECT_EQ(c["roc"]["thresholds"], json({nullptr, 0.92, 0.55, 0.51, 0.05}));
  EXPECT_EQ(c["calibration"]["count"], json({1, 2, 2}));
  EXPECT_EQ(c["calibration"]["fraction_positive"], json({0.0, 0.5, 1.0}));
  EXPECT_DOUBLE_EQ(c["calibration"]["mean_predicted"][1].get<double>(), 0.53);
  EXPECT_TRUE(binary_curves({1, 1}, {0.2, 0.3}).is_null()) << "one class only";
}

TEST(EvaluationCurves, ThinnedToAtMostMaxPointsKeepingBothEnds) {
  std::vector<int> y;
  std::vector<double> s;
  for (int i = 0; i < 5000; ++i) {
    y.push_back(i % 3 == 0 ? 1 : 0);
    s.push_back(i / 5000.0);
  }
  json c = binary_curves(y, s, 200);
  const json& fpr = c["roc"]["fpr"];
  ASSERT_LE(fpr.size(), 200u);
  EXPECT_GE(fpr.size(), 150u);
  EXPECT_EQ(fpr.front(), 0.0);
  EXPECT_EQ(fpr.back(), 1.0);
  EXPECT_EQ(c["roc"]["tpr"].size(), fpr.size());
}

TEST(EvaluationCurves, MulticlassIsEachClassAgainstTheRestAndRegressionSamples) {
  // Three rows, three classes, probabilities row-major.
  json c = classification_curves({0, 1, 2}, {0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7},
                                 {"a", "b", "c"});
  ASSERT_TRUE(c.contains("per_class"));
  EXPECT_EQ(c["per_class"]["b"]["roc"]["tpr"].back(), 1.0);
  json two = classification_curves({0, 1}, {0.9, 0.1, 0.3, 0.7}, {"no", "yes"});
  EXPECT_EQ(two["positive_label"], "yes");
  std::vector<double> actual(1000), predicted(1000);
  for (int i = 0; i < 1000; ++i) actual[i] = predicted[i] = i;
  json r = regression_curves(actual, predicted, 500);
  EXPECT_EQ(r["predicted_vs_actual"]["actual"].size(), 500u);
  EXPECT_EQ(r["predicted_vs_actual"]["actual"].back(), 999.0);
}

}  // namespace
}  // namespace traind::train
