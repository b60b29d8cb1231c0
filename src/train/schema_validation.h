// Layer 1 of API.md's validation, the shape: a configuration checked against
// config_json_schema() with valijson, each error turned into a JSON Pointer and a sentence
// that shows the offending value. Thread-safe (the parsed schema is shared read-only).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::train {

// Every shape problem of `body`. Errors that valijson reports at a pointer for which
// `checked_elsewhere` answers true are dropped: the caller words those more precisely
// (algorithm, task type, hyperparameters). kInternal only when the schema itself does
// not parse, which is a bug.
Result<std::vector<ErrorDetail>> schema_problems(
    const nlohmann::json& body, const std::function<bool(const std::string&)>& checked_elsewhere);

}  // namespace traind::train
