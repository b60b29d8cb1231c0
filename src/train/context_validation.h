// Schema-context validation: layer 2 of API.md's validation.
//
// Checks a resolved configuration against the real columns of its data, read from the
// source without loading it: the query prepares, target and feature columns exist, the
// target fits the task, the algorithm supports the task, a stratified split has at least
// two rows per class in each part. Reports every problem at once (kInvalidConfig with
// JSON Pointer details). When feature_columns was omitted it fills them in (all columns
// but the target and identifier-like columns) and returns the completed configuration.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "data/sql_source.h"

namespace traind::train {

Result<nlohmann::json> validate_against_data(const nlohmann::json& resolved,
                                             data::SqlSource& source,
                                             const data::QueryLimits& limits);

}  // namespace traind::train
