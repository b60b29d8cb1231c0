// Forecast accuracy on a hold-out (spec C.4): mae, rmse, mape, smape, mase and interval
// coverage, per series, and their unweighted mean over series for a panel.
//
// Only hold-out rows with an observed y count (h of them). mape and smape are in percent;
// mape skips rows with y = 0 and is null without any other; an smape term is 0 when
// y = yhat = 0. mase scales mae by the mean absolute seasonal difference (lag m) of the
// training part over the pairs with both values observed (Hyndman & Koehler 2006); null when
// there is no such pair or that mean is 0. A metric that cannot be computed (h = 0, a
// non-finite prediction) is null: std::nullopt here, JSON null in the result. Pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace traind::train {

struct ForecastMetrics {
  std::optional<double> mae;
  std::optional<double> rmse;
  std::optional<double> mape;
  std::optional<double> smape;
  std::optional<double> mase;
  std::optional<double> coverage;  // share of rows with yhat_lower <= y <= yhat_upper
};

// The predictions of the hold-out periods, aligned with y_test (NaN = no observed y).
struct HoldoutForecast {
  std::vector<double> y_test;
  std::vector<double> yhat;
  // Same length as yhat, or empty when the model gives no interval (coverage is then null);
  // rows whose bounds are NaN are left out of coverage.
  std::vector<double> yhat_lower;
  std::vector<double> yhat_upper;
};

// y_train: the training part on its grid (NaN = missing), for mase's scale;
// seasonal_period: forecast.seasonal_period (values below 1 count as 1).
ForecastMetrics forecast_metrics(const HoldoutForecast& holdout, const std::vector<double>& y_train,
                                 int seasonal_period);

// mase's denominator Q, or nullopt when it is undefined (no pair m apart, or Q = 0).
std::optional<double> mase_scale(const std::vector<double>& y_train, int seasonal_period);

// The unweighted mean over series of each metric, skipping series where it is null (null
// when every series has it null).
ForecastMetrics mean_over_series(const std::vector<ForecastMetrics>& per_series);

// {"mae", "rmse", "mape", "smape", "mase", "coverage"} with nulls.
nlohmann::json forecast_metrics_json(const ForecastMetrics& metrics);

// The top-level metrics of a job: forecast_metrics_json(mean_over_series(...)) plus
// "n_series".
nlohmann::json aggregate_forecast_metrics_json(const std::vector<ForecastMetrics>& per_series);

}  // namespace traind::train
