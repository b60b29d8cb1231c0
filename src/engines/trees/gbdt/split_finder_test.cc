// Tests of split finding on hand-made histograms: gain formulas, missing-value passes,
// count estimation from hessians, one-hot and many-vs-many categorical splits, tie rules.
#include "engines/trees/gbdt/split_finder.h"

#include <gtest/gtest.h>

#include <vector>

namespace traind::engines::trees::detail {
namespace {

// (ΣG, ΣH) per bin.
std::vector<double> histogram(const std::vector<std::pair<double, double>>& bins) {
  std::vector<double> h;
  for (const auto& [g, hess] : bins) {
    h.push_back(g);
    h.push_back(hess);
  }
  return h;
}

FeatureMeta numerical(int num_bins, MissingType missing, uint32_t most_freq_bin = 1) {
  FeatureMeta m;
  m.column = 0;
  m.num_bins = num_bins;
  m.missing_type = missing;
  m.most_freq_bin = most_freq_bin;
  return m;
}

SplitParams loose() {
  SplitParams p;
  p.min_data_in_leaf = 1;
  p.min_sum_hessian_in_leaf = 0.0;
  return p;
}

TEST(SplitFinder, GainIsSumOfChildGainsMinusParentWithoutHalfFactor) {
  const auto h = histogram({{-10, 10}, {0, 10}, {10, 10}});
  SplitCandidate s;
  ASSERT_TRUE(
      find_best_split(h.data(), numerical(3, MissingType::kNone), loose(), 0.0, 30.0, 30, &s));
  // Both thresholds give 100/20 + 100/10 = 15; the first one found (right to left) is kept.
  EXPECT_EQ(s.threshold, 1u);
  EXPECT_NEAR(s.gain, 15.0, 1e-9);
  EXPECT_EQ(s.left_count, 20);
  EXPECT_EQ(s.right_count, 10);
  EXPECT_NEAR(s.left_output, 10.0 / 20.0, 1e-12);
  EXPECT_NEAR(s.right_output, -1.0, 1e-12);
  EXPECT_TRUE(s.default_left);
}

TEST(SplitFinder, LeafOutputAndGainWithL1L2AndMaxDeltaStep) {
  EXPECT_DOUBLE_EQ(leaf_output(-10, 4, 2, 1, 0), 8.0 / 5.0);
  EXPECT_DOUBLE_EQ(leaf_gain(-10, 4, 2, 1, 0), 64.0 / 5.0);
  EXPECT_DOUBLE_EQ(leaf_output(-100, 1, 0, 0, 0.5), 0.5);
  // Gain at the clamped output o: -(2·G·o + H·o²) = -(2·(-100)·0.5 + 0.25) = 99.75.
  EXPECT_DOUBLE_EQ(leaf_gain(-100, 1, 0, 0, 0.5), 99.75);
  EXPECT_DOUBLE_EQ(leaf_output(1, 4, 2, 0, 0), 0.0);  // |G| <= l1
}

TEST(SplitFinder, MissingValuesGoLeftWhenThatScoresBetter) {
  // Bin 3 is the NaN bin. Missing rows resemble bin 0 (negative gradient): send them left.
  const auto h = histogram({{-10, 10}, {10, 10}, {10, 10}, {-10, 10}});
  SplitCandidate s;
  ASSERT_TRUE(
      find_best_split(h.data(), numerical(4, MissingType::kNaN), loose(), 0.0, 40.0, 40, &s));
  EXPECT_TRUE(s.default_left);
  EXPECT_EQ(s.threshold, 0u);
  EXPECT_NEAR(s.gain, 40.0, 1e-9);
  EXPECT_EQ(s.left_count, 20);
}

TEST(SplitFinder, MissingValuesGoRightWhenThatScoresBetter) {
  const auto h = histogram({{-10, 10}, {10, 10}, {10, 10}, {10, 10}});
  for (uint32_t most_freq_bin : {1u, 0u}) {  // 0: bin 0 is derived by subtraction
    SplitCandidate s;
    ASSERT_TRUE(find_best_split(h.data(), numerical(4, MissingType::kNaN, most_freq_bin), loose(),
                                20.0, 40.0, 40, &s));
    EXPECT_FALSE(s.default_left) << most_freq_bin;
    EXPECT_EQ(s.threshold, 0u) << most_freq_bin;
    EXPECT_NEAR(s.gain, 100.0 / 10 + 900.0 / 30 - 400.0 / 40, 1e-9) << most_freq_bin;
  }
}

TEST(SplitFinder, NanFeatureWithTwoBinsSendsMissingRight) {
  const auto h = histogram({{-10, 10}, {10, 10}});
  SplitCandidate s;
  ASSERT_TRUE(
      find_best_split(h.data(), numerical(2, MissingType::kNaN), loose(), 0.0, 20.0, 20, &s));
  EXPECT_FALSE(s.default_left);
  EXPECT_EQ(s.threshold, 0u);
}

TEST(SplitFinder, CountsAreEstimatedFromHessians) {
  // 100 rows, ΣH = 10: bin 2 (H = 1) counts as round(1·100/10) = 10 rows.
  const auto h = histogram({{-5, 4.5}, {0, 4.5}, {5, 1}});
  SplitParams p = loose();
  p.min_data_in_leaf = 10;
  SplitCandidate s;
  ASSERT_TRUE(find_best_split(h.data(), numerical(3, MissingType::kNone), p, 0.0, 10.0, 100, &s));
  EXPECT_EQ(s.threshold, 1u);
  EXPECT_EQ(s.right_count, 10);
  p.min_data_in_leaf = 11;
  ASSERT_TRUE(find_best_split(h.data(), numerical(3, MissingType::kNone), p, 0.0, 10.0, 100, &s));
  EXPECT_EQ(s.threshold, 0u);
  EXPECT_EQ(s.right_count, 55);
}

TEST(SplitFinder, MinGainToSplitIsSubtractedFromTheScore) {
  const auto h = histogram({{-10, 10}, {10, 10}});
  SplitParams p = loose();
  p.min_gain_to_split = 5.0;
  SplitCandidate s;
  ASSERT_TRUE(find_best_split(h.data(), numerical(2, MissingType::kNone), p, 0.0, 20.0, 20, &s));
  EXPECT_NEAR(s.gain, 20.0 - 5.0, 1e-9);
  p.min_gain_to_split = 25.0;
  EXPECT_FALSE(find_best_split(h.data(), numerical(2, MissingType::kNone), p, 0.0, 20.0, 20, &s));
  EXPECT_EQ(s.gain, -std::numeric_limits<double>::infinity());
}

FeatureMeta categorical(int num_bins) {
  FeatureMeta m;
  m.column = 3;
  m.num_bins = num_bins;
  m.categorical = true;
  m.missing_type = MissingType::kNaN;
  return m;
}

TEST(SplitFinder, OneHotCategoricalPutsOneCategoryLeft) {
  const auto h = histogram({{0, 0}, {-10, 10}, {5, 10}, {5, 10}});
  SplitCandidate s;
  ASSERT_TRUE(find_best_split(h.data(), categorical(4), loose(), 0.0, 30.0, 30, &s));
  EXPECT_EQ(s.cat_bins, std::vector<uint32_t>{1});
  EXPECT_FALSE(s.default_left);
  EXPECT_NEAR(s.gain, 100.0 / 10 + 100.0 / 20, 1e-9);
}

TEST(SplitFinder, ManyVsManyCategoricalGroupsByGradientRatio) {
  const auto h = histogram({{0, 0}, {-20, 50}, {20, 50}, {-20, 50}, {20, 50}, {0, 50}});
  SplitParams p = loose();
  p.max_cat_to_onehot = 4;
  p.cat_smooth = 0;
  p.cat_l2 = 0;
  p.min_data_per_group = 1;
  SplitCandidate s;
  ASSERT_TRUE(find_best_split(h.data(), categorical(6), p, 0.0, 250.0, 250, &s));
  EXPECT_EQ(s.cat_bins, (std::vector<uint32_t>{1, 3}));
  EXPECT_NEAR(s.gain, 1600.0 / 100 + 1600.0 / 150, 1e-9);
  EXPECT_EQ(s.left_count, 100);
}

TEST(SplitFinder, ManyVsManyNeedsMinDataPerGroupBetweenEvaluations) {
  const auto h = histogram({{0, 0}, {-20, 50}, {20, 50}, {-20, 50}, {20, 50}, {0, 50}});
  SplitParams p = loose();
  p.max_cat_to_onehot = 4;
  p.cat_smooth = 0;
  p.cat_l2 = 0;
  p.min_data_per_group = 100;  // a prefix is evaluated only every 100 rows
  SplitCandidate s;
  ASSERT_TRUE(find_best_split(h.data(), categorical(6), p, 0.0, 250.0, 250, &s));
  EXPECT_EQ(s.cat_bins.size(), 2u);
}

TEST(SplitFinder, TiesPreferTheSmallerColumn) {
  SplitCandidate a, b;
  a.gain = b.gain = 3.0;
  a.column = 2;
  b.column = 5;
  EXPECT_TRUE(a.better_than(b));
  EXPECT_FALSE(b.better_than(a));
  b.gain = 3.5;
  EXPECT_TRUE(b.better_than(a));
  SplitCandidate none;
  EXPECT_TRUE(a.better_than(none));
}

}  // namespace
}  // namespace traind::engines::trees::detail
