// stats::arima (R 4.2) as forecast's auto.arima calls it (spec A.9.1): regression on
// xreg (plus an intercept when d + D = 0 and include_mean), ARIMA errors, fitted by CSS,
// exact ML, or CSS then ML ("CSS-ML", R's default), with R's optimiser, starting values,
// transforms, MA root flipping and coefficient covariance. Used for order selection only;
// the chosen model is re-estimated by the SARIMAX engine.
#pragma once

#include <vector>

#include "core/status.h"
#include "engines/timeseries/auto_arima/arima_likelihood.h"

namespace traind::engines::timeseries::detail {

enum class ArimaMethod { kCss, kCssMl, kMl };

struct ArimaFitRequest {
  ArimaOrder order;
  bool include_mean = true;  // adds an "intercept" regressor when d + D == 0
  ArimaMethod method = ArimaMethod::kCssMl;
};

struct ArimaFit {
  // ar, ma, sar, sma, then the regressors (intercept first when present), as R's coef.
  std::vector<double> coef;
  std::vector<double> var_diag;    // diag(var.coef); may hold negative or NaN entries as in R
  std::vector<double> phi, theta;  // expanded polynomials (R's model$phi, model$theta)
  double sigma2 = 0.0;
  double loglik = 0.0;
  double aic = 0.0;  // NaN for CSS (R's NA)
  int n_used = 0;    // non-missing observations minus d + sD
  int n_coef = 0;    // estimated coefficients (R's sum(mask))
  int convergence = 0;
  bool has_intercept = false;
};

// Fails (kTrainingError) where R's arima() raises an error; auto.arima turns that into
// IC = ∞. x may hold NaN (missing); xreg_columns each have x.size() rows.
Result<ArimaFit> fit_arima(const std::vector<double>& x,
                           const std::vector<std::vector<double>>& xreg_columns,
                           const ArimaFitRequest& request);

}  // namespace traind::engines::timeseries::detail
