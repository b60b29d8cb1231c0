// The standard normal distribution's quantile and distribution functions, to the accuracy
// the forecast intervals need (spec A.8: quantiles accurate to 1e-12).
#pragma once

namespace traind::engines::timeseries {

// Φ⁻¹(p) for p in (0, 1) by Wichura's algorithm AS 241 (PPND16, about 1e-16 relative).
// Returns -inf at 0, +inf at 1 and NaN outside [0, 1].
double normal_quantile(double p);

// Φ(x) = ½ erfc(−x/√2), accurate in both tails.
double normal_cdf(double x);

}  // namespace traind::engines::timeseries
