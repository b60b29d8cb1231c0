// Tests of leaf-wise growth on a hand-made binned matrix: split order and node numbering,
// max_depth, feature masks, the data partition, and histogram helpers.
#include "engines/trees/gbdt/leaf_wise_learner.h"

#include <gtest/gtest.h>

#include <vector>

namespace traind::engines::trees::detail {
namespace {

// 400 rows; feature 0 has bins 0..3 (100 rows each), feature 1 is noise with 2 bins.
struct Fixture {
  std::vector<uint8_t> bins;
  std::vector<float> grad, hess;
  std::vector<LearnerFeature> features;
  BinMatrixView view;

  explicit Fixture(std::vector<float> bin_gradient = {-3, -1, 1, 3}) {
    const int rows = 400;
    for (int r = 0; r < rows; ++r) {
      const int b0 = r % 4;
      bins.push_back(static_cast<uint8_t>(b0));
      bins.push_back(static_cast<uint8_t>((r / 7) % 2));
      grad.push_back(bin_gradient[b0]);
      hess.push_back(1.0f);
    }
    LearnerFeature f0;
    f0.meta.column = 0;
    f0.meta.num_bins = 4;
    f0.meta.most_freq_bin = 0;
    f0.bin_upper_bounds = {0.5, 1.5, 2.5, std::numeric_limits<double>::infinity()};
    LearnerFeature f1;
    f1.meta.column = 1;
    f1.meta.num_bins = 2;
    f1.meta.most_freq_bin = 1;
    f1.bin_upper_bounds = {0.5, std::numeric_limits<double>::infinity()};
    features = {f0, f1};
    view.bins8 = bins.data();
    view.num_rows = rows;
    view.num_features = 2;
  }
};

GbdtConfig small_config(int num_leaves, int max_depth = -1) {
  GbdtConfig c;
  c.num_leaves = num_leaves;
  c.max_depth = max_depth;
  c.min_data_in_leaf = 10;
  return c;
}

TEST(LeafWiseLearner, SplitsBestLeafFirstAndNumbersNodesLikeLightGbm) {
  Fixture fx;
  ThreadPool pool(2);
  LeafWiseLearner learner(fx.view, fx.features, small_config(4), &pool);
  const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {1, 1});
  ASSERT_EQ(tree.num_leaves, 4);
  // Root: bins {0,1} | {2,3} (gain 1600). Children tie at 200: the lower leaf id goes first.
  EXPECT_EQ(tree.split_feature, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(tree.threshold, (std::vector<double>{1.5, 0.5, 2.5}));
  EXPECT_EQ(tree.left_child, (std::vector<int>{1, ~0, ~1}));
  EXPECT_EQ(tree.right_child, (std::vector<int>{2, ~2, ~3}));
  EXPECT_EQ(tree.leaf_count, (std::vector<int>{100, 100, 100, 100}));
  EXPECT_EQ(tree.internal_count, (std::vector<int>{400, 200, 200}));
  EXPECT_NEAR(tree.split_gain[0], 1600.0f, 1e-3);
  EXPECT_NEAR(tree.leaf_value[0], 3.0, 1e-12);   // bin 0: -ΣG/ΣH = 300/100
  EXPECT_NEAR(tree.leaf_value[3], -3.0, 1e-12);  // bin 3
  EXPECT_NEAR(tree.internal_value[1], 2.0, 1e-12);
  EXPECT_NEAR(tree.leaf_weight[1], 100.0, 1e-9);
  // The partition agrees with walking the tree.
  for (int leaf = 0; leaf < 4; ++leaf) {
    for (int r : learner.leaf_rows(leaf)) EXPECT_EQ(learner.leaf_of(fx.view, r), leaf);
  }
}

TEST(LeafWiseLearner, MaxDepthStopsGrowth) {
  Fixture fx;
  ThreadPool pool(1);
  LeafWiseLearner learner(fx.view, fx.features, small_config(31, 1), &pool);
  const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {1, 1});
  EXPECT_EQ(tree.num_leaves, 2);
}

TEST(LeafWiseLearner, UnusedFeaturesAreNeverSplit) {
  Fixture fx;
  ThreadPool pool(1);
  LeafWiseLearner learner(fx.view, fx.features, small_config(8), &pool);
  const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {0, 1});
  for (int f : tree.split_feature) EXPECT_EQ(f, 1);
}

