// ForecastPredictor: every series' engine model loaded once; forecasts on request.
#include "train/forecast_predictor.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "algorithms/forecaster.h"
#include "algorithms/registry.h"
#include "train/config_schema.h"
#include "train/forecast_frequency.h"
#include "train/forecast_pipeline.h"
#include "train/forecast_timestamp.h"
#include "train/model_bundle.h"

namespace traind::train {
namespace {

using nlohmann::json;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(); }

Status bad_request(const std::string& path, const std::string& message) {
  return Status(ErrorCode::kInvalidConfig, message, {{path, message}});
}

struct LoadedSeries {
  std::string name;
  int64_t last_timestamp = 0;
  std::unique_ptr<algorithms::FittedForecaster> model;
};

class ForecastPredictor final : public Predictor {
 public:
  ForecastPredictor(Frequency frequency, bool dates_only, std::vector<std::string> features,
                    std::vector<LoadedSeries> series, json feature_schema)
      : frequency_(frequency),
        dates_only_(dates_only),
        features_(std::move(features)),
        series_(std::move(series)),
        feature_schema_(std::move(feature_schema)) {}

  Result<json> predict(const json& body) const override {
    if (!body.is_object()) return bad_request("", "the body must be a JSON object");
    for (const auto& [key, value] : body.items()) {
      if (key != "horizon" && key != "series" && key != "rows") {
        return bad_request("/" + key, "unknown field; a forecast takes horizon, series and rows");
      }
    }
    const json horizon = body.value("horizon", json());
    if (!horizon.is_number_integer() || horizon.get<int64_t>() < 1 ||
        horizon.get<int64_t>() > kMaxForecastHorizon) {
      return bad_request("/horizon", fmt::format("must be a whole number from 1 to {}; got {}",
                                                 kMaxForecastHorizon, horizon.dump()));
    }
    const int64_t steps = horizon.get<int64_t>();
    auto chosen = chosen_series(body.value("series", json()));
    if (!chosen) return chosen.status();
    const json rows = body.value("rows", json::array());
    if (!features_.empty()) {
      const size_t needed = static_cast<size_t>(steps) * chosen->size();
      if (!rows.is_array() || rows.size() != needed) {
        return bad_request("/rows", fmt::format("the model uses {}; give their future values in "
                                                "{} rows ({} per series forecast)",
                                                fmt::join(features_, ", "), needed, steps));
      }
    }
    json predictions = json::array();
    for (size_t k = 0; k < chosen->size(); ++k) {
      const LoadedSeries& s = *(*chosen)[k];
      std::vector<double> timestamps;
      for (int64_t i = 1; i <= steps; ++i) {
        timestamps.push_back(static_cast<double>(step_timestamp(s.last_timestamp, frequency_, i)));
      }
      std::vector<std::vector<double>> values(features_.size());
      for (size_t f = 0; f < features_.size(); ++f) {
        for (int64_t i = 0; i < steps; ++i) {
          const size_t r = k * static_cast<size_t>(steps) + static_cast<size_t>(i);
          const std::string path = fmt::format("/rows/{}/{}", r, features_[f]);
          if (!rows[r].is_object() || !rows[r].contains(features_[f])) {
            return bad_request(path, "is required: the model uses this feature");
          }
          const json& v = rows[r][features_[f]];
          if (!v.is_number()) return bad_request(path, "must be a number; got " + v.dump());
          values[f].push_back(v.get<double>());
        }
      }
      auto path = s.model->forecast(timestamps, values);
      if (!path) return path.status();
      for (size_t i = 0; i < timestamps.size(); ++i) {
        json item = {{"ds", format_timestamp(static_cast<int64_t>(timestamps[i]), dates_only_)},
                     {"yhat", number_or_null(path->yhat[i])},
                     {"yhat_lower", number_or_null(path->lower[i])},
                     {"yhat_upper", number_or_null(path->upper[i])}};
        if (series_.size() > 1 || !s.name.empty()) item["series"] = s.name;
        predictions.push_back(std::move(item));
      }
    }
    return json{{"predictions", std::move(predictions)}};
  }

  const json& feature_schema() const override { return feature_schema_; }

 private:
  Result<std::vector<const LoadedSeries*>> chosen_series(const json& wanted) const {
    std::vector<const LoadedSeries*> out;
    if (wanted.is_null()) {
      for (const LoadedSeries& s : series_) out.push_back(&s);
      return out;
    }
    std::vector<std::string> names;
    if (wanted.is_string()) {
      names.push_back(wanted.get<std::string>());
    } else if (wanted.is_array()) {
      for (const json& n : wanted) {
        if (!n.is_string()) return bad_request("/series", "must be a name or a list of names");
        names.push_back(n.get<std::string>());
      }
    } else {
      return bad_request("/series", "must be a name or a list of names");
    }
    for (const std::string& name : names) {
      const LoadedSeries* found = nullptr;
      for (const LoadedSeries& s : series_) {
        if (s.name == name) found = &s;
      }
      if (found == nullptr) {
        std::vector<std::string> known;
        for (const LoadedSeries& s : series_) known.push_back("'" + s.name + "'");
        return bad_request("/series", fmt::format("the model has no series '{}'; it has {}", name,
                                                  fmt::join(known, ", ")));
      }
      out.push_back(found);
    }
    return out;
  }

  Frequency frequency_;
  bool dates_only_;
  std::vector<std::string> features_;
  std::vector<LoadedSeries> series_;
  json feature_schema_;
};

}  // namespace

Result<std::unique_ptr<Predictor>> load_forecast_predictor(const std::string& model_dir) {
  auto bundle_or = read_json_file(model_dir + "/" + kForecastArtifactFile);
  if (!bundle_or) return bundle_or.status();
  auto meta_or = read_json_file(model_dir + "/" + kModelMetaFile);
  if (!meta_or) return meta_or.status();
  try {
    const json& bundle = *bundle_or;
    if (bundle.at("format") != kForecastBundleFormat) {
      return Status(ErrorCode::kInternal, "unknown forecast bundle format");
    }
    const algorithms::AlgorithmSpec* spec =
        algorithms::find_algorithm(bundle.at("algorithm").get<std::string>());
    if (spec == nullptr || !spec->load_forecaster) {
      return Status(ErrorCode::kInternal, "the model's algorithm is not available");
    }
    auto frequency = parse_frequency(bundle.at("frequency").get<std::string>());
    if (!frequency) return frequency.status();
    algorithms::ForecastOptions options;
    options.hyperparameters = bundle.at("hyperparameters");
    options.interval_width = bundle.at("interval_width").get<double>();
    options.seasonal_period = bundle.at("seasonal_period").get<int>();
    options.seed = bundle.at("seed").get<uint64_t>();
    std::vector<LoadedSeries> series;
    for (const json& s : bundle.at("series")) {
      auto model = spec->load_forecaster(s.at("model").dump(), options);
      if (!model) return model.status();
      series.push_back(LoadedSeries{s.at("name").get<std::string>(),
                                    s.at("last_timestamp").get<int64_t>(),
                                    std::move(model).value()});
    }
    std::unique_ptr<Predictor> p = std::make_unique<ForecastPredictor>(
        *frequency, bundle.at("dates_only").get<bool>(),
        bundle.at("feature_names").get<std::vector<std::string>>(), std::move(series),
        meta_or->at("feature_schema"));
    return p;
  } catch (const json::exception& e) {
    return Status(ErrorCode::kInternal,
                  std::string("the forecast bundle is malformed: ") + e.what());
  }
}

}  // namespace traind::train
