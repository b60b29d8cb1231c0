// Prophet with R prophet 1.0 semantics (spec §B): a piecewise linear, logistic or flat trend
// plus Fourier seasonalities, holidays and extra regressors, fitted as the MAP estimate of
// prophet.stan, predicted with components and simulated uncertainty intervals.
//
// Option names and defaults are Prophet's. Times are epoch seconds (UTC). The fit runs Stan's
// own optimisers as rstan::optimizing does (L-BFGS, Newton below 100 rows), so the estimate is
// R's, not a tighter optimum. The model is saved as JSON with Python prophet's `model_to_json`
// field names plus "format": "traind.prophet/1".
//
// Thread safety: a ProphetModel is immutable after fitting or loading; its const methods may be
// called from many threads. Fitting and prediction use one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace traind::engines::timeseries {

// Prophet's yearly/weekly/daily_seasonality argument: "auto", true, false or a Fourier order.
struct SeasonalitySetting {
  enum class Kind { kAuto, kTrue, kFalse, kOrder };
  Kind kind = Kind::kAuto;
  int fourier_order = 0;  // kOrder only

  static SeasonalitySetting automatic() { return {}; }
  static SeasonalitySetting enabled(bool on) { return {on ? Kind::kTrue : Kind::kFalse, 0}; }
  static SeasonalitySetting order(int n) { return {Kind::kOrder, n}; }
};

// add_seasonality(name, period, fourier_order, prior_scale, mode).
struct CustomSeasonality {
  std::string name;
  double period = 0.0;  // days
  int fourier_order = 0;
  std::optional<double> prior_scale;  // none = seasonality_prior_scale
  std::optional<std::string> mode;    // none = seasonality_mode
};

// add_regressor(name, prior_scale, standardize, mode).
struct ExtraRegressor {
  std::string name;
  std::optional<double> prior_scale;  // none = holidays_prior_scale (Prophet's default)
  std::string standardize = "auto";   // "auto", "true" or "false"
  std::optional<std::string> mode;    // none = seasonality_mode
};

// One row of Prophet's holidays data frame.
struct HolidayRow {
  std::string holiday;
  double ds = 0.0;  // epoch seconds; only the UTC day counts
  int lower_window = 0;
  int upper_window = 0;
  std::optional<double> prior_scale;  // none = holidays_prior_scale
};

// The prophet() constructor arguments (R prophet 1.0 names and defaults).
struct ProphetOptions {
  std::string growth = "linear";                    // "linear", "logistic" or "flat"
  std::optional<std::vector<double>> changepoints;  // epoch seconds; none = automatic
  int n_changepoints = 25;
  double changepoint_range = 0.8;
  SeasonalitySetting yearly_seasonality;
  SeasonalitySetting weekly_seasonality;
  SeasonalitySetting daily_seasonality;
  std::vector<HolidayRow> holidays;
  std::string seasonality_mode = "additive";  // or "multiplicative"
  double seasonality_prior_scale = 10.0;
  double holidays_prior_scale = 10.0;
  double changepoint_prior_scale = 0.05;
  int mcmc_samples = 0;  // only 0 (MAP) is supported
  double interval_width = 0.8;
  int uncertainty_samples = 1000;                // 0 disables the intervals
  std::vector<CustomSeasonality> seasonalities;  // add_seasonality calls, in order
  std::vector<ExtraRegressor> extra_regressors;  // add_regressor calls, in order
  // Not Prophet arguments (Prophet takes cap / floor as data columns): constants used when a
  // frame has no cap / floor column. Logistic growth only.
  std::optional<double> cap;
  std::optional<double> floor;
  // Not a Prophet argument: seeds the interval simulation (the job's random_state).
  uint64_t random_state = 0;
};

// Rows to fit on or to predict. `y` is ignored by predict; fitting drops rows whose y is NaN.
// `regressors` must hold every extra regressor by name; `cap` is required for logistic growth
// and `floor` is optional (logistic only, as Prophet).
struct ProphetFrame {
  std::vector<double> ds;  // epoch seconds
  std::vector<double> y;
  std::map<std::string, std::vector<double>> regressors;
  std::vector<double> cap;
  std::vector<double> floor;
};

// predict()'s data frame: one entry per row, sorted by ds as Prophet sorts it.
struct ProphetForecast {
  std::vector<double> ds;
  std::vector<double> trend;
  std::vector<double> yhat;
  // Empty when uncertainty_samples is 0.
  std::vector<double> yhat_lower, yhat_upper, trend_lower, trend_upper;
  // additive_terms, multiplicative_terms, each seasonality, holiday, regressor and group
  // (holidays, extra_regressors_additive/multiplicative), in Prophet's units.
  std::vector<std::pair<std::string, std::vector<double>>> components;

  const std::vector<double>* component(std::string_view name) const;
};

// The MAP estimate in Prophet's scaled units (params of the Stan model).
struct ProphetParams {
  double k = 0.0;
  double m = 0.0;
  std::vector<double> delta;
  double sigma_obs = 0.0;
  std::vector<double> beta;
};

namespace detail {
struct ProphetModelData;
}

class ProphetModel {
 public:
  ProphetModel() = default;
  explicit ProphetModel(std::shared_ptr<const detail::ProphetModelData> data)
      : data_(std::move(data)) {}

  const ProphetOptions& options() const;
  double y_scale() const;
  double t_scale() const;                                // seconds
  double start() const;                                  // epoch seconds
  const std::vector<double>& changepoints() const;       // epoch seconds
  const std::vector<double>& changepoints_t() const;     // scaled time
  const std::vector<std::string>& column_names() const;  // columns of X, in order
  std::vector<std::string> seasonality_names() const;    // enabled seasonalities, in order
  const ProphetParams& params() const;
  // log p of prophet.stan (spec B.4) at the fitted parameters.
  double objective() const;
  // "LBFGS", "Newton" or "none" (degenerate input), and whether the optimiser converged.
  const std::string& fit_algorithm() const;

  // The feature matrix X (row-major, rows sorted by ds) that the model builds for `frame`.
  Result<std::vector<double>> feature_matrix(const ProphetFrame& frame) const;

  // Prophet's predict(): trend, components, yhat and, unless uncertainty_samples is 0, the
  // simulated intervals seeded by `seed` (default: options().random_state).
  Result<ProphetForecast> predict(const ProphetFrame& frame,
                                  std::optional<uint64_t> seed = std::nullopt) const;

  // The artifact (spec B.7): Python prophet's model_to_json names + "format".
  std::string to_json() const;
  static Result<ProphetModel> from_json(std::string_view text);

  const detail::ProphetModelData& data() const { return *data_; }

 private:
  Result<ProphetForecast> predict_unchecked(const ProphetFrame& frame,
                                            std::optional<uint64_t> seed) const;

  std::shared_ptr<const detail::ProphetModelData> data_;
};

// Prophet's fit(): validates the options (kInvalidConfig), prepares the history (kDataError
// for unusable data) and finds the MAP estimate (kTrainingError if the optimiser fails).
Result<ProphetModel> fit_prophet(const ProphetOptions& options, const ProphetFrame& history);

}  // namespace traind::engines::timeseries
