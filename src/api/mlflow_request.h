// Reading MLflow REST requests the way MLflow's server does: a GET carries its message in
// the query string (a name given twice is a list), any other method as a JSON body;
// unknown fields are ignored; a missing required field or a value of the wrong type is
// INVALID_PARAMETER_VALUE with MLflow's wording. Private to the api library.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/handler_context.h"
#include "core/status.h"

namespace traind::api {

// The tenant whose experiments and runs the caller sees. The MLflow API is one tenant's
// view: an admin key is PERMISSION_DENIED.
Result<std::string> mlflow_tenant(const HandlerContext& ctx);

Result<nlohmann::json> mlflow_message(const HandlerContext& ctx);

Result<std::string> required_string(const nlohmann::json& message, const char* key);
// Absent (or null) -> nullopt; present but not a string -> INVALID_PARAMETER_VALUE.
Result<std::optional<std::string>> optional_string(const nlohmann::json& message, const char* key);
// An int64 as proto3 JSON gives it (a number or a decimal string); absent -> fallback.
Result<int64_t> int64_field(const nlohmann::json& message, const char* key, int64_t fallback);
Result<std::optional<int64_t>> optional_int64(const nlohmann::json& message, const char* key);
// A repeated string field (a single string counts as a list of one).
Result<std::vector<std::string>> string_list(const nlohmann::json& message, const char* key);

// A 200 answer with MLflow's JSON body ({} when the response message is empty).
Response mlflow_ok(const nlohmann::json& body = nlohmann::json::object());

}  // namespace traind::api
