// The "arima" algorithm: SARIMAX with statsmodels' names and semantics on the time-series
// engine (engines/timeseries/sarimax.h), with automatic order selection as R's
// forecast::auto.arima (engines/timeseries/auto_arima.h) when no order is given.
//
// Hyperparameters: statsmodels' SARIMAX arguments (order, seasonal_order, trend,
// enforce_stationarity, enforce_invertibility, concentrate_scale) and auto.arima's limits by
// their R names with dots as underscores (max_p, ..., stepwise, nmodels, ic, approximation,
// seasonal, allowdrift, allowmean). `auto` defaults to true exactly when `order` is absent.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/forecaster.h"
#include "algorithms/hyperparameter.h"
#include "algorithms/resolved_hyperparameters.h"
#include "engines/timeseries/auto_arima.h"
#include "engines/timeseries/common/normal_distribution.h"
#include "engines/timeseries/sarimax.h"

namespace traind::algorithms {
namespace {

namespace ts = engines::timeseries;
using nlohmann::json;

std::vector<HyperParameter> arima_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "order",
       .type = ParamType::kIntegerArray,
       .default_value = nullptr,
       .minimum = 0,
       .maximum = 30,
       .help = "(p, d, q): AR order, differences, MA order. Omitted: chosen automatically."});
  add({.name = "seasonal_order",
       .type = ParamType::kIntegerArray,
       .default_value = json::array({0, 0, 0, 0}),
       .minimum = 0,
       .maximum = 400,
       .help = "(P, D, Q, s): seasonal AR order, seasonal differences, seasonal MA order and "
               "the season length s (>= 2 when any of P, D, Q is positive)."});
  add({.name = "trend",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"n", "c", "t", "ct"},
       .help = "Trend polynomial inside the ARMA equation: none, constant, linear in time, "
               "both. Null: none ('n'), or the constant auto order selection chose."});
  add({.name = "enforce_stationarity",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Keep the AR polynomials stationary (statsmodels' transform)."});
  add({.name = "enforce_invertibility",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Keep the MA polynomials invertible."});
  add({.name = "concentrate_scale",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Concentrate sigma2 out of the likelihood instead of estimating it."});
  add({.name = "auto",
       .type = ParamType::kBoolean,
       .default_value = nullptr,
       .help = "Choose the order as R's auto.arima does (stepwise search by AICc). Null: true "
               "when order is absent."});
  auto limit = [&add](const char* name, int value, int maximum, const char* help) {
    add({.name = name,
         .type = ParamType::kInteger,
         .default_value = value,
         .minimum = 0,
         .maximum = static_cast<double>(maximum),
         .help = help});
  };
  limit("max_p", 5, 20, "auto: largest AR order.");
  limit("max_q", 5, 20, "auto: largest MA order.");
  limit("max_P", 2, 5, "auto: largest seasonal AR order.");
  limit("max_Q", 2, 5, "auto: largest seasonal MA order.");
  limit("max_order", 5, 40, "auto: largest p + q + P + Q (exhaustive search only).");
  limit("max_d", 2, 3, "auto: most differences.");
  limit("max_D", 1, 2, "auto: most seasonal differences.");
  limit("start_p", 2, 20, "auto: AR order of the first model.");
  limit("start_q", 2, 20, "auto: MA order of the first model.");
  limit("start_P", 1, 5, "auto: seasonal AR order of the first model.");
  limit("start_Q", 1, 5, "auto: seasonal MA order of the first model.");
  add({.name = "stepwise",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "auto: stepwise search (false: every model within the limits)."});
  add({.name = "nmodels",
       .type = ParamType::kInteger,
       .default_value = 94,
       .minimum = 1,
       .maximum = 10000,
       .help = "auto: most models the stepwise search fits."});
  add({.name = "ic",
       .type = ParamType::kString,
       .default_value = "aicc",
       .choices = {"aicc", "aic", "bic"},
       .help = "auto: the information criterion that picks the model."});
  add({.name = "approximation",
       .type = ParamType::kBoolean,
       .default_value = nullptr,
       .help = "auto: search with conditional sums of squares. Null: when the series is longer "
               "than 150 periods or the season longer than 12."});
  add({.name = "seasonal",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "auto: consider seasonal models (with forecast.seasonal_period > 1)."});
  add({.name = "allowdrift",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "auto: allow a drift when the series is differenced once."});
  add({.name = "allowmean",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "auto: allow a non-zero mean when the series is not differenced."});
  return p;
}

bool auto_selected(const json& hp) {
  return hp["auto"].is_boolean() ? hp["auto"].get<bool>() : hp["order"].is_null();
}

std::vector<ErrorDetail> check_for_task(const std::string&, const json& hp) {
  std::vector<ErrorDetail> problems;
  if (hp["order"].is_array() && hp["order"].size() != 3) {
    problems.push_back({"/hyperparameters/order", "must have 3 items: [p, d, q]"});
  }
  const json& seasonal = hp["seasonal_order"];
  if (seasonal.is_array()) {
    if (seasonal.size() != 4) {
      problems.push_back({"/hyperparameters/seasonal_order", "must have 4 items: [P, D, Q, s]"});
    } else if ((seasonal[0] > 0 || seasonal[1] > 0 || seasonal[2] > 0) && seasonal[3] < 2) {
      problems.push_back({"/hyperparameters/seasonal_order",
                          "the season length s (4th item) must be >= 2 with seasonal terms"});
    }
  }
  if (hp["auto"] == true && !hp["order"].is_null()) {
    problems.push_back({"/hyperparameters/auto",
                        "auto chooses the order itself; give either order or auto: true"});
  }
  if (hp["auto"] == false && hp["order"].is_null()) {
    problems.push_back({"/hyperparameters/order", "is required when auto is false"});
  }
  return problems;
}

ts::AutoArimaOptions auto_options(const json& hp) {
  ts::AutoArimaOptions o;
  o.max_p = hp["max_p"];
  o.max_q = hp["max_q"];
  o.max_P = hp["max_P"];
  o.max_Q = hp["max_Q"];
  o.max_order = hp["max_order"];
  o.max_d = hp["max_d"];
  o.max_D = hp["max_D"];
  o.start_p = hp["start_p"];
  o.start_q = hp["start_q"];
  o.start_P = hp["start_P"];
  o.start_Q = hp["start_Q"];
  o.stepwise = hp["stepwise"];
  o.nmodels = hp["nmodels"];
  o.ic = hp["ic"].get<std::string>();
  o.approximation = hp["approximation"].is_null()     ? ts::AutoArimaApproximation::kAuto
                    : hp["approximation"].get<bool>() ? ts::AutoArimaApproximation::kOn
                                                      : ts::AutoArimaApproximation::kOff;
  o.seasonal = hp["seasonal"];
  o.allowdrift = hp["allowdrift"];
  o.allowmean = hp["allowmean"];
  return o;
}

ts::SarimaxSpec explicit_spec(const json& hp) {
  ts::SarimaxSpec spec;
  spec.p = hp["order"][0];
  spec.d = hp["order"][1];
  spec.q = hp["order"][2];
  const json& s = hp["seasonal_order"];
  spec.seasonal_p = s[0];
  spec.seasonal_d = s[1];
  spec.seasonal_q = s[2];
  spec.period = s[3];
  spec.trend = hp["trend"].is_string() ? hp["trend"].get<std::string>() : "n";
  spec.enforce_stationarity = hp["enforce_stationarity"];
  spec.enforce_invertibility = hp["enforce_invertibility"];
  spec.concentrate_scale = hp["concentrate_scale"];
  return spec;
}

// The regressors with NaN where y is missing replaced by 0: the filter skips those
// periods, so the value never enters the likelihood, but the engine wants finite numbers.
std::vector<std::vector<double>> finite_exog(const ForecastSeries& series) {
  std::vector<std::vector<double>> exog = series.features;
  for (auto& column : exog) {
    for (double& v : column) {
      if (!std::isfinite(v)) v = 0.0;
    }
  }
  return exog;
}

class ArimaForecaster final : public FittedForecaster {
 public:
  ArimaForecaster(ts::SarimaxModel model, json hyperparameters, double interval_width,
                  json selection)
      : model_(std::move(model)),
        hyperparameters_(std::move(hyperparameters)),
        interval_width_(interval_width),
        selection_(std::move(selection)) {}

  Result<ForecastPath> in_sample() const override {
    const ts::SarimaxInSample& fit = model_.in_sample();
    ForecastPath path;
    path.yhat = fit.mean;
    path.lower.assign(fit.mean.size(), std::nan(""));
    path.upper.assign(fit.mean.size(), std::nan(""));
    const double z = ts::normal_quantile(0.5 + interval_width_ / 2.0);
    for (size_t t = static_cast<size_t>(std::max(fit.burn, 0)); t < fit.mean.size(); ++t) {
      if (!(fit.variance[t] >= 0.0)) continue;
      const double half = z * std::sqrt(fit.variance[t]);
      path.lower[t] = fit.mean[t] - half;
      path.upper[t] = fit.mean[t] + half;
    }
    return path;
  }

  Result<ForecastPath> forecast(const std::vector<double>& timestamps,
                                const std::vector<std::vector<double>>& features) const override {
    if (timestamps.empty()) return ForecastPath{};
    auto f = model_.forecast(static_cast<int>(timestamps.size()), features, interval_width_);
    if (!f) return f.status();
    return ForecastPath{std::move(f->mean), std::move(f->lower), std::move(f->upper)};
  }

  json summary() const override {
    const ts::SarimaxSpec& s = model_.spec();
    json params = json::object(), bse = json::object();
    for (size_t i = 0; i < model_.param_names().size(); ++i) {
      params[model_.param_names()[i]] = model_.params()[i];
      if (i < model_.bse().size()) bse[model_.param_names()[i]] = model_.bse()[i];
    }
    json out = {{"order", {s.p, s.d, s.q}},
                {"seasonal_order", {s.seasonal_p, s.seasonal_d, s.seasonal_q, s.period}},
                {"trend", s.trend},
                {"params", std::move(params)},
                {"bse", std::move(bse)},
                {"sigma2", model_.scale()},
                {"llf", model_.llf()},
                {"aic", model_.aic()},
                {"aicc", model_.aicc()},
                {"bic", model_.bic()},
                {"hqic", model_.hqic()},
                {"nobs", model_.nobs()},
                {"converged", model_.converged()}};
    if (!selection_.is_null()) out["auto"] = selection_;
    return out;
  }

  json refit_hyperparameters() const override {
    const ts::SarimaxSpec& s = model_.spec();
    json hp = hyperparameters_;
    hp["order"] = {s.p, s.d, s.q};
    hp["seasonal_order"] = {s.seasonal_p, s.seasonal_d, s.seasonal_q, s.period};
    hp["trend"] = s.trend;
    hp["auto"] = false;
    return hp;
  }

  std::string to_json() const override { return model_.to_json(); }

 private:
  ts::SarimaxModel model_;
  json hyperparameters_;
  double interval_width_;
  json selection_;  // what auto order selection found; null for a given order
};

Result<std::unique_ptr<FittedForecaster>> fit_arima(const ForecastSeries& series,
                                                    const ForecastOptions& options) {
  Result<json> resolved = resolve_hyperparameters(arima_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  const json& hp = *resolved;
  ts::SarimaxData data;
  data.y = series.y;
  data.exog = finite_exog(series);
  data.exog_names = series.feature_names;

  ts::SarimaxSpec spec;
  json selection;
  if (auto_selected(hp)) {
    const int m = hp["seasonal"] == true ? std::max(options.seasonal_period, 1) : 1;
    auto chosen = ts::auto_arima(data.y, data.exog, m, auto_options(hp));
    if (!chosen) return chosen.status();
    spec.p = chosen->p;
    spec.d = chosen->d;
    spec.q = chosen->q;
    spec.seasonal_p = chosen->P;
    spec.seasonal_d = chosen->D;
    spec.seasonal_q = chosen->Q;
    spec.period = (chosen->P + chosen->D + chosen->Q) > 0 ? chosen->m : 0;
    spec.trend = chosen->constant ? "c" : "n";
    spec.enforce_stationarity = hp["enforce_stationarity"];
    spec.enforce_invertibility = hp["enforce_invertibility"];
    spec.concentrate_scale = hp["concentrate_scale"];
    selection = {{"ic", chosen->ic_name},
                 {"ic_value", chosen->ic_value},
                 {"constant", chosen->constant},
                 {"mean_or_drift",
                  std::isfinite(chosen->mean_or_drift) ? json(chosen->mean_or_drift) : json()},
                 {"approximation", chosen->approximation},
                 {"models_fitted", chosen->models_fitted},
                 {"seasonal_period", chosen->m}};
  } else {
    spec = explicit_spec(hp);
  }
  auto model = ts::fit_sarimax(spec, data);
  if (!model) return model.status();
  return std::unique_ptr<FittedForecaster>(std::make_unique<ArimaForecaster>(
      std::move(model).value(), hp, options.interval_width, std::move(selection)));
}

Result<std::unique_ptr<FittedForecaster>> load_arima(const std::string& text,
                                                     const ForecastOptions& options) {
  auto model = ts::SarimaxModel::from_json(text);
  if (!model) return model.status();
  return std::unique_ptr<FittedForecaster>(std::make_unique<ArimaForecaster>(
      std::move(model).value(), options.hyperparameters, options.interval_width, json()));
}

}  // namespace

const AlgorithmSpec& arima_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "arima";
    s.aliases = {"sarimax", "sarima", "auto_arima", "SARIMAX"};
    s.tasks = {"forecasting"};
    s.library = "traind time-series engine (statsmodels 0.13.5 SARIMAX, forecast 8.20 auto.arima)";
    s.model_format = "traind-forecast-json";
    s.description =
        "Regression with seasonal ARIMA errors, estimated by exact maximum likelihood as "
        "statsmodels' SARIMAX; without an order, the order is chosen as R's auto.arima does.";
    s.hyperparameters = arima_hyperparameters();
    s.handles_missing = true;
    s.check_for_task = &check_for_task;
    s.fit_forecaster = &fit_arima;
    s.load_forecaster = &load_arima;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
