// The tests auto.arima uses to choose the orders of differencing (spec A.9.3, A.9.4):
// forecast 8.20's seasonal-strength heuristic (nsdiffs, test "seas") and urca's KPSS level
// test (ndiffs, test "kpss", alpha 0.05).
#pragma once

#include <vector>

namespace traind::engines::timeseries::detail {

// forecast's is.constant(): all.equal(x, rep(x[1], n)) with tolerance 1.5e-8; NaN-aware.
bool is_constant_series(const std::vector<double>& x);

// urca::ur.kpss(x, type = "mu", use.lag = trunc(3 √n / 13)) on x without NaN.
double kpss_level_statistic(const std::vector<double>& x);

// forecast::seas.heuristic: F_S = max(0, min(1, 1 − Var(R)/Var(R + S))) from mstl (STL with
// s.window = 11). Missing values are filled first as forecast's na.interp does.
double seasonal_strength(const std::vector<double>& x, int period);

struct DifferencingDecision {
  int order = 0;
  std::vector<double> statistics;  // one per test run, in order
};

// ndiffs(x, test = "kpss", max.d): differences while the KPSS p-value is below 0.05.
DifferencingDecision kpss_differences(const std::vector<double>& x, int max_d);

// nsdiffs(x, test = "seas", max.D): 1 when F_S > 0.64 (max_D = 1 as auto.arima uses it).
DifferencingDecision seasonal_differences(const std::vector<double>& x, int period, int max_D);

// R's diff(x, lag, differences = 1), NaN-propagating.
std::vector<double> lagged_difference(const std::vector<double>& x, int lag);

}  // namespace traind::engines::timeseries::detail
