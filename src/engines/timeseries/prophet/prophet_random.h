// The random draws of Prophet's interval simulation (spec B.6), from one seeded 64-bit
// Mersenne Twister with our own transforms, so the same seed gives the same intervals on
// every platform (std:: distributions are implementation-defined).
#pragma once

#include <cstdint>
#include <random>

namespace traind::engines::timeseries::detail {

class ProphetRandom {
 public:
  explicit ProphetRandom(uint64_t seed) : engine_(seed) {}

  // U(0, 1), never exactly 0 or 1.
  double uniform();
  // N(0, 1) by Marsaglia's polar method.
  double normal();
  // Poisson(mean), exact: products of uniforms (Knuth), in chunks of mean <= 30 (a sum of
  // independent Poisson variables is Poisson with the summed mean).
  int64_t poisson(double mean);
  // Laplace(0, scale): density exp(-|x| / scale) / (2 scale), by inversion.
  double laplace(double scale);

 private:
  std::mt19937_64 engine_;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace traind::engines::timeseries::detail
