// The Prophet artifact (spec B.7): Python prophet 1.0 serialize.model_to_json's field names and
// content (ordered dicts as [names, {name: properties}], data frames as {column: [values]},
// times as epoch seconds, params as iterations x size arrays) plus traind's "format",
// "engine_version", the X column names and the seed. from_json rebuilds everything predict()
// needs without refitting.
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/prophet_features.h"
#include "engines/timeseries/prophet/prophet_model_data.h"
#include "engines/timeseries/prophet/trend.h"

namespace traind::engines::timeseries {
namespace {

using detail::ProphetModelData;
using nlohmann::json;

constexpr char kFormat[] = "traind.prophet/1";
constexpr char kEngineVersion[] = "1";
constexpr char kProphetVersion[] = "1.0";

json seasonality_setting_to_json(const SeasonalitySetting& s) {
  switch (s.kind) {
    case SeasonalitySetting::Kind::kAuto:
      return "auto";
    case SeasonalitySetting::Kind::kTrue:
      return true;
    case SeasonalitySetting::Kind::kFalse:
      return false;
    case SeasonalitySetting::Kind::kOrder:
      return s.fourier_order;
  }
  return "auto";
}

SeasonalitySetting seasonality_setting_from_json(const json& j) {
  if (j.is_boolean()) return SeasonalitySetting::enabled(j.get<bool>());
  if (j.is_number_integer()) return SeasonalitySetting::order(j.get<int>());
  if (j.is_string() && j.get<std::string>() == "auto") return SeasonalitySetting::automatic();
  throw std::runtime_error("a *_seasonality value must be \"auto\", true, false or an integer");
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

std::string ProphetModel::to_json() const {
  if (!data_) return "{}";
  const ProphetModelData& m = *data_;
  const ProphetOptions& o = m.options;
  json j;
  j["format"] = kFormat;
  j["engine_version"] = kEngineVersion;
  j["__prophet_version"] = kProphetVersion;
  j["growth"] = o.growth;
  j["n_changepoints"] = m.n_changepoints;
  j["specified_changepoints"] = o.changepoints.has_value();
  j["changepoint_range"] = o.changepoint_range;
  j["yearly_seasonality"] = seasonality_setting_to_json(o.yearly_seasonality);
  j["weekly_seasonality"] = seasonality_setting_to_json(o.weekly_seasonality);
  j["daily_seasonality"] = seasonality_setting_to_json(o.daily_seasonality);
  j["seasonality_mode"] = o.seasonality_mode;
  j["seasonality_prior_scale"] = o.seasonality_prior_scale;
  j["changepoint_prior_scale"] = o.changepoint_prior_scale;
  j["holidays_prior_scale"] = o.holidays_prior_scale;
  j["mcmc_samples"] = o.mcmc_samples;
  j["interval_width"] = o.interval_width;
  j["uncertainty_samples"] = o.uncertainty_samples;
  j["y_scale"] = m.y_scale;
  j["logistic_floor"] = m.logistic_floor;
  j["start"] = m.start;
  j["t_scale"] = m.t_scale;
  j["changepoints"] = m.changepoints;
  j["changepoints_t"] = m.changepoints_t;

  json names = json::array(), props = json::object();
  for (const auto& s : m.seasonalities) {
    names.push_back(s.name);
    props[s.name] = {{"period", s.period},
                     {"fourier_order", s.fourier_order},
                     {"prior_scale", s.prior_scale},
                     {"mode", s.mode},
                     {"condition_name", nullptr}};
  }
  j["seasonalities"] = json::array({names, props});
  json added = json::array();
  for (const auto& s : o.seasonalities) added.push_back(s.name);
  j["added_seasonalities"] = added;

  names = json::array();
  props = json::object();
  for (const auto& r : m.regressors) {
    names.push_back(r.name);
    props[r.name] = {{"prior_scale", r.prior_scale},
                     {"standardize", r.standardize},
                     {"mu", r.mu},
                     {"std", r.std},
                     {"mode", r.mode}};
  }
  j["extra_regressors"] = json::array({names, props});

  if (o.holidays.empty()) {
    j["holidays"] = nullptr;
    j["train_holiday_names"] = nullptr;
  } else {
    json h = {{"holiday", json::array()},
              {"ds", json::array()},
              {"lower_window", json::array()},
              {"upper_window", json::array()},
              {"prior_scale", json::array()}};
    for (const auto& row : o.holidays) {
      h["holiday"].push_back(row.holiday);
      h["ds"].push_back(row.ds);
      h["lower_window"].push_back(row.lower_window);
      h["upper_window"].push_back(row.upper_window);
      h["prior_scale"].push_back(optional_number(row.prior_scale));
    }
    j["holidays"] = h;
    j["train_holiday_names"] = m.train_holiday_names;
  }
  j["country_holidays"] = nullptr;
  j["component_modes"] = {{"additive", m.layout.additive_modes},
                          {"multiplicative", m.layout.multiplicative_modes}};
  json cols = json::object();
  for (const auto& c : m.layout.components) cols[c.name] = c.columns;
  j["train_component_cols"] = cols;
  j["x_columns"] = m.layout.names;

  // History as Prophet keeps it after setup_dataframe (regressors standardised).
  const ProphetFrame& h = m.history;
  json history;
  history["ds"] = h.ds;
  history["y"] = h.y;
  std::vector<double> t(h.ds.size()), y_scaled(h.ds.size()), floor(h.ds.size(), 0.0);
  for (size_t i = 0; i < h.ds.size(); ++i) {
    if (m.logistic_floor) floor[i] = h.floor[i];
    t[i] = (h.ds[i] - m.start) / m.t_scale;
    y_scaled[i] = (h.y[i] - floor[i]) / m.y_scale;
  }
  history["floor"] = floor;
  history["t"] = t;
  history["y_scaled"] = y_scaled;
  if (!h.cap.empty()) {
    history["cap"] = h.cap;
    std::vector<double> cap_scaled(h.cap.size());
    for (size_t i = 0; i < h.cap.size(); ++i) cap_scaled[i] = (h.cap[i] - floor[i]) / m.y_scale;
    history["cap_scaled"] = cap_scaled;
  }
  for (const auto& r : m.regressors) {
    std::vector<double> values = h.regressors.at(r.name);
    for (double& v : values) v = (v - r.mu) / r.std;
    history[r.name] = values;
  }
  j["history"] = history;
  j["history_dates"] = h.ds;

  const ProphetParams& p = m.params;
  std::vector<double> trend(t.size());
  std::vector<double> cap_scaled;
  if (history.contains("cap_scaled")) cap_scaled = history["cap_scaled"].get<std::vector<double>>();
  detail::evaluate_trend(detail::parse_growth(o.growth), p.k, p.m, p.delta, m.changepoints_t, t,
                         cap_scaled, trend);
  j["params"] = {{"k", json::array({json::array({p.k})})},
                 {"m", json::array({json::array({p.m})})},
                 {"delta", json::array({p.delta})},
                 {"sigma_obs", json::array({json::array({p.sigma_obs})})},
                 {"beta", json::array({p.beta})},
                 {"trend", json::array({trend})}};
  j["fit_kwargs"] = json::object();
  j["seed"] = o.random_state;
  j["cap"] = optional_number(o.cap);
  j["floor"] = optional_number(o.floor);
  j["fit"] = {
      {"algorithm", m.fit_algorithm}, {"converged", m.converged}, {"log_posterior", m.objective}};
  // Names are caller-supplied: replace invalid UTF-8 rather than throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ProphetModel> ProphetModel::from_json(std::string_view text) {
  auto invalid = [](const std::string& why) {
    return Status(ErrorCode::kInvalidConfig, "not a traind Prophet artifact: " + why);
  };
  try {
    const json j = json::parse(text);
    if (!j.is_object() || j.value("format", "") != kFormat) {
      return invalid(std::string("\"format\" must be \"") + kFormat + "\"");
    }
    auto model = std::make_shared<ProphetModelData>();
    ProphetOptions& o = model->options;
    o.growth = j.at("growth").get<std::string>();
    o.n_changepoints = j.at("n_changepoints").get<int>();
    model->n_changepoints = o.n_changepoints;
    o.changepoint_range = j.at("changepoint_range").get<double>();
    o.yearly_seasonality = seasonality_setting_from_json(j.at("yearly_seasonality"));
    o.weekly_seasonality = seasonality_setting_from_json(j.at("weekly_seasonality"));
    o.daily_seasonality = seasonality_setting_from_json(j.at("daily_seasonality"));
    o.seasonality_mode = j.at("seasonality_mode").get<std::string>();
    o.seasonality_prior_scale = j.at("seasonality_prior_scale").get<double>();
    o.changepoint_prior_scale = j.at("changepoint_prior_scale").get<double>();
    o.holidays_prior_scale = j.at("holidays_prior_scale").get<double>();
    o.mcmc_samples = j.at("mcmc_samples").get<int>();
    o.interval_width = j.at("interval_width").get<double>();
    o.uncertainty_samples = j.at("uncertainty_samples").get<int>();
    o.random_state = j.value("seed", uint64_t{0});
    if (j.contains("cap") && !j.at("cap").is_null()) o.cap = j.at("cap").get<double>();
    if (j.contains("floor") && !j.at("floor").is_null()) o.floor = j.at("floor").get<double>();
    model->y_scale = j.at("y_scale").get<double>();
    model->logistic_floor = j.at("logistic_floor").get<bool>();
    model->start = j.at("start").get<double>();
    model->t_scale = j.at("t_scale").get<double>();
    model->changepoints = j.at("changepoints").get<std::vector<double>>();
    model->changepoints_t = j.at("changepoints_t").get<std::vector<double>>();
    if (j.at("specified_changepoints").get<bool>()) o.changepoints = model->changepoints;

    const json& seasonalities = j.at("seasonalities");
    const auto added = j.value("added_seasonalities", std::vector<std::string>{});
    for (const auto& name : seasonalities.at(0)) {
      const json& s = seasonalities.at(1).at(name.get<std::string>());
      detail::SeasonalityTerm term{name, s.at("period"), s.at("fourier_order"), s.at("prior_scale"),
                                   s.at("mode")};
      model->seasonalities.push_back(term);
      if (std::find(added.begin(), added.end(), term.name) != added.end()) {
        o.seasonalities.push_back(
            {term.name, term.period, term.fourier_order, term.prior_scale, term.mode});
      }
    }
    const json& regressors = j.at("extra_regressors");
    for (const auto& name : regressors.at(0)) {
      const json& r = regressors.at(1).at(name.get<std::string>());
      detail::RegressorTerm term{name,       r.at("prior_scale"), r.at("standardize"),
                                 r.at("mu"), r.at("std"),         r.at("mode")};
      model->regressors.push_back(term);
      o.extra_regressors.push_back({term.name, term.prior_scale, term.standardize, term.mode});
    }
    if (!j.at("holidays").is_null()) {
      const json& h = j.at("holidays");
      for (size_t i = 0; i < h.at("holiday").size(); ++i) {
        HolidayRow row{h.at("holiday")[i], h.at("ds")[i], h.at("lower_window")[i],
                       h.at("upper_window")[i], std::nullopt};
        if (!h.at("prior_scale")[i].is_null()) row.prior_scale = h.at("prior_scale")[i];
        o.holidays.push_back(row);
      }
      model->train_holiday_names = j.at("train_holiday_names").get<std::vector<std::string>>();
    }
    Result<detail::ColumnLayout> layout = detail::make_column_layout(*model);
    if (!layout.is_ok()) return layout.status();
    model->layout = std::move(*layout);
    if (model->layout.names != j.at("x_columns").get<std::vector<std::string>>()) {
      return invalid("x_columns do not match the seasonalities, holidays and regressors");
    }

    const json& history = j.at("history");
    ProphetFrame& h = model->history;
    h.ds = history.at("ds").get<std::vector<double>>();
    h.y = history.at("y").get<std::vector<double>>();
    if (history.contains("cap")) h.cap = history.at("cap").get<std::vector<double>>();
    if (model->logistic_floor) h.floor = history.at("floor").get<std::vector<double>>();
    for (const auto& r : model->regressors) {
      std::vector<double> values = history.at(r.name).get<std::vector<double>>();
      for (double& v : values) v = v * r.std + r.mu;
      h.regressors[r.name] = values;
    }

    const json& params = j.at("params");
    ProphetParams& p = model->params;
    p.k = params.at("k").at(0).at(0).get<double>();
    p.m = params.at("m").at(0).at(0).get<double>();
    p.delta = params.at("delta").at(0).get<std::vector<double>>();
    p.sigma_obs = params.at("sigma_obs").at(0).at(0).get<double>();
    p.beta = params.at("beta").at(0).get<std::vector<double>>();
    if (p.delta.size() != model->changepoints_t.size() ||
        p.beta.size() != model->layout.names.size()) {
      return invalid("params do not match the changepoints and columns");
    }
    if (j.contains("fit")) {
      model->fit_algorithm = j.at("fit").value("algorithm", "");
      model->converged = j.at("fit").value("converged", true);
      model->objective = j.at("fit").value("log_posterior", 0.0);
    }
    return ProphetModel(std::move(model));
  } catch (const std::exception& e) {
    return invalid(e.what());
  }
}

}  // namespace traind::engines::timeseries
