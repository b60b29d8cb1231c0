// Reading a resolved forecasting configuration into ForecastSettings.
#include "train/forecast_settings.h"

#include <algorithm>

#include "algorithms/registry.h"
#include "train/forecast_frequency.h"

namespace traind::train {

using nlohmann::json;

std::vector<std::string> ForecastSettings::columns() const {
  std::vector<std::string> wanted = {data.time_column};
  auto add = [&wanted](const std::string& name) {
    if (!name.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) {
      wanted.push_back(name);
    }
  };
  add(data.series_column);
  add(data.target_column);
  for (const std::string& f : data.feature_columns) add(f);
  return wanted;
}

Result<ForecastSettings> read_forecast_settings(const json& config) {
  ForecastSettings s;
  const std::string algorithm = config.value("algorithm", std::string());
  s.spec = algorithms::find_algorithm(algorithm);
  if (s.spec == nullptr || !s.spec->fit_forecaster) {
    return Status(ErrorCode::kTrainingError,
                  "algorithm '" + algorithm + "' cannot forecast in this version");
  }
  const json dataset = config.value("dataset", json::object());
  s.query = dataset.value("query", std::string());
  if (s.query.empty()) return Status(ErrorCode::kDataError, "the configuration has no query");
  s.data.time_column = config.value("time_column", std::string());
  s.data.target_column = config.value("target_column", std::string());
  s.data.series_column = config.value("series_column", std::string());
  if (config.contains("feature_columns") && config["feature_columns"].is_array()) {
    for (const json& f : config["feature_columns"]) {
      if (f.is_string()) s.data.feature_columns.push_back(f.get<std::string>());
    }
  }
  const json forecast = config.value("forecast", json::object());
  s.data.horizon = forecast.value("horizon", int64_t{1});
  if (forecast.contains("frequency") && forecast["frequency"].is_string()) {
    auto f = parse_frequency(forecast["frequency"].get<std::string>());
    if (!f) return f.status();
    s.data.frequency = *f;
  }
  s.interval_width = forecast.value("interval_width", 0.95);
  if (forecast.contains("seasonal_period") && forecast["seasonal_period"].is_number_integer()) {
    s.seasonal_period = forecast["seasonal_period"].get<int>();
  }
  const json split = config.value("split", json::object());
  s.test_size = split.value("test_size", 0.2);
  if (split.contains("random_state") && split["random_state"].is_number_integer()) {
    s.seed = split["random_state"].get<uint64_t>();
  }
  if (config.contains("hyperparameters") && config["hyperparameters"].is_object()) {
    s.hyperparameters = config["hyperparameters"];
  }
  return s;
}

}  // namespace traind::train
