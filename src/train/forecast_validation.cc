// check_forecast_data: the job's own data preparation, run at validation time on the
// columns the job will read.
#include "train/forecast_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "train/forecast_series.h"
#include "train/forecast_settings.h"
#include "train/forecast_split.h"

namespace traind::train {
namespace {

using nlohmann::json;

// Where a data problem without a path of its own points: the frequency for an irregular
// grid (the message asks for forecast.frequency), else the query's data.
std::string path_for(const Status& status) {
  if (status.message().find("forecast.frequency") != std::string::npos)
    return "/forecast/frequency";
  return "/dataset/query";
}

void add_status(const Status& status, const std::string& fallback_path,
                std::vector<ErrorDetail>& problems) {
  if (!status.details().empty()) {
    problems.insert(problems.end(), status.details().begin(), status.details().end());
  } else {
    problems.push_back({fallback_path, status.message()});
  }
}

// The fewest training periods an explicit ARIMA order can be estimated from (spec C.2.5):
// d + sD + max(p + sP, q + sQ + 1) + the number of parameters.
int64_t arima_minimum_periods(const json& hp, size_t features) {
  if (!hp.contains("order") || !hp["order"].is_array() || hp["order"].size() != 3) return 0;
  const json& o = hp["order"];
  const json seasonal = hp.value("seasonal_order", json::array({0, 0, 0, 0}));
  if (!seasonal.is_array() || seasonal.size() != 4) return 0;
  const int64_t p = o[0], d = o[1], q = o[2];
  const int64_t P = seasonal[0], D = seasonal[1], Q = seasonal[2], s = seasonal[3];
  const std::string trend =
      hp.value("trend", json("n")).is_string() ? hp["trend"].get<std::string>() : std::string("n");
  const int64_t trend_terms = trend == "ct" ? 2 : (trend == "n" ? 0 : 1);
  const int64_t params = p + q + P + Q + trend_terms + static_cast<int64_t>(features) + 1;
  return d + s * D + std::max(p + s * P, q + s * Q + 1) + params;
}

}  // namespace

std::optional<Status> check_forecast_data(const json& resolved, data::SqlSource& source,
                                          const data::QueryLimits& limits,
                                          std::vector<ErrorDetail>& problems) {
  auto settings = read_forecast_settings(resolved);
  if (!settings) {
    if (settings.status().code() == ErrorCode::kInternal) return settings.status();
    add_status(settings.status(), "/algorithm", problems);
    return std::nullopt;
  }
  auto table = source.load_columns(settings->query, settings->columns(), limits);
  if (!table) {
    if (table.status().code() == ErrorCode::kInternal) return table.status();
    problems.push_back(
        {"/dataset/query", "reading the forecasting columns: " + table.status().message()});
    return std::nullopt;
  }
  auto prepared = prepare_forecast_data(*table, settings->data);
  if (!prepared) {
    add_status(prepared.status(), path_for(prepared.status()), problems);
    return std::nullopt;
  }
  auto test_size = forecast_test_size(settings->test_size);
  if (!test_size) {
    add_status(test_size.status(), "/split/test_size", problems);
    return std::nullopt;
  }
  const bool arima = settings->spec->name == "arima";
  const int64_t arima_minimum =
      arima ? arima_minimum_periods(settings->hyperparameters, prepared->feature_names.size()) : 0;
  for (const PreparedSeries& s : prepared->series) {
    const std::string label = series_label(settings->data.series_column, s.name);
    auto holdout = split_series_holdout(s.y, *test_size, label);
    if (!holdout) {
      problems.push_back({"/split/test_size", holdout.status().message()});
      continue;
    }
    if (holdout->train_samples < 2) {
      problems.push_back(
          {"/split/test_size",
           fmt::format("{} keeps {} observed period(s) before its hold-out; a forecast needs at "
                       "least 2",
                       label, holdout->train_samples)});
    } else if (arima_minimum > 0 && static_cast<int64_t>(holdout->train_periods) < arima_minimum) {
      problems.push_back(
          {"/hyperparameters/order",
           fmt::format("{} has {} training periods; this order needs at least {} (d + sD + "
                       "max(p + sP, q + sQ + 1) + the number of parameters)",
                       label, holdout->train_periods, arima_minimum)});
    }
    if (problems.size() >= 20) break;  // a panel of bad series: the first ones say enough
  }
  return std::nullopt;
}

}  // namespace traind::train