TEST(LeafWiseLearner, NoPositiveGainLeavesASingleLeaf) {
  Fixture fx({1, 1, 1, 1});
  for (float& h : fx.hess) h = 1.0f;
  ThreadPool pool(1);
  LeafWiseLearner learner(fx.view, fx.features, small_config(8), &pool);
  const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {1, 1});
  EXPECT_EQ(tree.num_leaves, 1);
  EXPECT_NEAR(tree.leaf_value[0], -1.0, 1e-12);
}

TEST(LeafWiseLearner, BagRowsAreTheOnlyRowsCounted) {
  Fixture fx;
  std::vector<int> bag;
  for (int r = 0; r < 400; r += 2) bag.push_back(r);
  ThreadPool pool(2);
  LeafWiseLearner learner(fx.view, fx.features, small_config(4), &pool);
  const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), bag, {1, 1});
  int total = 0;
  for (int c : tree.leaf_count) total += c;
  EXPECT_EQ(total, 200);
  for (int leaf = 0; leaf < tree.num_leaves; ++leaf) {
    for (int r : learner.leaf_rows(leaf)) EXPECT_EQ(r % 2, 0);
  }
}

// Rows of bin 0 of feature 0 (every 4th row) against the rest: whichever side is the
// majority, both leaves list their rows ascending (the partition buffers only half the rows).
TEST(LeafWiseLearner, PartitionKeepsBothSidesAscendingWhicheverSideIsLarger) {
  for (const std::vector<float>& gradient :
       {std::vector<float>{-3, 1, 1, 1}, std::vector<float>{-1, -1, -1, 3}}) {
    Fixture fx(gradient);
    ThreadPool pool(1);
    LeafWiseLearner learner(fx.view, fx.features, small_config(2), &pool);
    const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {1, 0});
    ASSERT_EQ(tree.num_leaves, 2);
    const uint32_t threshold = gradient[1] > 0 ? 0 : 2;  // bins <= threshold go left
    std::vector<int> expected_left, expected_right;
    for (int r = 0; r < 400; ++r) {
      (static_cast<uint32_t>(r % 4) <= threshold ? expected_left : expected_right).push_back(r);
    }
    const auto left = learner.leaf_rows(0);
    const auto right = learner.leaf_rows(1);
    EXPECT_EQ(std::vector<int>(left.begin(), left.end()), expected_left);
    EXPECT_EQ(std::vector<int>(right.begin(), right.end()), expected_right);
  }
}

// 4000 rows, 3 features of 16 bins with random bins and gradients: deep 31-leaf trees.
struct RandomFixture {
  static constexpr int kRows = 4000;
  static constexpr int kFeatures = 3;
  std::vector<uint8_t> bins;
  std::vector<float> grad, hess;
  std::vector<LearnerFeature> features;
  BinMatrixView view;

  RandomFixture() {
    uint32_t state = 12345;
    auto next = [&] { return state = state * 1664525u + 1013904223u; };
    for (int r = 0; r < kRows; ++r) {
      for (int f = 0; f < kFeatures; ++f) bins.push_back(static_cast<uint8_t>(next() >> 28));
      grad.push_back(static_cast<float>(static_cast<int>(next() >> 24) - 128) / 64.0f);
      hess.push_back(static_cast<float>(1 + (next() >> 30)));
    }
    features.resize(kFeatures);
    for (int f = 0; f < kFeatures; ++f) {
      features[f].meta.column = f;
      features[f].meta.num_bins = 16;
      features[f].meta.most_freq_bin = static_cast<uint32_t>(f);  // bin 0, 1, 2 derived
      for (int b = 0; b < 16; ++b) features[f].bin_upper_bounds.push_back(b + 0.5);
    }
    view = {bins.data(), nullptr, kRows, kFeatures};
  }
};

void expect_same_tree(const Tree& a, const Tree& b) {
  EXPECT_EQ(a.num_leaves, b.num_leaves);
  EXPECT_EQ(a.split_feature, b.split_feature);
  EXPECT_EQ(a.split_gain, b.split_gain);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.left_child, b.left_child);
  EXPECT_EQ(a.right_child, b.right_child);
  EXPECT_EQ(a.internal_value, b.internal_value);
  EXPECT_EQ(a.internal_weight, b.internal_weight);
  EXPECT_EQ(a.leaf_value, b.leaf_value);
  EXPECT_EQ(a.leaf_weight, b.leaf_weight);
  EXPECT_EQ(a.leaf_count, b.leaf_count);
}

