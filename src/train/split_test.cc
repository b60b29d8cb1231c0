// Split sizes match scikit-learn's train_test_split(stratify=y); the shuffle is seeded.
#include "train/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace traind::train {
namespace {

std::vector<int> labels_with_counts(const std::vector<size_t>& counts) {
  // Classes interleaved, so that a split that ignored classes would not match by chance.
  std::vector<int> y;
  std::vector<size_t> left = counts;
  bool any = true;
  while (any) {
    any = false;
    for (size_t c = 0; c < left.size(); ++c) {
      if (left[c] > 0) {
        y.push_back(static_cast<int>(c));
        --left[c];
        any = true;
      }
    }
  }
  return y;
}

std::vector<size_t> class_counts(const std::vector<int>& y, const std::vector<size_t>& rows,
                                 size_t k) {
  std::vector<size_t> counts(k, 0);
  for (size_t r : rows) ++counts[static_cast<size_t>(y[r])];
  return counts;
}

struct Case {
  std::vector<size_t> counts;
  double test_size;
  std::vector<size_t> expected_test;  // per class
};

TEST(StratifiedSplit, PerClassTestCountsEqualScikitLearns) {
  // Expected numbers worked out from scikit-learn's rules: n_test = ceil(test_size * n),
  // n_train = n - n_test; train counts = _approximate_mode(class_counts, n_train) (floor of
  // count / n * n_train, leftover rows to the largest remainders); test = the rest.
  const std::vector<Case> cases = {
      // n=5000, n_test=1000, n_train=4000: 2938.4 / 1061.6 -> floors 2938 + 1061, the
      // leftover row to class 1 (.6 > .4): train 2938/1062, test 735/265.
      {{3673, 1327}, 0.2, {735, 265}},
      // n=10, n_test=ceil(2.5)=3, n_train=7: 2.1 / 4.9 -> 2 + 4, leftover to class 1.
      {{3, 7}, 0.25, {1, 2}},
      // n=100, n_test=33, n_train=67: 33.5 / 20.1 / 13.4 -> 33 + 20 + 13, leftover to class 0.
      {{50, 30, 20}, 0.33, {16, 10, 7}},
      // n=1237, n_test=ceil(309.25)=310, n_train=927: 749.39 / 149.88 / 27.73 -> two
      // leftover rows to classes 1 and 2.
      {{1000, 200, 37}, 0.25, {251, 50, 9}},
  };
  for (const Case& c : cases) {
    const std::vector<int> y = labels_with_counts(c.counts);
    auto split = stratified_split(y, static_cast<int>(c.counts.size()), c.test_size, 42);
    ASSERT_TRUE(split.is_ok()) << split.status().to_string();
    EXPECT_EQ(class_counts(y, split->test, c.counts.size()), c.expected_test);
    EXPECT_EQ(split->train.size() + split->test.size(), y.size());
  }
}

TEST(StratifiedSplit, BreaksEqualRemaindersByClassOrder) {
  // [5, 5] with test_size 0.3: n_train = 7, 3.5 / 3.5; scikit-learn picks the class for
  // the leftover row at random, we pick class 0: train 4/3, test 1/2.
  const std::vector<int> y = labels_with_counts({5, 5});
  auto split = stratified_split(y, 2, 0.3, 1);
  ASSERT_TRUE(split.is_ok());
  EXPECT_EQ(class_counts(y, split->test, 2), (std::vector<size_t>{1, 2}));
}

TEST(StratifiedSplit, IsDeterministicForASeedAndDiffersForAnother) {
  const std::vector<int> y = labels_with_counts({700, 300});
  auto a = stratified_split(y, 2, 0.2, 42);
  auto b = stratified_split(y, 2, 0.2, 42);
  auto c = stratified_split(y, 2, 0.2, 43);
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  EXPECT_EQ(a->test, b->test);
  EXPECT_EQ(a->train, b->train);
  EXPECT_NE(a->test, c->test);
  EXPECT_EQ(class_counts(y, a->test, 2), class_counts(y, c->test, 2));
}

TEST(StratifiedSplit, PartsAreDisjointAndCoverEveryRow) {
  const std::vector<int> y = labels_with_counts({40, 35, 25});
  auto split = stratified_split(y, 3, 0.3, 7);
  ASSERT_TRUE(split.is_ok());
  std::set<size_t> all(split->train.begin(), split->train.end());
  all.insert(split->test.begin(), split->test.end());
  EXPECT_EQ(all.size(), y.size());
  EXPECT_EQ(split->test.size(), 30u);
}

TEST(StratifiedSplit, RejectsStratifiedSplitWithSingletonClass) {
  std::vector<int> y(20, 0);
  y[3] = 1;
  auto split = stratified_split(y, 2, 0.2, 0);
  ASSERT_FALSE(split.is_ok());
  EXPECT_EQ(split.status().code(), ErrorCode::kDataError);
}

TEST(StratifiedSplit, RejectsTestPartSmallerThanTheNumberOfClasses) {
  const std::vector<int> y = labels_with_counts({4, 4, 4});
  auto split = stratified_split(y, 3, 0.1, 0);  // n_test = ceil(1.2) = 2 < 3 classes
  ASSERT_FALSE(split.is_ok());
  EXPECT_EQ(split.status().code(), ErrorCode::kDataError);
}

TEST(RandomSplit, HasScikitLearnSizesAndIsSeeded) {
  auto a = random_split(101, 0.25, 5);  // n_test = ceil(25.25) = 26
  auto b = random_split(101, 0.25, 5);
  auto c = random_split(101, 0.25, 6);
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  EXPECT_EQ(a->test.size(), 26u);
  EXPECT_EQ(a->train.size(), 75u);
  EXPECT_EQ(a->test, b->test);
  EXPECT_NE(a->test, c->test);
}

TEST(SplitSizes, RejectsTestSizeOutsideZeroAndOne) {
  EXPECT_EQ(split_sizes(100, 1.5).status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(split_sizes(100, 0.0).status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(split_sizes(1, 0.5).status().code(), ErrorCode::kDataError);  // train part empty
}

TEST(Shuffle, IsAPermutationThatDependsOnTheSeed) {
  std::vector<size_t> v(50), w(50);
  for (size_t i = 0; i < v.size(); ++i) v[i] = w[i] = i;
  std::mt19937_64 r1(1), r2(2);
  shuffle_indices(v, r1);
  shuffle_indices(w, r2);
  EXPECT_NE(v, w);
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], i);
}

}  // namespace
}  // namespace traind::train
