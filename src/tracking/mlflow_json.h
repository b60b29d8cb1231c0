// Tracking entities as MLflow's REST API writes them: the proto3 JSON of
// mlflow/protos/service.proto with proto field names, int64 as JSON numbers (as MLflow's
// message_to_json does), empty repeated fields and unset fields left out, and non-finite
// metric values as the strings "NaN", "Infinity" and "-Infinity".
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "tracking/run.h"

namespace traind::tracking {

nlohmann::json to_mlflow_json(const Experiment& experiment);
nlohmann::json to_mlflow_json(const RunInfo& info);
nlohmann::json to_mlflow_json(const Run& run);
nlohmann::json to_mlflow_json(const Metric& metric);

// A double as proto3 JSON accepts it: a number, or "NaN", "Infinity", "-Infinity" (also
// as numeric strings like "1.5"). kInvalidConfig otherwise.
Result<double> mlflow_double(const nlohmann::json& value);

}  // namespace traind::tracking
