// ForecastSettings: the fields of a resolved forecasting configuration that the job and its
// validation act on, read once (spec timeseries.md §C.1).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "algorithms/hyperparameter.h"
#include "core/status.h"
#include "train/forecast_series.h"

namespace traind::train {

struct ForecastSettings {
  const algorithms::AlgorithmSpec* spec = nullptr;
  std::string query;
  ForecastDataSpec data;  // columns, frequency (when given) and horizon
  double interval_width = 0.95;
  std::optional<int> seasonal_period;  // nullopt: from the frequency
  double test_size = 0.2;              // a fraction, or a whole number of periods
  uint64_t seed = 0;                   // split.random_state
  nlohmann::json hyperparameters = nlohmann::json::object();

  // The columns the job reads: time, series, target and features, each once.
  std::vector<std::string> columns() const;
};

// kTrainingError for an algorithm that cannot forecast, kInvalidConfig (with the field's
// path) for a frequency that does not parse, kDataError for a configuration without a query.
Result<ForecastSettings> read_forecast_settings(const nlohmann::json& resolved);

}  // namespace traind::train
