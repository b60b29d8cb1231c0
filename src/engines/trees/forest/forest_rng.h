// The forest's random streams. scikit-learn draws with numpy's MT19937 and the splitter's
// xorshift; the spec (trees.md §B.5) lets traind use its own generator, so results match
// scikit-learn in distribution, not bit for bit. SplitMix64 is small, fast and has no bad seeds.
#pragma once

#include <cstdint>
#include <vector>

namespace traind::engines::trees::detail {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound), bound > 0 (Lemire's multiply-shift; the bias is below 2^-32 for
  // every bound a forest uses).
  uint64_t below(uint64_t bound) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
  }

 private:
  uint64_t state_;
};

// A tree's 31-bit seed, drawn in tree order from the forest generator (as scikit-learn draws
// randint(2**31 - 1) per estimator).
inline uint32_t draw_tree_seed(SplitMix64& forest_rng) {
  return static_cast<uint32_t>(forest_rng.next() % 2147483647ULL);
}

// Independent streams of one tree: its bootstrap draw and its splitter's feature draws.
inline SplitMix64 bootstrap_stream(uint32_t tree_seed) {
  return SplitMix64(0xB0075778A9ULL ^ (static_cast<uint64_t>(tree_seed) << 20));
}
inline SplitMix64 splitter_stream(uint32_t tree_seed) {
  return SplitMix64(0x5B1177E4C3ULL + static_cast<uint64_t>(tree_seed) * 0x9E3779B97F4A7C15ULL);
}

// Draw counts of a tree's bootstrap sample: n_boot draws with replacement from n rows
// (scikit-learn's _generate_sample_indices + bincount). Rows with count 0 are out of bag.
inline std::vector<uint32_t> bootstrap_counts(uint32_t tree_seed, int64_t n, int64_t n_boot) {
  std::vector<uint32_t> counts(static_cast<size_t>(n), 0);
  SplitMix64 rng = bootstrap_stream(tree_seed);
  for (int64_t i = 0; i < n_boot; ++i) ++counts[rng.below(static_cast<uint64_t>(n))];
  return counts;
}

}  // namespace traind::engines::trees::detail
