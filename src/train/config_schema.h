// The pieces of the training configuration's JSON Schema that other files of the config
// validation need: the task types, the split defaults, and each algorithm's
// hyperparameter sub-schema. config_json_schema() (config.h) assembles the whole schema.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "algorithms/hyperparameter.h"

namespace traind::train {

// Every task type a configuration may name (API.md), supported by an algorithm or not.
const std::vector<std::string>& all_task_types();

// Split defaults of the resolved configuration.
constexpr double kDefaultTestSize = 0.2;
constexpr int kDefaultRandomState = 42;
// The longest forecast a configuration may ask for, in periods.
constexpr int kMaxForecastHorizon = 100000;
// "stratified" for classification, "random" otherwise.
std::string default_split_strategy(const std::string& task_type);

// The JSON type name of a parameter type, as the /algorithms answer shows it.
const char* param_type_name(algorithms::ParamType type);

// The schema of one hyperparameter (type, bounds, choices, default, description).
nlohmann::json hyperparameter_schema(const algorithms::HyperParameter& p);

// The schema of an algorithm's "hyperparameters" object: canonical names and aliases as
// properties, nothing else allowed, an alias excludes its canonical name.
nlohmann::json hyperparameters_schema(const algorithms::AlgorithmSpec& spec);

}  // namespace traind::train
