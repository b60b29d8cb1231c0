// A configuration's hyperparameters checked against the algorithm's declarations.
//
// The schema says the same in general terms; this check gives each problem its own path
// and sentence (unknown name with a suggestion, wrong type, out of range, not a choice,
// an alias given together with its canonical name) and resolves the values.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "algorithms/hyperparameter.h"
#include "core/status.h"

namespace traind::train {

struct CheckedHyperparameters {
  // Canonical name -> value for every declared parameter: the given value (integers
  // written as 3.0 become 3) or the declared default. A parameter declared without a
  // default (null) and not given is present as null, so the resolved configuration
  // lists every parameter and null reads as "not set".
  nlohmann::json values = nlohmann::json::object();
  // Alias used -> canonical name, e.g. {"eta": "learning_rate"}; empty when none.
  nlohmann::json aliases_used = nlohmann::json::object();
  std::vector<ErrorDetail> problems;  // paths /hyperparameters/<name>
};

// `given`: the configuration's "hyperparameters" object, or null when omitted.
CheckedHyperparameters check_hyperparameters(const algorithms::AlgorithmSpec& spec,
                                             const nlohmann::json& given);

}  // namespace traind::train
