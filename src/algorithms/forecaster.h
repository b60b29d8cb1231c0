// Forecaster: the interface of the forecasting algorithms (arima, prophet).
//
// The train layer prepares each series (regular grid, missing points as NaN, exogenous
// features aligned to it) and calls an algorithm's AlgorithmSpec::fit_forecaster once per
// model: on the training part to score the hold-out, then on the whole history for the
// artifact (spec timeseries.md §C.3). A fitted forecaster forecasts any number of periods
// after the data it saw and serialises to JSON that AlgorithmSpec::load_forecaster reads
// back for /predict. Fitting is single-threaded; fitted forecasters are immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::algorithms {

// One series on its regular grid.
struct ForecastSeries {
  std::vector<double> timestamps;  // epoch seconds (UTC), increasing, one per period
  std::vector<double> y;           // NaN = no observation at that period
  // [feature][period], every value present where y is; names in feature_names order.
  std::vector<std::vector<double>> features;
  std::vector<std::string> feature_names;
};

struct ForecastOptions {
  nlohmann::json hyperparameters;  // resolved: canonical names, defaults filled
  double interval_width = 0.95;    // of the prediction intervals, in (0, 1)
  int seasonal_period = 1;         // m of automatic order selection (1 = non-seasonal)
  uint64_t seed = 0;               // interval simulation (Prophet)
};

// Point forecasts with interval bounds; a bound is NaN where the model has none (ARIMA's
// first in-sample periods carry the diffuse prior's variance).
struct ForecastPath {
  std::vector<double> yhat;
  std::vector<double> lower;
  std::vector<double> upper;
};

class FittedForecaster {
 public:
  virtual ~FittedForecaster() = default;
  // The fit over the periods it was trained on (ARIMA: one-step-ahead predictions;
  // Prophet: predict() at the history's timestamps).
  virtual Result<ForecastPath> in_sample() const = 0;
  // The periods after the training data, at `timestamps` (as many as wanted), with the
  // features' future values ([feature][step], required when the model has features).
  virtual Result<ForecastPath> forecast(const std::vector<double>& timestamps,
                                        const std::vector<std::vector<double>>& features) const = 0;
  // What the fit found, for the job result: ARIMA order, coefficients with standard
  // errors, llf and information criteria; Prophet changepoints, rates and seasonalities.
  virtual nlohmann::json summary() const = 0;
  // The hyperparameters that reproduce this model's structure when refitted on more data
  // (ARIMA after automatic selection: the chosen order, auto off).
  virtual nlohmann::json refit_hyperparameters() const = 0;
  // The engine's own artifact document (traind.sarimax/1, traind.prophet/1).
  virtual std::string to_json() const = 0;
};

}  // namespace traind::algorithms
