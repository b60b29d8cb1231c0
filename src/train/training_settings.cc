// Reading the resolved configuration into TrainingSettings.
#include "train/training_settings.h"

#include "algorithms/registry.h"

namespace traind::train {
namespace {

using json = nlohmann::json;

std::optional<uint64_t> unsigned_at(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return std::nullopt;
  const json& v = object[key];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0)
    return static_cast<uint64_t>(v.get<int64_t>());
  return std::nullopt;
}

std::string string_at(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string()
             ? object[key].get<std::string>()
             : std::string();
}

}  // namespace

Result<TrainingSettings> read_training_settings(const json& config) {
  TrainingSettings s;
  const std::string algorithm = string_at(config, "algorithm");
  s.spec = algorithms::find_algorithm(algorithm);
  if (s.spec == nullptr || !s.spec->make_trainer) {
    return Status(ErrorCode::kTrainingError, "unknown algorithm '" + algorithm + "'");
  }
  s.task_name = string_at(config, "task_type");
  if (!s.spec->supports(s.task_name) ||
      (s.task_name != "classification" && s.task_name != "regression")) {
    return Status(
        ErrorCode::kTrainingError,
        "algorithm '" + s.spec->name + "' cannot train task '" + s.task_name + "' in this version");
  }
  s.task = s.task_name == "classification" ? algorithms::Task::kClassification
                                           : algorithms::Task::kRegression;
  s.query = config.contains("dataset") ? string_at(config["dataset"], "query") : std::string();
  if (s.query.empty())
    return Status(ErrorCode::kDataError, "the configuration has no dataset.query");
  s.target_column = string_at(config, "target_column");
  if (config.contains("feature_columns") && config["feature_columns"].is_array()) {
    s.feature_columns.emplace();
    for (const json& f : config["feature_columns"]) {
      if (f.is_string()) s.feature_columns->push_back(f.get<std::string>());
    }
  }
  const json split = config.contains("split") ? config["split"] : json::object();
  s.split_strategy = string_at(split, "strategy");
  if (s.split_strategy.empty()) {
    s.split_strategy = s.task == algorithms::Task::kClassification ? "stratified" : "random";
  }
  if (split.is_object() && split.contains("test_size") && split["test_size"].is_number()) {
    s.test_size = split["test_size"].get<double>();
  }
  s.split_seed = unsigned_at(split, "random_state").value_or(0);
  if (config.contains("hyperparameters") && config["hyperparameters"].is_object()) {
    s.hyperparameters = config["hyperparameters"];
  }
  s.training_seed = unsigned_at(s.hyperparameters, "random_state").value_or(s.split_seed);
  return s;
}

}  // namespace traind::train
