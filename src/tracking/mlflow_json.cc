#include "tracking/mlflow_json.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace traind::tracking {
namespace {

template <typename T>
nlohmann::json key_values(const std::vector<T>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const T& x : items) out.push_back({{"key", x.key}, {"value", x.value}});
  return out;
}

nlohmann::json double_json(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

}  // namespace

nlohmann::json to_mlflow_json(const Experiment& e) {
  nlohmann::json j = {
      {"experiment_id", e.experiment_id},         {"name", e.name},
      {"artifact_location", e.artifact_location}, {"lifecycle_stage", e.lifecycle_stage},
      {"last_update_time", e.last_update_time},   {"creation_time", e.creation_time}};
  if (!e.tags.empty()) j["tags"] = key_values(e.tags);
  return j;
}

nlohmann::json to_mlflow_json(const RunInfo& r) {
  nlohmann::json j = {{"run_id", r.run_id},        {"run_uuid", r.run_id},
                      {"run_name", r.run_name},    {"experiment_id", r.experiment_id},
                      {"user_id", r.user_id},      {"status", r.status},
                      {"start_time", r.start_time}};
  if (r.end_time) j["end_time"] = *r.end_time;
  j["artifact_uri"] = r.artifact_uri;
  j["lifecycle_stage"] = r.lifecycle_stage;
  return j;
}

nlohmann::json to_mlflow_json(const Metric& m) {
  return {{"key", m.key},
          {"value", double_json(m.value)},
          {"timestamp", m.timestamp},
          {"step", m.step}};
}

nlohmann::json to_mlflow_json(const Run& run) {
  nlohmann::json data = nlohmann::json::object();
  if (!run.metrics.empty()) {
    nlohmann::json metrics = nlohmann::json::array();
    for (const Metric& m : run.metrics) metrics.push_back(to_mlflow_json(m));
    data["metrics"] = std::move(metrics);
  }
  if (!run.params.empty()) data["params"] = key_values(run.params);
  if (!run.tags.empty()) data["tags"] = key_values(run.tags);
  return {{"info", to_mlflow_json(run.info)},
          {"data", std::move(data)},
          {"inputs", nlohmann::json::object()}};
}

Result<double> mlflow_double(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(v)) return v;
  }
  return Status(ErrorCode::kInvalidConfig, "expected a number, got " + value.dump());
}

}  // namespace traind::tracking
