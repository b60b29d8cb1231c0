// forecast 8.20's na.interp(): fills missing values of a series before STL. Linear
// interpolation (constant beyond the ends) for non-seasonal or short series; otherwise a
// Fourier + polynomial regression fill, a robust STL, and linear interpolation of the
// seasonally adjusted series with the seasonal component added back.
#pragma once

#include <vector>

namespace traind::engines::timeseries::detail {

// R's approx(idx, x[idx], 1:n, rule = 2) over the observed values.
std::vector<double> interpolate_linearly(const std::vector<double>& x);

// na.interp(x) for a series of the given frequency (lambda = NULL).
std::vector<double> interpolate_missing(const std::vector<double>& x, int period);

}  // namespace traind::engines::timeseries::detail
