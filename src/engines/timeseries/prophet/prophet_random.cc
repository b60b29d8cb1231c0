// Transforms of the Mersenne Twister's 64-bit words into the distributions Prophet draws from.
#include "engines/timeseries/prophet/prophet_random.h"

#include <algorithm>
#include <cmath>

namespace traind::engines::timeseries::detail {

double ProphetRandom::uniform() {
  // 53 random bits, shifted by half a unit so that 0 and 1 are never returned.
  return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
}

double ProphetRandom::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

int64_t ProphetRandom::poisson(double mean) {
  int64_t total = 0;
  while (mean > 0) {
    const double chunk = std::min(mean, 30.0);
    mean -= chunk;
    const double limit = std::exp(-chunk);
    double product = uniform();
    while (product > limit) {
      ++total;
      product *= uniform();
    }
  }
  return total;
}

double ProphetRandom::laplace(double scale) {
  const double u = uniform() - 0.5;
  return u < 0 ? scale * std::log1p(2.0 * u) : -scale * std::log1p(-2.0 * u);
}

}  // namespace traind::engines::timeseries::detail
