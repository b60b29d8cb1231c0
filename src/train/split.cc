// Train/test split sizes and the deterministic shuffle.
#include "train/split.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace traind::train {

uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound) {
  // Reject the top partial block so every value in [0, bound) is equally likely.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
  uint64_t v;
  do {
    v = rng();
  } while (v > limit);
  return v % bound;
}

void shuffle_indices(std::vector<size_t>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[uniform_below(rng, i)]);
  }
}

Result<SplitSizes> split_sizes(size_t n, double test_size) {
  if (!(test_size > 0.0 && test_size < 1.0)) {
    return Status(ErrorCode::kInvalidConfig, "split.test_size must be > 0 and < 1",
                  {{"/split/test_size", "must be > 0 and < 1"}});
  }
  SplitSizes s;
  s.test = static_cast<size_t>(std::ceil(test_size * static_cast<double>(n)));
  s.train = n - std::min(s.test, n);
  if (s.train == 0 || s.test == 0) {
    return Status(ErrorCode::kDataError,
                  "with " + std::to_string(n) + " usable rows and test_size " +
                      std::to_string(test_size) + " the training or test part would be empty");
  }
  return s;
}

std::vector<size_t> approximate_mode(const std::vector<size_t>& class_counts, size_t n_draws) {
  double total = 0;
  for (size_t c : class_counts) total += static_cast<double>(c);
  const size_t k = class_counts.size();
  std::vector<double> continuous(k), remainder(k);
  std::vector<size_t> floored(k);
  size_t assigned = 0;
  for (size_t i = 0; i < k; ++i) {
    // Same operation order as numpy's `class_counts / class_counts.sum() * n_draws`, so
    // the remainders (and their ties) are bit-identical.
    continuous[i] = static_cast<double>(class_counts[i]) / total * static_cast<double>(n_draws);
    floored[i] = static_cast<size_t>(std::floor(continuous[i]));
    remainder[i] = continuous[i] - std::floor(continuous[i]);
    assigned += floored[i];
  }
  size_t need = n_draws > assigned ? n_draws - assigned : 0;
  // Largest remainder first; equal remainders in class order (stable sort).
  std::vector<size_t> order(k);
  for (size_t i = 0; i < k; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
  for (size_t i = 0; i < k && need > 0; ++i, --need) ++floored[order[i]];
  return floored;
}

Result<SplitIndices> stratified_split(const std::vector<int>& y, int num_classes, double test_size,
                                      uint64_t seed) {
  auto sizes = split_sizes(y.size(), test_size);
  if (!sizes) return sizes.status();
  std::vector<std::vector<size_t>> members(static_cast<size_t>(num_classes));
  for (size_t i = 0; i < y.size(); ++i) members[static_cast<size_t>(y[i])].push_back(i);
  std::vector<size_t> counts;
  for (const auto& m : members) counts.push_back(m.size());
  // scikit-learn's StratifiedShuffleSplit refusals, in its words where practical.
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] < 2) {
      return Status(ErrorCode::kDataError,
                    "the least populated class in the target has only " +
                        std::to_string(counts[c]) +
                        " row; a stratified split needs at least 2 rows per class");
    }
  }
  const size_t n_classes = counts.size();
  if (sizes->train < n_classes || sizes->test < n_classes) {
    return Status(ErrorCode::kDataError,
                  "a stratified split needs at least one row per class in each part: " +
                      std::to_string(n_classes) + " classes, " + std::to_string(sizes->train) +
                      " training and " + std::to_string(sizes->test) + " test rows");
  }
  const std::vector<size_t> train_counts = approximate_mode(counts, sizes->train);
  std::mt19937_64 rng(seed);
  SplitIndices out;
  for (size_t c = 0; c < n_classes; ++c) {
    std::vector<size_t>& m = members[c];
    shuffle_indices(m, rng);
    out.train.insert(out.train.end(), m.begin(),
                     m.begin() + static_cast<ptrdiff_t>(train_counts[c]));
    out.test.insert(out.test.end(), m.begin() + static_cast<ptrdiff_t>(train_counts[c]), m.end());
  }
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

Result<SplitIndices> random_split(size_t n, double test_size, uint64_t seed) {
  auto sizes = split_sizes(n, test_size);
  if (!sizes) return sizes.status();
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  std::mt19937_64 rng(seed);
  shuffle_indices(all, rng);
  SplitIndices out;
  out.test.assign(all.begin(), all.begin() + static_cast<ptrdiff_t>(sizes->test));
  out.train.assign(all.begin() + static_cast<ptrdiff_t>(sizes->test), all.end());
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

}  // namespace traind::train
