// SARIMAX (regression with seasonal ARIMA errors) with statsmodels 0.13.5 semantics: the
// Harvey state-space form with the differencing in the state, an approximate-diffuse prior
// for the differencing states and a stationary prior for the ARMA block, exact Gaussian
// likelihood by the Kalman filter, statsmodels' start parameters, OPG standard errors,
// information criteria, forecasts with normal bounds, and a JSON artifact that forecasts
// without the history.
//
// The behaviour matched is written down in the time-series specification, §A.1–A.8.
// Threads: a SarimaxModel is immutable and may be shared; fitting uses one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace traind::engines::timeseries {

// Orders and options by statsmodels' names: order=(p,d,q), seasonal_order=(P,D,Q,s).
struct SarimaxSpec {
  int p = 1;
  int d = 0;
  int q = 0;
  int seasonal_p = 0;
  int seasonal_d = 0;
  int seasonal_q = 0;
  int period = 0;           // s; must be >= 2 when any seasonal order is positive
  std::string trend = "n";  // "n", "c", "t" or "ct": a polynomial in time inside the ARMA equation
  bool enforce_stationarity = true;
  bool enforce_invertibility = true;
  bool concentrate_scale = false;
};

// The series to fit. NaN in y marks a missing observation (the filter skips it).
struct SarimaxData {
  std::vector<double> y;
  std::vector<std::vector<double>> exog;  // regressor columns, each y.size() long, finite
  std::vector<std::string> exog_names;    // empty = x1, x2, ...
  // Passed through to the artifact so that a caller can date the forecasts later.
  std::string frequency;
  std::string last_timestamp;
};

struct SarimaxFitOptions {
  int max_evaluations = 2000;  // likelihood gradients evaluated by the optimiser
  double ftol_rel = 1e-12;
  // Constrained parameters (the A.1 order) to start from; empty = statsmodels' start_params.
  std::vector<double> start_params;
};

// One-step-ahead in-sample predictions d_t + Z a_t and their variances F_t. Rows before
// `burn` carry the approximate-diffuse prior: report the mean, leave the bounds out.
struct SarimaxInSample {
  std::vector<double> mean;
  std::vector<double> variance;
  int burn = 0;
};

struct SarimaxForecast {
  std::vector<double> mean;
  std::vector<double> variance;
  std::vector<double> lower;
  std::vector<double> upper;
};

namespace detail {
struct SarimaxModelData;
}

// A fitted (or loaded) model. Cheap to copy: shares its immutable data.
class SarimaxModel {
 public:
  explicit SarimaxModel(std::shared_ptr<const detail::SarimaxModelData> data);

  const SarimaxSpec& spec() const;
  const std::vector<std::string>& exog_names() const;
  const std::vector<std::string>& param_names() const;
  const std::vector<double>& params() const;  // constrained, in param_names() order
  const std::vector<double>& bse() const;     // OPG standard errors
  // Row-major param_names().size() squared: (Σ_t s_t s_t')^+ (spec A.7).
  const std::vector<double>& cov_params() const;
  double llf() const;
  double aic() const;
  double aicc() const;
  double bic() const;
  double hqic() const;
  double scale() const;  // σ²: the sigma2 parameter, or its concentrated estimate
  int nobs() const;
  int nobs_effective() const;  // nobs minus the likelihood burn (missing rows still count)
  int df_model() const;        // estimated parameters, sigma2 included
  bool converged() const;
  int evaluations() const;  // likelihood gradients the optimiser asked for (0 when not fitted)
  // Empty after from_json: the artifact does not carry the history.
  const SarimaxInSample& in_sample() const;
  const std::string& frequency() const;
  const std::string& last_timestamp() const;

  // `steps` periods past the data; future_exog holds one column per regressor with at least
  // `steps` rows (required when the model has regressors). interval_width in (0, 1).
  Result<SarimaxForecast> forecast(int steps, const std::vector<std::vector<double>>& future_exog,
                                   double interval_width = 0.95) const;

  // The artifact ("format": "traind.sarimax/1"): spec, parameters by name, statistics, the
  // covariance, the final predicted state and its covariance and the trend time reached.
  std::string to_json() const;
  static Result<SarimaxModel> from_json(std::string_view text);

  const detail::SarimaxModelData& data() const { return *data_; }

 private:
  std::shared_ptr<const detail::SarimaxModelData> data_;
};

// kInvalidConfig with a message naming the offending field, or OK.
Status validate_sarimax_spec(const SarimaxSpec& spec);

// Parameter names in statsmodels' order (A.1) for this spec and these regressors.
Result<std::vector<std::string>> sarimax_param_names(const SarimaxSpec& spec, int k_exog,
                                                     const std::vector<std::string>& exog_names);

// Maximum likelihood fit (A.5–A.7). kInvalidConfig for a bad spec, kDataError for unusable
// data (too short, non-finite regressors, mismatched lengths), kTrainingError when the
// likelihood is never finite.
Result<SarimaxModel> fit_sarimax(const SarimaxSpec& spec, const SarimaxData& data,
                                 const SarimaxFitOptions& options = {});

// The model at given constrained parameters, without optimising: filter, OPG, criteria.
Result<SarimaxModel> evaluate_sarimax(const SarimaxSpec& spec, const SarimaxData& data,
                                      const std::vector<double>& params);

}  // namespace traind::engines::timeseries
