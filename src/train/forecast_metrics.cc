// C.4 forecast metrics and their mean over series.
#include "train/forecast_metrics.h"

#include <array>
#include <cmath>
#include <utility>

namespace traind::train {
namespace {

// Each metric's result name and member, declared once for JSON and averaging.
using MetricMember = std::optional<double> ForecastMetrics::*;
constexpr std::array<std::pair<const char*, MetricMember>, 6> kMetrics = {{
    {"mae", &ForecastMetrics::mae},
    {"rmse", &ForecastMetrics::rmse},
    {"mape", &ForecastMetrics::mape},
    {"smape", &ForecastMetrics::smape},
    {"mase", &ForecastMetrics::mase},
    {"coverage", &ForecastMetrics::coverage},
}};

std::optional<double> finite_or_null(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> mase_scale(const std::vector<double>& y_train, int seasonal_period) {
  const size_t m = seasonal_period < 1 ? 1 : static_cast<size_t>(seasonal_period);
  double sum = 0;
  size_t pairs = 0;
  for (size_t t = m; t < y_train.size(); ++t) {
    if (std::isnan(y_train[t]) || std::isnan(y_train[t - m])) continue;
    sum += std::fabs(y_train[t] - y_train[t - m]);
    ++pairs;
  }
  if (pairs == 0 || sum == 0.0) return std::nullopt;
  return finite_or_null(sum / static_cast<double>(pairs));
}

ForecastMetrics forecast_metrics(const HoldoutForecast& holdout, const std::vector<double>& y_train,
                                 int seasonal_period) {
  const bool has_interval = !holdout.yhat_lower.empty() && !holdout.yhat_upper.empty();
  double abs_sum = 0, sq_sum = 0, ape_sum = 0, sape_sum = 0;
  size_t h = 0, nonzero = 0, with_bounds = 0, covered = 0;
  for (size_t t = 0; t < holdout.y_test.size() && t < holdout.yhat.size(); ++t) {
    const double y = holdout.y_test[t], yhat = holdout.yhat[t];
    if (std::isnan(y)) continue;
    const double e = y - yhat;
    ++h;
    abs_sum += std::fabs(e);
    sq_sum += e * e;
    if (y != 0.0) {
      ape_sum += std::fabs(e) / std::fabs(y);
      ++nonzero;
    }
    const double denominator = std::fabs(y) + std::fabs(yhat);
    if (denominator != 0.0) sape_sum += 2.0 * std::fabs(e) / denominator;
    if (has_interval && t < holdout.yhat_lower.size() && t < holdout.yhat_upper.size() &&
        !std::isnan(holdout.yhat_lower[t]) && !std::isnan(holdout.yhat_upper[t])) {
      ++with_bounds;
      if (holdout.yhat_lower[t] <= y && y <= holdout.yhat_upper[t]) ++covered;
    }
  }
  ForecastMetrics m;
  if (h == 0) return m;
  const double n = static_cast<double>(h);
  m.mae = finite_or_null(abs_sum / n);
  m.rmse = finite_or_null(std::sqrt(sq_sum / n));
  if (nonzero > 0) m.mape = finite_or_null(100.0 * ape_sum / static_cast<double>(nonzero));
  m.smape = finite_or_null(100.0 * sape_sum / n);
  const auto scale = mase_scale(y_train, seasonal_period);
  if (m.mae && scale) m.mase = finite_or_null(*m.mae / *scale);
  if (with_bounds > 0) {
    m.coverage = static_cast<double>(covered) / static_cast<double>(with_bounds);
  }
  return m;
}

ForecastMetrics mean_over_series(const std::vector<ForecastMetrics>& per_series) {
  ForecastMetrics mean;
  for (const auto& [name, member] : kMetrics) {
    double sum = 0;
    size_t count = 0;
    for (const ForecastMetrics& s : per_series) {
      if (!(s.*member)) continue;
      sum += *(s.*member);
      ++count;
    }
    if (count > 0) mean.*member = sum / static_cast<double>(count);
  }
  return mean;
}

nlohmann::json forecast_metrics_json(const ForecastMetrics& metrics) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, member] : kMetrics) {
    const std::optional<double>& v = metrics.*member;
    out[name] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  }
  return out;
}

nlohmann::json aggregate_forecast_metrics_json(const std::vector<ForecastMetrics>& per_series) {
  nlohmann::json out = forecast_metrics_json(mean_over_series(per_series));
  out["n_series"] = per_series.size();
  return out;
}

}  // namespace traind::train
