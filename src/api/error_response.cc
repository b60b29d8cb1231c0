// Status -> HTTP error response.
#include "api/error_response.h"

#include <fmt/format.h>

namespace traind::api {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";

bool is_request_level(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidConfig:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kForbidden:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kPayloadTooLarge:
    case ErrorCode::kQuotaExceeded:
    case ErrorCode::kInternal:
      return true;
    default:
      return false;
  }
}

}  // namespace

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidConfig:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kQuotaExceeded:
      return 429;
    default:
      return 500;
  }
}

nlohmann::json error_body(const Status& status, const std::string& request_id) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : status.details()) {
    details.push_back({{"path", d.path}, {"message", d.message}});
  }
  ErrorCode code = status.is_ok() ? ErrorCode::kInternal : status.code();
  std::string message =
      status.is_ok() ? "internal error: an OK status was reported as an error" : status.message();
  if (!is_request_level(code)) {
    message = fmt::format("internal error ({}): {}", error_code_name(code), message);
    code = ErrorCode::kInternal;
  }
  nlohmann::json error = {
      {"code", error_code_name(code)}, {"message", message}, {"details", std::move(details)}};
  if (!request_id.empty()) error["request_id"] = request_id;
  return {{"error", std::move(error)}};
}

Response error_response(const Status& status, const std::string& request_id) {
  nlohmann::json body = error_body(status, request_id);
  Response r =
      json_response(body, http_status_for(status.is_ok() ? ErrorCode::kInternal : status.code()));
  if (r.status == 429) r.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
  if (r.status == 401) r.set_header("WWW-Authenticate", "Bearer realm=\"traind\"");
  return r;
}

Response method_not_allowed(const std::vector<std::string>& allowed, const std::string& method,
                            const std::string& request_id) {
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  nlohmann::json error = {
      {"code", "METHOD_NOT_ALLOWED"},
      {"message", fmt::format("method {} is not allowed on this path; use {}", method, allow)},
      {"details", nlohmann::json::array()}};
  if (!request_id.empty()) error["request_id"] = request_id;
  Response r = json_response({{"error", std::move(error)}}, 405);
  r.set_header("Allow", allow);
  return r;
}

Response json_response(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", kJsonType);
  // Invalid UTF-8 in a stored string must not turn an answer into an exception.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

namespace {

std::pair<int, const char*> mlflow_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return {404, "RESOURCE_DOES_NOT_EXIST"};
    case ErrorCode::kInvalidConfig:
      return {400, "INVALID_PARAMETER_VALUE"};
    case ErrorCode::kInvalidJson:
      return {400, "BAD_REQUEST"};
    case ErrorCode::kConflict:
      return {400, "RESOURCE_ALREADY_EXISTS"};
    case ErrorCode::kUnauthenticated:
      return {401, "UNAUTHENTICATED"};
    case ErrorCode::kForbidden:
      return {403, "PERMISSION_DENIED"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "RESOURCE_LIMIT_EXCEEDED"};
    case ErrorCode::kQuotaExceeded:
      return {429, "REQUEST_LIMIT_EXCEEDED"};
    default:
      return {500, "INTERNAL_ERROR"};
  }
}

}  // namespace

Response mlflow_error_response(const Status& status) {
  const ErrorCode code = status.is_ok() ? ErrorCode::kInternal : status.code();
  auto [http_status, name] = mlflow_code(code);
  std::string message = status.message();
  if (http_status == 500 && !is_request_level(code)) message = "internal error";
  Response r = json_response({{"error_code", name}, {"message", message}}, http_status);
  if (http_status == 401) r.set_header("WWW-Authenticate", "Bearer realm=\"traind\"");
  return r;
}

Response mlflow_endpoint_not_found(const std::string& method, const std::string& path) {
  return json_response({{"error_code", "ENDPOINT_NOT_FOUND"},
                        {"message", fmt::format("No API endpoint found for {} {}", method, path)}},
                       404);
}

}  // namespace traind::api
