// Train/test split: scikit-learn's sizes, our own deterministic shuffle.
//
// Sizes follow scikit-learn's train_test_split: n_test = ceil(test_size * n),
// n_train = n - n_test. The stratified split gives each class exactly the row counts of
// StratifiedShuffleSplit: train counts by `_approximate_mode(class_counts, n_train)`, test
// counts the rest. Where scikit-learn breaks ties between equal remainders at random, we
// give the extra row to the class that comes first in class order. Which rows go where is
// a Fisher-Yates shuffle driven by std::mt19937_64 seeded with random_state (not
// std::shuffle, whose algorithm differs between standard libraries), so the same seed
// gives the same split everywhere. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "core/status.h"

namespace traind::train {

struct SplitSizes {
  size_t train = 0;
  size_t test = 0;
};

// Indices into the rows that were split (0..n-1), each part ascending.
struct SplitIndices {
  std::vector<size_t> train;
  std::vector<size_t> test;
};

// ceil(test_size * n) test rows, the rest training rows. kDataError when either part
// would be empty; kInvalidConfig when test_size is not in (0, 1).
Result<SplitSizes> split_sizes(size_t n, double test_size);

// scikit-learn's _approximate_mode with ties broken by class order: `n_draws` spread over
// the classes in proportion to `class_counts`.
std::vector<size_t> approximate_mode(const std::vector<size_t>& class_counts, size_t n_draws);

// y: class index per row (0..num_classes-1). kDataError when a class has fewer than 2
// rows or either part would hold fewer rows than there are classes (as scikit-learn).
Result<SplitIndices> stratified_split(const std::vector<int>& y, int num_classes, double test_size,
                                      uint64_t seed);

Result<SplitIndices> random_split(size_t n, double test_size, uint64_t seed);

// Uniform integer in [0, bound) by rejection sampling (portable, unlike
// std::uniform_int_distribution).
uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound);

// In-place Fisher-Yates shuffle with uniform_below.
void shuffle_indices(std::vector<size_t>& v, std::mt19937_64& rng);

}  // namespace traind::train
