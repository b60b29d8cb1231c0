// LightGBM's linear congruential generator (include/LightGBM/utils/random.h) and the seed
// derivation of config.cpp, reproduced draw for draw.
#include "engines/trees/gbdt/lcg_random.h"

#include <cmath>
#include <iterator>
#include <set>

namespace traind::engines::trees::detail {
namespace {

// The MSVC rand() constants LightGBM uses; arithmetic is modulo 2^32 (unsigned wrap-around).
constexpr uint32_t kMultiplier = 214013u;
constexpr uint32_t kIncrement = 2531011u;

}  // namespace

int LcgRandom::next_short(int lower, int upper) {
  x_ = kMultiplier * x_ + kIncrement;
  const int draw = static_cast<int>((x_ >> 16) & 0x7FFFu);
  return draw % (upper - lower) + lower;
}

int LcgRandom::next_int(int lower, int upper) {
  x_ = kMultiplier * x_ + kIncrement;
  const int draw = static_cast<int>(x_ & 0x7FFFFFFFu);
  return draw % (upper - lower) + lower;
}

float LcgRandom::next_float() {
  x_ = kMultiplier * x_ + kIncrement;
  return static_cast<float>(static_cast<int>((x_ >> 16) & 0x7FFFu)) / 32768.0f;
}

std::vector<int> LcgRandom::sample(int n, int k) {
  std::vector<int> picked;
  if (k > n || k <= 0) return picked;
  picked.reserve(k);
  if (k == n) {
    for (int i = 0; i < n; ++i) picked.push_back(i);
  } else if (k > 1 && k > (n / std::log2(k))) {
    // Dense case: one Bernoulli draw per index, probability = still needed / still left.
    for (int i = 0; i < n; ++i) {
      const double probability =
          static_cast<double>(k - static_cast<int>(picked.size())) / static_cast<double>(n - i);
      if (next_float() < probability) picked.push_back(i);
    }
  } else {
    // Sparse case: Floyd's algorithm. LightGBM keeps a std::set, so the result is sorted.
    std::set<int> chosen;
    for (int r = n - k; r < n; ++r) {
      const int v = next_int(0, r + 1);
      if (!chosen.insert(v).second) chosen.insert(r);
    }
    picked.assign(chosen.begin(), chosen.end());
  }
  return picked;
}

DerivedSeeds derive_seeds(int seed) {
  // config.cpp: each seed is NextShort(0, int16 max), drawn in this order.
  constexpr int kInt16Max = 32767;
  LcgRandom random(seed);
  DerivedSeeds seeds{};
  seeds.data_random_seed = random.next_short(0, kInt16Max);
  seeds.bagging_seed = random.next_short(0, kInt16Max);
  seeds.drop_seed = random.next_short(0, kInt16Max);
  seeds.feature_fraction_seed = random.next_short(0, kInt16Max);
  seeds.objective_seed = random.next_short(0, kInt16Max);
  seeds.extra_seed = random.next_short(0, kInt16Max);
  return seeds;
}

}  // namespace traind::engines::trees::detail
