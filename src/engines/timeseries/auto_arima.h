// Automatic ARIMA order selection with R forecast 8.20's auto.arima semantics (stepwise
// search by AICc over stats::arima fits, KPSS for d, seasonal strength for D), spec A.9.
// The engine only selects: the chosen order is handed to the SARIMAX engine, which
// estimates it with statsmodels semantics. Thread-compatible: auto_arima keeps no state,
// uses one thread, and may run concurrently on different inputs.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace traind::engines::timeseries {

enum class AutoArimaApproximation { kAuto, kOn, kOff };

// auto.arima's arguments by their R names (dots → underscores) and defaults.
struct AutoArimaOptions {
  int max_p = 5;
  int max_q = 5;
  int max_P = 2;
  int max_Q = 2;
  int max_order = 5;  // p + q + P + Q, used by the exhaustive search only
  int max_d = 2;
  int max_D = 1;
  int start_p = 2;
  int start_q = 2;
  int start_P = 1;
  int start_Q = 1;
  bool stepwise = true;
  int nmodels = 94;
  std::string ic = "aicc";  // "aicc" | "aic" | "bic"
  // kAuto: on when the series (after leading missing values) is longer than 150 or the
  // frequency exceeds 12, as R's default.
  AutoArimaApproximation approximation = AutoArimaApproximation::kAuto;
  bool seasonal = true;
  bool allowdrift = true;
  bool allowmean = true;
};

// One candidate model the search fitted, in fitting order.
struct AutoArimaCandidate {
  int p = 0, d = 0, q = 0, P = 0, D = 0, Q = 0;
  bool constant = false;
  double ic = 0.0;    // +inf when the fit failed or was rejected
  bool exact = true;  // false for the CSS approximations of approximation mode
};

struct AutoArimaResult {
  int p = 0, d = 0, q = 0, P = 0, D = 0, Q = 0;
  int m = 1;              // seasonal period used (1 = non-seasonal)
  bool constant = false;  // intercept (d + D = 0) or drift (d + D = 1)
  // R's coefficient: the mean μ (d + D = 0) or the drift b per period (d + D = 1);
  // NaN without a constant.
  double mean_or_drift = 0.0;
  std::string ic_name = "aicc";
  double ic_value = 0.0;  // of the chosen model, exact likelihood (R's fit$aicc etc.)
  double aicc = 0.0, aic = 0.0, bic = 0.0;
  double seasonal_strength = 0.0;       // F_S of the D test; NaN when not computed
  std::vector<double> kpss_statistics;  // one per KPSS test run while choosing d
  bool approximation = false;
  int models_fitted = 0;  // candidates of the search, refits of approximation mode excluded
  std::vector<AutoArimaCandidate> trace;  // search candidates then exact refits
};

// y: the series, NaN = missing; exog_columns: regressors, each y.size() long; m: frequency.
// kInvalidConfig for bad options, kDataError for unusable data, kTrainingError when no
// ARIMA model can be fitted ("No suitable ARIMA model found").
Result<AutoArimaResult> auto_arima(const std::vector<double>& y,
                                   const std::vector<std::vector<double>>& exog_columns, int m,
                                   const AutoArimaOptions& options);

}  // namespace traind::engines::timeseries
