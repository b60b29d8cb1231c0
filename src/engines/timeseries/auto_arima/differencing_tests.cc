// KPSS and seasonal strength as forecast 8.20 runs them for auto.arima (R/unitRoot.R,
// urca 1.3-3 ur.kpss). The p-value is urca's table read by linear interpolation, clamped.
#include "engines/timeseries/auto_arima/differencing_tests.h"

#include <algorithm>
#include <cmath>

#include "engines/timeseries/auto_arima/missing_interpolation.h"
#include "engines/timeseries/auto_arima/stl_decomposition.h"

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kAllEqualTolerance = 1.5e-8;
constexpr double kKpssAlpha = 0.05;
constexpr double kSeasonalStrengthThreshold = 0.64;

std::vector<double> without_missing(const std::vector<double>& x) {
  std::vector<double> out;
  out.reserve(x.size());
  for (double v : x)
    if (!std::isnan(v)) out.push_back(v);
  return out;
}

// urca's critical values for type "mu" against their tail probabilities.
double kpss_p_value(double statistic) {
  static const double kCritical[4] = {0.347, 0.463, 0.574, 0.739};
  static const double kProbability[4] = {0.10, 0.05, 0.025, 0.01};
  if (statistic <= kCritical[0]) return kProbability[0];
  if (statistic >= kCritical[3]) return kProbability[3];
  for (int i = 0; i < 3; ++i) {
    if (statistic <= kCritical[i + 1]) {
      const double f = (statistic - kCritical[i]) / (kCritical[i + 1] - kCritical[i]);
      return kProbability[i] + f * (kProbability[i + 1] - kProbability[i]);
    }
  }
  return kProbability[3];
}

double sample_variance(const std::vector<double>& v) {
  double mean = 0.0;
  int n = 0;
  for (double x : v)
    if (!std::isnan(x)) {
      mean += x;
      ++n;
    }
  mean /= n;
  double ss = 0.0;
  for (double x : v)
    if (!std::isnan(x)) ss += (x - mean) * (x - mean);
  return ss / (n - 1);
}

}  // namespace

bool is_constant_series(const std::vector<double>& x) {
  if (x.empty()) return true;
  const double first = x[0];
  if (std::isnan(first)) {
    for (double v : x)
      if (!std::isnan(v)) return false;
    return true;
  }
  // all.equal.numeric compares only the elements that differ: mean |x − x1| relative to
  // mean |x| over those (countEQ = FALSE).
  double diff = 0.0, scale = 0.0;
  int differing = 0;
  for (double v : x) {
    if (std::isnan(v)) return false;
    if (v == first) continue;
    diff += std::fabs(v - first);
    scale += std::fabs(v);
    ++differing;
  }
  if (differing == 0) return true;
  diff /= differing;
  scale /= differing;
  if (std::isfinite(scale) && scale > kAllEqualTolerance) diff /= scale;
  return diff <= kAllEqualTolerance;
}

double kpss_level_statistic(const std::vector<double>& x) {
  const int n = static_cast<int>(x.size());
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= n;
  std::vector<double> e(n);
  for (int i = 0; i < n; ++i) e[i] = x[i] - mean;
  double cum = 0.0, eta = 0.0, s2 = 0.0;
  for (int i = 0; i < n; ++i) {
    cum += e[i];
    eta += cum * cum;
    s2 += e[i] * e[i];
  }
  const double nn = static_cast<double>(n);
  eta /= nn * nn;
  s2 /= nn;
  const int lag = static_cast<int>(std::trunc(3.0 * std::sqrt(nn) / 13.0));
  double long_run = s2;
  if (lag > 0) {
    double weighted = 0.0;
    for (int j = 1; j <= lag; ++j) {
      double cov = 0.0;
      for (int t = j; t < n; ++t) cov += e[t] * e[t - j];
      weighted += (1.0 - j / (lag + 1.0)) * cov;
    }
    long_run = s2 + 2.0 / nn * weighted;
  }
  return eta / long_run;
}

double seasonal_strength(const std::vector<double>& x, int period) {
  const std::vector<double> filled = interpolate_missing(x, period);
  StlOptions options;
  options.period = period;
  options.s_window = 11;
  const StlComponents stl = stl_decompose(filled, options);
  const int n = static_cast<int>(x.size());
  std::vector<double> remainder(n), detrended(n);
  for (int i = 0; i < n; ++i) {
    const bool missing = std::isnan(x[i]);
    remainder[i] = missing ? std::nan("") : stl.remainder[i];
    detrended[i] = missing ? std::nan("") : stl.remainder[i] + stl.seasonal[i];
  }
  const double strength = 1.0 - sample_variance(remainder) / sample_variance(detrended);
  return std::max(0.0, std::min(1.0, strength));
}

std::vector<double> lagged_difference(const std::vector<double>& x, int lag) {
  if (static_cast<int>(x.size()) <= lag) return {};
  std::vector<double> out(x.size() - lag);
  for (size_t i = 0; i < out.size(); ++i) out[i] = x[i + lag] - x[i];
  return out;
}

DifferencingDecision kpss_differences(const std::vector<double>& series, int max_d) {
  DifferencingDecision out;
  std::vector<double> x = without_missing(series);
  if (is_constant_series(x)) return out;
  auto wants_difference = [&](const std::vector<double>& v) {
    if (v.size() < 2) return false;  // ur.kpss errors on too short series: R keeps d
    const double stat = kpss_level_statistic(v);
    out.statistics.push_back(stat);
    return kpss_p_value(stat) < kKpssAlpha;
  };
  bool dodiff = wants_difference(x);
  while (dodiff && out.order < max_d) {
    ++out.order;
    x = lagged_difference(x, 1);
    if (is_constant_series(x)) return out;
    dodiff = wants_difference(x);
  }
  return out;
}

DifferencingDecision seasonal_differences(const std::vector<double>& x, int period, int max_D) {
  DifferencingDecision out;
  if (is_constant_series(x)) return out;
  if (period >= static_cast<int>(x.size())) return out;
  // stl() refuses series of two periods or less; nsdiffs then keeps D = 0.
  if (static_cast<int>(x.size()) <= 2 * period) return out;
  const double fs = seasonal_strength(x, period);
  out.statistics.push_back(fs);
  if (fs > kSeasonalStrengthThreshold && max_D >= 1) out.order = 1;
  return out;
}

}  // namespace traind::engines::timeseries::detail
