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

// A 200 (or `status`) answer with a JSON body.
Response json_response(const nlohmann::json& body, int status = 200);

}  // namespace traind::api
