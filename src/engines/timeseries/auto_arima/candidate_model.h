// One candidate of auto.arima's search: forecast 8.20's myarima(). Fits stats::arima with
// a drift regressor (d + D = 1) or an intercept (d + D = 0) when the constant is on, scores
// it by the information criterion (CSS fits: offset + n* ln σ² + 2K), and rejects it
// (IC = ∞) when the fit fails, a root is within 1.01 of the unit circle, or a coefficient
// variance is negative or NaN.
#pragma once

#include <string>
#include <vector>

namespace traind::engines::timeseries::detail {

struct CandidateOrder {
  int p = 0, d = 0, q = 0, P = 0, D = 0, Q = 0;
  bool constant = false;
};

struct CandidateSeries {
  const std::vector<double>* x = nullptr;                  // from the first observed value
  const std::vector<std::vector<double>>* xreg = nullptr;  // user regressors, same rows
  int m = 1;
  std::string ic = "aicc";
};

struct CandidateScore {
  bool fitted = false;  // false: the fit failed (R's try-error)
  double ic = 0.0;      // +inf when rejected
  double aic = 0.0, aicc = 0.0, bic = 0.0;
  double constant_coefficient = 0.0;  // intercept or drift; NaN without a constant
};

// R's serieslength: the observed values between the first and the last observed one.
int observed_span_count(const std::vector<double>& x);

CandidateScore fit_candidate(const CandidateSeries& series, const CandidateOrder& order,
                             bool approximation, double offset);

}  // namespace traind::engines::timeseries::detail
