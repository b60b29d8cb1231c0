// The SARIMAX artifact, "format": "traind.sarimax/1" (spec A.8). Doubles are written with
// full precision by nlohmann::json (round-trip exact); non-finite values are null.
#include <cmath>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "engines/timeseries/sarimax.h"
#include "engines/timeseries/sarimax/sarimax_model_data.h"

namespace traind::engines::timeseries {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "traind.sarimax/1";

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(number(v));
  return out;
}

double read_number(const Json& j) { return j.is_null() ? std::nan("") : j.get<double>(); }

std::vector<double> read_numbers(const Json& j) {
  std::vector<double> out;
  for (const auto& v : j) out.push_back(read_number(v));
  return out;
}

Status artifact_error(const std::string& message) {
  return Status(ErrorCode::kInvalidConfig, "not a valid traind.sarimax/1 artifact: " + message);
}

}  // namespace

std::string SarimaxModel::to_json() const {
  const detail::SarimaxModelData& m = *data_;
  const SarimaxSpec& spec = m.structure.spec;
  Json j;
  j["format"] = kFormat;
  j["spec"] = {{"order", {spec.p, spec.d, spec.q}},
               {"seasonal_order", {spec.seasonal_p, spec.seasonal_d, spec.seasonal_q, spec.period}},
               {"trend", spec.trend},
               {"enforce_stationarity", spec.enforce_stationarity},
               {"enforce_invertibility", spec.enforce_invertibility},
               {"concentrate_scale", spec.concentrate_scale}};
  j["exog_names"] = m.structure.exog_names;
  Json params = Json::object();
  Json bse = Json::object();
  for (size_t i = 0; i < m.params.size(); ++i) {
    params[m.structure.param_names[i]] = number(m.params[i]);
    bse[m.structure.param_names[i]] = number(m.bse[i]);
  }
  j["params"] = std::move(params);
  j["bse"] = std::move(bse);
  j["cov_params"] = numbers(m.cov_params);
  j["scale"] = number(m.scale);
  j["llf"] = number(m.llf);
  j["aic"] = number(m.aic);
  j["aicc"] = number(m.aicc);
  j["bic"] = number(m.bic);
  j["hqic"] = number(m.hqic);
  j["nobs"] = m.nobs;
  j["nobs_effective"] = m.nobs_effective;
  j["df_model"] = m.df_model;
  j["converged"] = m.converged;
  j["evaluations"] = m.evaluations;
  j["k_states"] = m.structure.k_states;
  j["final_state"] = numbers(m.final_state);
  j["final_state_cov"] = numbers(m.final_cov);
  j["next_trend_time"] = m.nobs + 1;
  j["frequency"] = m.frequency;
  j["last_timestamp"] = m.last_timestamp;
  return j.dump();
}

Result<SarimaxModel> SarimaxModel::from_json(std::string_view text) {
  try {
    const Json j = Json::parse(text.begin(), text.end());
    if (!j.is_object() || j.value("format", "") != kFormat) {
      return artifact_error("\"format\" must be \"" + std::string(kFormat) + "\"");
    }
    const Json& js = j.at("spec");
    SarimaxSpec spec;
    const auto order = js.at("order").get<std::vector<int>>();
    const auto seasonal = js.at("seasonal_order").get<std::vector<int>>();
    if (order.size() != 3 || seasonal.size() != 4) {
      return artifact_error("order needs 3 values and seasonal_order 4");
    }
    spec.p = order[0];
    spec.d = order[1];
    spec.q = order[2];
    spec.seasonal_p = seasonal[0];
    spec.seasonal_d = seasonal[1];
    spec.seasonal_q = seasonal[2];
    spec.period = seasonal[3];
    spec.trend = js.at("trend").get<std::string>();
    spec.enforce_stationarity = js.at("enforce_stationarity").get<bool>();
    spec.enforce_invertibility = js.at("enforce_invertibility").get<bool>();
    spec.concentrate_scale = js.at("concentrate_scale").get<bool>();
    const auto exog_names = j.at("exog_names").get<std::vector<std::string>>();
    auto structure =
        detail::make_sarimax_structure(spec, static_cast<int>(exog_names.size()), exog_names);
    if (!structure) return artifact_error(structure.status().message());

    auto m = std::make_shared<detail::SarimaxModelData>();
    m->structure = std::move(*structure);
    const detail::SarimaxStructure& s = m->structure;
    const Json& params = j.at("params");
    const Json& bse = j.at("bse");
    for (const auto& name : s.param_names) {
      if (!params.contains(name)) return artifact_error("parameter '" + name + "' is missing");
      m->params.push_back(read_number(params.at(name)));
      m->bse.push_back(bse.contains(name) ? read_number(bse.at(name)) : std::nan(""));
    }
    m->cov_params = read_numbers(j.at("cov_params"));
    m->scale = read_number(j.at("scale"));
    m->llf = read_number(j.at("llf"));
    m->aic = read_number(j.at("aic"));
    m->aicc = read_number(j.at("aicc"));
    m->bic = read_number(j.at("bic"));
    m->hqic = read_number(j.at("hqic"));
    m->nobs = j.at("nobs").get<int>();
    m->nobs_effective = j.at("nobs_effective").get<int>();
    m->df_model = j.at("df_model").get<int>();
    m->converged = j.at("converged").get<bool>();
    m->evaluations = j.value("evaluations", 0);
    m->final_state = read_numbers(j.at("final_state"));
    m->final_cov = read_numbers(j.at("final_state_cov"));
    m->frequency = j.value("frequency", "");
    m->last_timestamp = j.value("last_timestamp", "");
    const size_t k = static_cast<size_t>(s.k_states);
    if (m->final_state.size() != k || m->final_cov.size() != k * k) {
      return artifact_error("final_state / final_state_cov do not match the model's " +
                            std::to_string(k) + " states");
    }
    if (m->cov_params.size() != s.param_names.size() * s.param_names.size()) {
      return artifact_error("cov_params does not match the parameter count");
    }
    if (j.at("next_trend_time").get<long long>() != m->nobs + 1) {
      return artifact_error("next_trend_time must be nobs + 1");
    }
    return SarimaxModel(std::move(m));
  } catch (const std::exception& e) {
    return artifact_error(e.what());
  }
}

}  // namespace traind::engines::timeseries
