// na.interp as forecast 8.20 R/clean.R writes it. The regression fill uses Fourier terms
// of order min(⌊m/2⌋, 5) and a polynomial trend of degree min(max(⌊n/10⌋, 1), 6); only the
// fitted values matter, so any basis of the same column space gives R's fill.
#include "engines/timeseries/auto_arima/missing_interpolation.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "engines/timeseries/auto_arima/stl_decomposition.h"

namespace traind::engines::timeseries::detail {
namespace {

bool has_missing(const std::vector<double>& x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

// Missing values replaced by the fitted values of lm(x ~ fourier + poly).
std::vector<double> regression_fill(const std::vector<double>& x, int period) {
  const int n = static_cast<int>(x.size());
  const int harmonics = std::min(period / 2, 5);
  const int degree = std::min(std::max(n / 10, 1), 6);
  std::vector<Eigen::VectorXd> cols;
  cols.push_back(Eigen::VectorXd::Ones(n));
  for (int k = 1; k <= harmonics; ++k) {
    Eigen::VectorXd s(n), c(n);
    for (int t = 0; t < n; ++t) {
      const double angle = 2.0 * std::numbers::pi * k * (t + 1) / period;
      s(t) = std::sin(angle);
      c(t) = std::cos(angle);
    }
    if (2 * k != period) cols.push_back(s);  // sin vanishes at the Nyquist harmonic
    cols.push_back(c);
  }
  const double centre = (n + 1) / 2.0, spread = std::max(1.0, (n - 1) / 2.0);
  for (int d = 1; d <= degree; ++d) {
    Eigen::VectorXd p(n);
    for (int t = 0; t < n; ++t) p(t) = std::pow((t + 1 - centre) / spread, d);
    cols.push_back(p);
  }
  Eigen::MatrixXd X(n, cols.size());
  for (size_t j = 0; j < cols.size(); ++j) X.col(j) = cols[j];
  std::vector<int> rows;
  for (int t = 0; t < n; ++t)
    if (!std::isnan(x[t])) rows.push_back(t);
  Eigen::MatrixXd A(rows.size(), X.cols());
  Eigen::VectorXd b(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    A.row(i) = X.row(rows[i]);
    b(i) = x[rows[i]];
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  qr.setThreshold(1e-7);
  const Eigen::VectorXd beta = qr.solve(b);
  const Eigen::VectorXd fitted = X * beta;
  std::vector<double> out = x;
  for (int t = 0; t < n; ++t)
    if (std::isnan(out[t])) out[t] = fitted(t);
  return out;
}

}  // namespace

std::vector<double> interpolate_linearly(const std::vector<double>& x) {
  std::vector<double> out = x;
  const int n = static_cast<int>(x.size());
  int prev = -1;
  for (int i = 0; i < n; ++i) {
    if (std::isnan(x[i])) continue;
    if (prev < 0) {
      for (int j = 0; j < i; ++j) out[j] = x[i];
    } else {
      for (int j = prev + 1; j < i; ++j)
        out[j] = x[prev] + (x[i] - x[prev]) * (j - prev) / static_cast<double>(i - prev);
    }
    prev = i;
  }
  if (prev >= 0)
    for (int j = prev + 1; j < n; ++j) out[j] = x[prev];
  return out;
}

std::vector<double> interpolate_missing(const std::vector<double>& x, int period) {
  if (!has_missing(x)) return x;
  int observed = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (double v : x)
    if (!std::isnan(v)) {
      ++observed;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  const bool linear = period <= 1 || observed <= 2 * period;
  if (linear) return interpolate_linearly(x);

  std::vector<double> filled = regression_fill(x, period);
  // mstl(x, robust = TRUE): one STL with s.window = 11, inner 1, outer 15.
  StlOptions options;
  options.period = period;
  options.s_window = 11;
  options.inner = 1;
  options.outer = 15;
  const StlComponents stl = stl_decompose(filled, options);
  std::vector<double> adjusted(x.size());
  for (size_t t = 0; t < x.size(); ++t)
    adjusted[t] = std::isnan(x[t]) ? NAN : filled[t] - stl.seasonal[t];
  adjusted = interpolate_linearly(adjusted);
  std::vector<double> out = x;
  for (size_t t = 0; t < x.size(); ++t)
    if (std::isnan(x[t])) out[t] = adjusted[t] + stl.seasonal[t];
  const double range = hi - lo;
  for (double v : out)
    if (v > hi + 0.5 * range || v < lo - 0.5 * range) return interpolate_linearly(x);
  return out;
}

}  // namespace traind::engines::timeseries::detail
