// Hyperparameters as an adapter reads them: canonical names, defaults filled, checked.
//
// The train layer validates a submitted configuration against the JSON Schema generated
// from the same declarations; adapters resolve again here so that a Trainer called
// directly (tests, benchmarks) gets the same names, defaults and range checks.
#pragma once

#include <nlohmann/json.hpp>

#include "algorithms/hyperparameter.h"
#include "core/status.h"

namespace traind::algorithms {

// `given` (an object, or null for "all defaults") with aliases renamed to canonical names
// and every declared default filled in. kInvalidConfig names an unknown parameter, a
// value of the wrong type, out of range or not among the choices.
Result<nlohmann::json> resolve_hyperparameters(const AlgorithmSpec& spec,
                                               const nlohmann::json& given);

}  // namespace traind::algorithms
