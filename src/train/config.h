// Training configuration: the JSON Schema, shape validation and the resolved form.
//
// Layer 1 of API.md's validation. The schema is generated from the algorithm registry's
// hyperparameter declarations, validated with valijson, and every problem is reported at
// once as an ErrorDetail with a JSON Pointer into the submitted body. A valid body is then
// resolved: algorithm aliases -> canonical name, hyperparameter aliases -> canonical names,
// every default filled in. Pure functions; safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind::train {

// The JSON Schema (draft 7) of a training configuration, served at /api/v1/ml/schema.
const nlohmann::json& config_json_schema();

// Every algorithm with its tasks, library, model format and hyperparameters (name, type,
// default, range, choices, help, aliases): the /api/v1/ml/algorithms answer.
nlohmann::json algorithms_description();

// Validates the shape of a submitted configuration and resolves it. `caller_tenant` fills
// dataset.tenant_id when omitted (the API layer has already refused another tenant).
// On success the result is the resolved configuration, which also carries
// "hyperparameter_aliases": {"eta": "learning_rate", ...} for the aliases that were used.
// On failure: kInvalidConfig with one detail per problem.
Result<nlohmann::json> resolve_config(const nlohmann::json& body, const std::string& caller_tenant);

}  // namespace traind::train
