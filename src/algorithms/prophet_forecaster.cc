// The "prophet" algorithm: Prophet with R prophet 1.0's names, defaults and semantics on the
// time-series engine (engines/timeseries/prophet.h). Feature columns become extra
// regressors (add_regressor) with one shared prior scale, standardisation and mode;
// forecast.interval_width is Prophet's interval_width and split.random_state seeds the
// interval simulation.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/forecaster.h"
#include "algorithms/hyperparameter.h"
#include "algorithms/resolved_hyperparameters.h"
#include "engines/timeseries/prophet.h"

namespace traind::algorithms {
namespace {

namespace ts = engines::timeseries;
using nlohmann::json;

std::vector<HyperParameter> prophet_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "growth",
       .type = ParamType::kString,
       .default_value = "linear",
       .choices = {"linear", "logistic", "flat"},
       .help = "Trend: piecewise linear, logistic up to `cap`, or flat."});
  add({.name = "n_changepoints",
       .type = ParamType::kInteger,
       .default_value = 25,
       .minimum = 0,
       .maximum = 10000,
       .help = "Potential trend changepoints, spread over the first changepoint_range."});
  add({.name = "changepoint_range",
       .type = ParamType::kNumber,
       .default_value = 0.8,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Share of the history in which changepoints are placed."});
  for (const char* name : {"yearly_seasonality", "weekly_seasonality", "daily_seasonality"}) {
    add({.name = name,
         .type = ParamType::kNumberOrString,
         .default_value = "auto",
         .minimum = 1,
         .maximum = 100,
         .choices = {"auto"},
         .help = "\"auto\" (on when the history covers it), true, false or a Fourier order.",
         .accepts_boolean = true});
  }
  add({.name = "seasonality_mode",
       .type = ParamType::kString,
       .default_value = "additive",
       .choices = {"additive", "multiplicative"},
       .help = "How seasonalities and regressors combine with the trend."});
  add({.name = "seasonality_prior_scale",
       .type = ParamType::kNumber,
       .default_value = 10.0,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Prior scale of the seasonal coefficients (larger = more flexible)."});
  add({.name = "holidays_prior_scale",
       .type = ParamType::kNumber,
       .default_value = 10.0,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Prior scale of holiday effects; also the extra regressors' default."});
  add({.name = "changepoint_prior_scale",
       .type = ParamType::kNumber,
       .default_value = 0.05,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Laplace prior scale of the rate changes (larger = more flexible trend)."});
  add({.name = "mcmc_samples",
       .type = ParamType::kInteger,
       .default_value = 0,
       .minimum = 0,
       .maximum = 0,
       .help = "Only 0: the MAP fit (full Bayesian sampling is not offered)."});
  add({.name = "uncertainty_samples",
       .type = ParamType::kInteger,
       .default_value = 1000,
       .minimum = 0,
       .maximum = 100000,
       .help = "Simulated paths for the intervals; 0 turns the intervals off."});
  add({.name = "cap",
       .type = ParamType::kNumber,
       .default_value = nullptr,
       .help = "Logistic growth: the carrying capacity (a number; required for logistic)."});
  add({.name = "floor",
       .type = ParamType::kNumber,
       .default_value = nullptr,
       .help = "Logistic growth: the saturating minimum (a number below cap)."});
  add({.name = "regressor_prior_scale",
       .type = ParamType::kNumber,
       .default_value = nullptr,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Prior scale of the feature columns' coefficients. Null: holidays_prior_scale."});
  add({.name = "regressor_standardize",
       .type = ParamType::kString,
       .default_value = "auto",
       .choices = {"auto", "true", "false"},
       .help = "Standardise the feature columns (auto: unless binary or constant)."});
  add({.name = "regressor_mode",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"additive", "multiplicative"},
       .help = "How the feature columns combine with the trend. Null: seasonality_mode."});
  return p;
}

std::vector<ErrorDetail> check_for_task(const std::string&, const json& hp) {
  std::vector<ErrorDetail> problems;
  if (hp["growth"] == "logistic" && !hp["cap"].is_number()) {
    problems.push_back({"/hyperparameters/cap", "is required for logistic growth"});
  }
  if (hp["cap"].is_number() && hp["floor"].is_number() && hp["floor"] >= hp["cap"]) {
    problems.push_back({"/hyperparameters/floor", "must be below cap"});
  }
  for (const char* name : {"yearly_seasonality", "weekly_seasonality", "daily_seasonality"}) {
    const json& v = hp[name];
    if (v.is_number() && std::floor(v.get<double>()) != v.get<double>()) {
      problems.push_back(
          {std::string("/hyperparameters/") + name, "a Fourier order must be a whole number"});
    }
  }
  return problems;
}

ts::SeasonalitySetting seasonality(const json& v) {
  if (v.is_boolean()) return ts::SeasonalitySetting::enabled(v.get<bool>());
  if (v.is_number()) return ts::SeasonalitySetting::order(static_cast<int>(v.get<double>()));
  return ts::SeasonalitySetting::automatic();
}

ts::ProphetOptions prophet_options(const json& hp, const ForecastSeries& series,
                                   const ForecastOptions& options) {
  ts::ProphetOptions o;
  o.growth = hp["growth"];
  o.n_changepoints = hp["n_changepoints"];
  o.changepoint_range = hp["changepoint_range"];
  o.yearly_seasonality = seasonality(hp["yearly_seasonality"]);
  o.weekly_seasonality = seasonality(hp["weekly_seasonality"]);
  o.daily_seasonality = seasonality(hp["daily_seasonality"]);
  o.seasonality_mode = hp["seasonality_mode"];
  o.seasonality_prior_scale = hp["seasonality_prior_scale"];
  o.holidays_prior_scale = hp["holidays_prior_scale"];
  o.changepoint_prior_scale = hp["changepoint_prior_scale"];
  o.mcmc_samples = hp["mcmc_samples"];
  o.uncertainty_samples = hp["uncertainty_samples"];
  o.interval_width = options.interval_width;
  o.random_state = options.seed;
  for (const std::string& name : series.feature_names) {
    ts::ExtraRegressor r;
    r.name = name;
    if (hp["regressor_prior_scale"].is_number()) r.prior_scale = hp["regressor_prior_scale"];
    r.standardize = hp["regressor_standardize"];
    if (hp["regressor_mode"].is_string()) r.mode = hp["regressor_mode"].get<std::string>();
    o.extra_regressors.push_back(std::move(r));
  }
  return o;
}

// A frame at `timestamps` with the regressors' values and the constant cap/floor.
ts::ProphetFrame make_frame(const std::vector<double>& timestamps,
                            const std::vector<std::vector<double>>& features,
                            const std::vector<std::string>& names, const json& hp) {
  ts::ProphetFrame frame;
  frame.ds = timestamps;
  frame.y.assign(timestamps.size(), std::nan(""));
  for (size_t f = 0; f < names.size() && f < features.size(); ++f) {
    frame.regressors[names[f]] = features[f];
  }
  if (hp["cap"].is_number()) frame.cap.assign(timestamps.size(), hp["cap"].get<double>());
  if (hp["floor"].is_number()) frame.floor.assign(timestamps.size(), hp["floor"].get<double>());
  return frame;
}

ForecastPath to_path(ts::ProphetForecast f) {
  ForecastPath path;
  const size_t n = f.yhat.size();
  path.yhat = std::move(f.yhat);
  path.lower =
      f.yhat_lower.empty() ? std::vector<double>(n, std::nan("")) : std::move(f.yhat_lower);
  path.upper =
      f.yhat_upper.empty() ? std::vector<double>(n, std::nan("")) : std::move(f.yhat_upper);
  return path;
}

std::string iso_utc(double epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds(static_cast<int64_t>(std::llround(epoch_seconds)))};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> hms(t - day);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return text;
}

class ProphetForecaster final : public FittedForecaster {
 public:
  ProphetForecaster(ts::ProphetModel model, json hyperparameters, ForecastSeries history)
      : model_(std::move(model)),
        hyperparameters_(std::move(hyperparameters)),
        history_(std::move(history)) {}

  Result<ForecastPath> in_sample() const override {
    if (history_.timestamps.empty()) {
      return Status(ErrorCode::kInvalidConfig, "a loaded Prophet model has no history to fit");
    }
    // Regressor values at unobserved grid points are unknown: predict there with 0s.
    std::vector<std::vector<double>> features = history_.features;
    for (auto& column : features) {
      for (double& v : column) {
        if (!std::isfinite(v)) v = 0.0;
      }
    }
    return forecast(history_.timestamps, features);
  }

  Result<ForecastPath> forecast(const std::vector<double>& timestamps,
                                const std::vector<std::vector<double>>& features) const override {
    if (timestamps.empty()) return ForecastPath{};
    std::vector<std::string> names;
    for (const auto& r : model_.options().extra_regressors) names.push_back(r.name);
    if (features.size() < names.size()) {
      return Status(ErrorCode::kInvalidConfig, "the model needs future values of its regressors: " +
                                                   std::to_string(names.size()) +
                                                   " feature columns");
    }
    auto predicted = model_.predict(make_frame(timestamps, features, names, hyperparameters_));
    if (!predicted) return predicted.status();
    return to_path(std::move(predicted).value());
  }

  json summary() const override {
    json changepoints = json::array();
    for (double t : model_.changepoints()) changepoints.push_back(iso_utc(t));
    const ts::ProphetParams& p = model_.params();
    return {{"growth", model_.options().growth},
            {"changepoints", std::move(changepoints)},
            {"delta", p.delta},
            {"k", p.k},
            {"m", p.m},
            {"sigma_obs", p.sigma_obs},
            {"beta", p.beta},
            {"columns", model_.column_names()},
            {"seasonalities", model_.seasonality_names()},
            {"y_scale", model_.y_scale()},
            {"fit_algorithm", model_.fit_algorithm()},
            {"objective", model_.objective()}};
  }

  json refit_hyperparameters() const override { return hyperparameters_; }

  std::string to_json() const override { return model_.to_json(); }

 private:
  ts::ProphetModel model_;
  json hyperparameters_;
  ForecastSeries history_;  // empty for a loaded model
};

Result<std::unique_ptr<FittedForecaster>> fit_prophet(const ForecastSeries& series,
                                                      const ForecastOptions& options) {
  Result<json> resolved = resolve_hyperparameters(prophet_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  const json& hp = *resolved;
  // Prophet has no row where y is missing.
  std::vector<double> ds, y;
  std::vector<std::vector<double>> features(series.features.size());
  for (size_t t = 0; t < series.y.size(); ++t) {
    if (std::isnan(series.y[t])) continue;
    ds.push_back(series.timestamps[t]);
    y.push_back(series.y[t]);
    for (size_t f = 0; f < features.size(); ++f) features[f].push_back(series.features[f][t]);
  }
  ts::ProphetFrame frame = make_frame(ds, features, series.feature_names, hp);
  frame.y = std::move(y);
  auto model = ts::fit_prophet(prophet_options(hp, series, options), frame);
  if (!model) return model.status();
  return std::unique_ptr<FittedForecaster>(
      std::make_unique<ProphetForecaster>(std::move(model).value(), hp, series));
}

Result<std::unique_ptr<FittedForecaster>> load_prophet(const std::string& text,
                                                       const ForecastOptions& options) {
  auto model = ts::ProphetModel::from_json(text);
  if (!model) return model.status();
  Result<json> resolved = resolve_hyperparameters(prophet_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  return std::unique_ptr<FittedForecaster>(std::make_unique<ProphetForecaster>(
      std::move(model).value(), std::move(resolved).value(), ForecastSeries{}));
}

}  // namespace

const AlgorithmSpec& prophet_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "prophet";
    s.aliases = {"Prophet", "fbprophet"};
    s.tasks = {"forecasting"};
    s.library = "traind time-series engine (R prophet 1.0 semantics)";
    s.model_format = "traind-forecast-json";
    s.description =
        "Prophet: piecewise-linear or logistic trend with changepoints, Fourier seasonalities "
        "and extra regressors, fitted as the MAP estimate of Prophet's Stan model; intervals "
        "by simulation.";
    s.hyperparameters = prophet_hyperparameters();
    s.handles_missing = true;
    s.check_for_task = &check_for_task;
    s.fit_forecaster = &fit_prophet;
    s.load_forecaster = &load_prophet;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
