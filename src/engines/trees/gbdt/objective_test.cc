// Tests of the objectives: gradients, initial scores and metrics as LightGBM defines them.
#include "engines/trees/gbdt/objective.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engines/trees/gbdt/percentile.h"

namespace traind::engines::trees::detail {
namespace {

// An Objective keeps views of its labels: keep them alive for the whole test.
std::unique_ptr<Objective> make(const GbdtConfig& config, std::vector<float> labels) {
  static std::vector<std::vector<float>> kept;
  kept.push_back(std::move(labels));
  auto result = Objective::create(config, kept.back(), {});
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  return std::move(result).value();
}

GbdtConfig with_objective(const std::string& objective) {
  GbdtConfig c;
  c.objective = objective;
  if (objective == "multiclass") c.num_class = 3;
  return c;
}

TEST(Objective, RegressionGradientIsResidualAndInitIsMean) {
  const std::vector<float> y = {1, 2, 6};
  auto obj = make(with_objective("regression"), y);
  EXPECT_DOUBLE_EQ(obj->initial_score(0), 3.0);
  const std::vector<double> s = {0.5, 2.0, 7.0};
  std::vector<float> g(3), h(3);
  obj->gradients(s.data(), 0, 3, g.data(), h.data());
  EXPECT_FLOAT_EQ(g[0], -0.5f);
  EXPECT_FLOAT_EQ(g[1], 0.0f);
  EXPECT_FLOAT_EQ(g[2], 1.0f);
  EXPECT_FLOAT_EQ(h[0], 1.0f);
  EXPECT_EQ(obj->model_string(), "regression");
  EXPECT_EQ(obj->metric_name(), "l2");
  EXPECT_DOUBLE_EQ(obj->metric(s.data(), 3, y, {}), (0.25 + 0 + 1) / 3);
}

TEST(Objective, RegressionL1InitIsMedianWithInterpolation) {
  auto odd = make(with_objective("regression_l1"), {5, 1, 3});
  EXPECT_DOUBLE_EQ(odd->initial_score(0), 3.0);
  auto even = make(with_objective("regression_l1"), {4, 1, 2, 8});
  EXPECT_DOUBLE_EQ(even->initial_score(0), 3.0);  // between 2 and 4
  EXPECT_TRUE(even->renews_leaves());
  const std::vector<double> s = {0, 0, 0, 0};
  const std::vector<int> rows = {0, 1, 3};  // residuals 4, 1, 8
  EXPECT_DOUBLE_EQ(even->renew_leaf_output(rows, s.data()), 4.0);
}

TEST(Objective, WeightedPercentileFollowsLightGbmCdfRule) {
  // cdf 1,2,3,4 over sorted 1,2,3,4; threshold 2 -> pos 2; gap 1 >= 1 -> LightGBM's
  // interpolation (threshold - cdf[pos]) / gap * (v2 - v1) + v1 = -1 * 1 + 2.
  const std::vector<double> v = {4, 1, 3, 2};
  const std::vector<float> w = {1, 1, 1, 1};
  EXPECT_DOUBLE_EQ((weighted_percentile<double, float>(v, w, 0.5)), 1.0);
  // Weights below 1: no interpolation, the value at pos.
  const std::vector<float> small = {0.5f, 0.5f, 0.5f, 0.5f};
  EXPECT_DOUBLE_EQ((weighted_percentile<double, float>(v, small, 0.5)), 3.0);
}

TEST(Objective, HuberClipsGradientAtAlpha) {
  GbdtConfig c = with_objective("huber");
  c.alpha = 0.9;
  auto obj = make(c, {0, 0});
  const std::vector<double> s = {0.5, -3.0};
  std::vector<float> g(2), h(2);
  obj->gradients(s.data(), 0, 2, g.data(), h.data());
  EXPECT_FLOAT_EQ(g[0], 0.5f);
  EXPECT_FLOAT_EQ(g[1], -0.9f);
  EXPECT_EQ(obj->metric_name(), "huber");
}

TEST(Objective, BinaryGradientsAndLogOddsInit) {
  auto obj = make(with_objective("binary"), {1, 0, 0, 0});
  EXPECT_NEAR(obj->initial_score(0), std::log(0.25 / 0.75), 1e-15);
  const std::vector<double> s = {0.0, 0.0, 0.0, 0.0};
  std::vector<float> g(4), h(4);
  obj->gradients(s.data(), 0, 4, g.data(), h.data());
  EXPECT_FLOAT_EQ(g[0], -0.5f);
  EXPECT_FLOAT_EQ(g[1], 0.5f);
  EXPECT_FLOAT_EQ(h[0], 0.25f);
  EXPECT_EQ(obj->model_string(), "binary sigmoid:1");
  EXPECT_NEAR(obj->metric(s.data(), 4, std::vector<float>{1, 0, 0, 0}, {}), std::log(2.0), 1e-15);
}

TEST(Objective, BinaryIsUnbalanceWeightsMinorityClass) {
  GbdtConfig c = with_objective("binary");
  c.is_unbalance = true;
  auto obj = make(c, {1, 0, 0, 0});
  const std::vector<double> s = {0.0, 0.0, 0.0, 0.0};
  std::vector<float> g(4), h(4);
  obj->gradients(s.data(), 0, 4, g.data(), h.data());
  EXPECT_FLOAT_EQ(g[0], -1.5f);  // 3 negatives / 1 positive
  EXPECT_FLOAT_EQ(g[1], 0.5f);
}

TEST(Objective, SingleClassBinaryNeedsNoTraining) {
  auto obj = make(with_objective("binary"), {1, 1, 1});
  EXPECT_FALSE(obj->class_needs_training(0));
  // 1 - (1 - kEpsilon) loses digits in double, as in LightGBM: about 34.54.
  EXPECT_NEAR(obj->initial_score(0), std::log((1 - kEpsilon) / kEpsilon), 1e-2);
}

TEST(Objective, MulticlassSoftmaxGradientsWithFactor) {
  auto obj = make(with_objective("multiclass"), {0, 1, 1, 2});
  EXPECT_EQ(obj->num_tree_per_iteration(), 3);
  EXPECT_DOUBLE_EQ(obj->initial_score(1), std::log(0.5));
  const std::vector<double> s(12, 0.0);
  std::vector<float> g(12), h(12);
  obj->gradients(s.data(), 0, 4, g.data(), h.data());
  EXPECT_FLOAT_EQ(g[0], static_cast<float>(1.0 / 3 - 1.0));  // row 0, class 0
  EXPECT_FLOAT_EQ(g[4], static_cast<float>(1.0 / 3));        // row 0, class 1
  EXPECT_FLOAT_EQ(h[0], static_cast<float>(1.5 * (1.0 / 3) * (2.0 / 3)));
  EXPECT_EQ(obj->model_string(), "multiclass num_class:3");
}

TEST(Objective, MulticlassClassWithoutRowsIsNotTrained) {
  auto obj = make(with_objective("multiclass"), {0, 1, 1, 0});
  EXPECT_TRUE(obj->class_needs_training(0));
  EXPECT_FALSE(obj->class_needs_training(2));
  EXPECT_DOUBLE_EQ(obj->initial_score(2), std::log(kEpsilon));
}

TEST(Objective, MulticlassRejectsLabelOutOfRange) {
  EXPECT_FALSE(
      Objective::create(with_objective("multiclass"), std::vector<float>{0, 3}, {}).is_ok());
}

}  // namespace
}  // namespace traind::engines::trees::detail
