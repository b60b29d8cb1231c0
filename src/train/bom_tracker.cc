#include "train/bom_tracker.h"

#include "core/clock.h"
#include "tracking/logged_values.h"

namespace traind::train {
namespace {

std::string string_at(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

BomTracker::BomTracker(const nlohmann::json& config, const PipelineEnv& env) : env_(env) {
  builder_.start_training("", tracking::iso8601_utc(now_ms()));
  const nlohmann::json dataset = config.contains("dataset") ? config["dataset"] : nlohmann::json();
  const std::string origin = tracking::dataset_origin(
      string_at(dataset, "tenant_id"), string_at(dataset, "source"), string_at(dataset, "query"));
  builder_.register_dataset(origin, 0);
  log_param("dataset_path", origin);
  send();
}

void BomTracker::log_param(const std::string& key, const std::string& value) {
  builder_.log_parameter(key, value);
}

void BomTracker::settings(const std::string& library, const nlohmann::json& hyperparameters,
                          const nlohmann::json& split) {
  if (hyperparameters.is_object()) {
    for (const auto& [key, value] : hyperparameters.items()) {
      log_param(key, tracking::python_str(value));
    }
  }
  if (split.is_object()) {
    for (const auto& [key, value] : split.items()) {
      log_param("split." + key, tracking::python_str(value));
    }
  }
  log_param("library", library);
  log_param("traind_version", TRAIND_VERSION);
  send();
}

void BomTracker::data_loaded(const data::Table& table) {
  const auto rows = static_cast<int64_t>(table.num_rows());
  const nlohmann::json current = to_json();
  builder_.register_dataset(current["dataset_info"]["origin"].get<std::string>(), rows);
  log_param("dataset_size", std::to_string(rows));
  log_param("data_hash", data::table_sha256(table));
  send();
}

void BomTracker::features(const std::vector<std::string>& original,
                          const std::vector<std::string>& selected) {
  builder_.register_features(original, selected);
  log_param("original_features", joined(original));
  log_param("selected_features", joined(selected));
  send();
}

void BomTracker::model(const std::string& type, const std::string& architecture) {
  builder_.register_model(type, architecture);
  log_param("model_type", type);
  log_param("model_architecture", architecture);
  send();
}

void BomTracker::metrics(const nlohmann::json& metrics) {
  for (const auto& [key, value] : tracking::flatten_metrics(metrics)) {
    builder_.log_metric(key, value);
  }
  send();
}

nlohmann::json BomTracker::to_json() const {
  return nlohmann::json::parse(builder_.partial(tracking::iso8601_utc(now_ms())).dump());
}

void BomTracker::send() const {
  if (env_.emit) env_.emit({{"type", "bom"}, {"bom", to_json()}});
}

}  // namespace traind::train
