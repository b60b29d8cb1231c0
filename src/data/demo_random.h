// DemoRandom: the fixed-seed generator behind the demo tenant's tables.
//
// xoshiro256** seeded through splitmix64 (Blackman & Vigna). Our own code rather than
// std::*_distribution, whose output differs between standard libraries, so a seed gives the
// same draws on every platform. Not thread-safe: one generator per table.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace traind::data {

class DemoRandom {
 public:
  explicit DemoRandom(uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool chance(double p) { return uniform() < p; }
  int between(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }
  // Box-Muller; the second value of each pair is dropped to keep the draw order simple.
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log(0) is never taken
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }
  // Knuth's multiplication method; fine for the small means used here.
  int poisson(double mean) {
    const double limit = std::exp(-mean);
    int k = 0;
    for (double p = uniform(); p > limit; p *= uniform()) ++k;
    return k;
  }

 private:
  static constexpr double kPi = 3.14159265358979323846;
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_;
};

}  // namespace traind::data
