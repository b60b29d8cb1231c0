// API.md's error answers: a traind::Status rendered as
//   {"error": {"code", "message", "details": [{"path", "message"}], "request_id"}}
// with the HTTP status its code maps to. The one place where codes become HTTP statuses.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/http_message.h"
#include "core/status.h"

namespace traind::api {

// Seconds a client should wait before retrying after QUOTA_EXCEEDED (Retry-After).
constexpr int kRetryAfterSeconds = 5;

// INVALID_JSON/INVALID_CONFIG 400, UNAUTHENTICATED 401, FORBIDDEN 403, NOT_FOUND 404,
// CONFLICT 409, PAYLOAD_TOO_LARGE 413, QUOTA_EXCEEDED 429, everything else 500 (job-level
// codes reaching the HTTP layer are bugs of the caller's path).
int http_status_for(ErrorCode code);

// The error body. Job-level codes are rendered as INTERNAL: they are not request errors.
nlohmann::json error_body(const Status& status, const std::string& request_id);

// A complete error response: status, JSON body, Retry-After for 429 and
// WWW-Authenticate for 401.
Response error_response(const Status& status, const std::string& request_id);

// 405 with an Allow header and code METHOD_NOT_ALLOWED (not a traind::ErrorCode: it
// only exists at the HTTP layer).
Response method_not_allowed(const std::vector<std::string>& allowed, const std::string& method,
                            const std::string& request_id);

// The same Status in the shape of MLflow's REST API, for the routes under /api/2.0/mlflow:
// {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."} with MLflow's status codes
// (NOT_FOUND -> RESOURCE_DOES_NOT_EXIST 404, INVALID_CONFIG -> INVALID_PARAMETER_VALUE 400,
// INVALID_JSON -> BAD_REQUEST 400, CONFLICT -> RESOURCE_ALREADY_EXISTS 400,
// UNAUTHENTICATED 401, FORBIDDEN -> PERMISSION_DENIED 403, PAYLOAD_TOO_LARGE ->
// RESOURCE_LIMIT_EXCEEDED 413, QUOTA_EXCEEDED -> REQUEST_LIMIT_EXCEEDED 429, else
// INTERNAL_ERROR 500).
Response mlflow_error_response(const Status& status);
// MLflow's answer to a path it does not serve: 404 ENDPOINT_NOT_FOUND.
Response mlflow_endpoint_not_found(const std::string& method, const std::string& path);

// A 200 (or `status`) answer with a JSON body.
Response json_response(const nlohmann::json& body, int status = 200);

}  // namespace traind::api