// 31 leaves need at most 16 live histograms: a leaf that can no longer be split (as many
// leaves rank ahead of it as splits remain) gives its buffer back.
TEST(LeafWiseLearner, KeepsOnlyHistogramsOfLeavesThatCanStillSplit) {
  RandomFixture fx;
  ThreadPool pool(1);
  LeafWiseLearner learner(fx.view, fx.features, small_config(31), &pool);
  learner.set_histogram_budget(31);
  for (int tree_index = 0; tree_index < 3; ++tree_index) {
    const Tree tree = learner.train(fx.grad.data(), fx.hess.data(), {}, {1, 1, 1});
    ASSERT_EQ(tree.num_leaves, 31);
    for (int leaf = 0; leaf < tree.num_leaves; ++leaf) {
      EXPECT_EQ(tree.leaf_count[leaf], static_cast<int>(learner.leaf_rows(leaf).size()));
      for (int r : learner.leaf_rows(leaf)) ASSERT_EQ(learner.leaf_of(fx.view, r), leaf);
    }
    for (float& g : fx.grad) g = -0.5f * g + 0.25f;
  }
  EXPECT_LE(learner.num_histogram_buffers(), 16);
  EXPECT_GE(learner.num_histogram_buffers(), 2);
  EXPECT_EQ(learner.num_histogram_rebuilds(), 0);
}

// A small histogram budget drops directly built histograms and rebuilds them when their leaf
// is split: the trees are bit-identical to those grown with every histogram kept, with and
// without bagging and for any thread count.
TEST(LeafWiseLearner, HistogramBudgetNeverChangesTheTree) {
  RandomFixture fx;
  std::vector<int> bag;
  for (int r = 0; r < RandomFixture::kRows; ++r) {
    if (r % 3 != 1) bag.push_back(r);
  }
  for (const std::vector<int>& rows : {std::vector<int>{}, bag}) {
    ThreadPool one(1), two(2);
    LeafWiseLearner unlimited(fx.view, fx.features, small_config(31), &one);
    unlimited.set_histogram_budget(31);
    LeafWiseLearner tight(fx.view, fx.features, small_config(31), &two);
    tight.set_histogram_budget(3);
    for (const std::vector<char>& used : {std::vector<char>{1, 1, 1}, std::vector<char>{1, 0, 1}}) {
      const Tree a = unlimited.train(fx.grad.data(), fx.hess.data(), rows, used);
      const Tree b = tight.train(fx.grad.data(), fx.hess.data(), rows, used);
      ASSERT_EQ(a.num_leaves, 31);
      expect_same_tree(a, b);
    }
    EXPECT_GT(tight.num_histogram_rebuilds(), 0);
    EXPECT_LT(tight.num_histogram_buffers(), unlimited.num_histogram_buffers());
  }
}

TEST(Histogram, SameSumsForAnyThreadCountAndMostFrequentBinIsDerived) {
  Fixture fx;
  const HistogramLayout layout = HistogramLayout::from_bin_counts({4, 2});
  const std::vector<int> features = {0, 1};
  std::vector<double> one(2 * layout.total_bins), many(2 * layout.total_bins);
  ThreadPool p1(1), p4(4);
  construct_histograms(fx.view, layout, features, nullptr, 400, fx.grad.data(), fx.hess.data(),
                       one.data(), p1);
  construct_histograms(fx.view, layout, features, nullptr, 400, fx.grad.data(), fx.hess.data(),
                       many.data(), p4);
  EXPECT_EQ(one, many);
  EXPECT_DOUBLE_EQ(one[0], -300.0);
  EXPECT_DOUBLE_EQ(one[1], 100.0);
  // Feature 1's bin 1 = leaf total - bin 0.
  double* f1 = one.data() + 2 * layout.offset[1];
  const double bin1 = f1[2];
  f1[2] = 12345;
  fix_most_frequent_bin(f1, 2, 1, 0.0, 400.0);
  EXPECT_DOUBLE_EQ(f1[2], bin1);
  std::vector<double> diff = one;
  subtract_feature_histogram(many.data(), diff.data(), layout.total_bins);
  for (double v : diff) EXPECT_EQ(v, 0.0);
}

}  // namespace
}  // namespace traind::engines::trees::detail
