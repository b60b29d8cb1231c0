// TrainingSettings: the fields of a resolved configuration the pipeline acts on.
//
// The configuration was validated and resolved before the job was accepted; this reads
// it once, with the documented defaults for anything absent, so the pipeline's stages
// need not parse JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "algorithms/hyperparameter.h"
#include "algorithms/trainer.h"
#include "core/status.h"

namespace traind::train {

struct TrainingSettings {
  const algorithms::AlgorithmSpec* spec = nullptr;
  std::string task_name;  // "classification" or "regression"
  algorithms::Task task = algorithms::Task::kClassification;
  std::string query;
  std::string target_column;
  std::optional<std::vector<std::string>> feature_columns;  // absent: choose them from the data
  std::string split_strategy;  // "stratified" (classification default) or "random"
  double test_size = 0.2;
  uint64_t split_seed = 0;     // split.random_state
  uint64_t training_seed = 0;  // hyperparameters.random_state, else split.random_state
  nlohmann::json hyperparameters = nlohmann::json::object();
};

// kTrainingError for an algorithm or task this build cannot train, kDataError for a
// configuration without a query.
Result<TrainingSettings> read_training_settings(const nlohmann::json& config);

}  // namespace traind::train
