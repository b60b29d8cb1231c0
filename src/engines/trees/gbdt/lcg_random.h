// LcgRandom: LightGBM's random generator (utils/random.h), so that seed derivation, binning
// samples, bagging and feature sampling draw the same numbers LightGBM draws.
#pragma once

#include <cstdint>
#include <vector>

namespace traind::engines::trees::detail {

class LcgRandom {
 public:
  explicit LcgRandom(int seed) : x_(static_cast<uint32_t>(seed)) {}
  // 15-bit draw: ((x >> 16) & 0x7FFF).
  int next_short(int lower, int upper);
  // Low 31 bits of the state, in [lower, upper).
  int next_int(int lower, int upper);
  // RandInt16 / 32768.
  float next_float();
  // K of N indices, sorted, by LightGBM's Sample(N, K).
  std::vector<int> sample(int n, int k);

 private:
  uint32_t x_;
};

// The six seeds LightGBM derives from `seed`, in the order data_random_seed, bagging_seed,
// drop_seed, feature_fraction_seed, objective_seed, extra_seed.
struct DerivedSeeds {
  int data_random_seed, bagging_seed, drop_seed, feature_fraction_seed, objective_seed, extra_seed;
};
DerivedSeeds derive_seeds(int seed);

}  // namespace traind::engines::trees::detail
