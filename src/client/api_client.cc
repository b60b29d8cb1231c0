#include "client/api_client.h"

#include <strings.h>

namespace traind::client {
namespace {

ErrorCode code_for_http_status(int status) {
  switch (status) {
    case 400:
      return ErrorCode::kInvalidConfig;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kForbidden;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
      return ErrorCode::kConflict;
    case 413:
      return ErrorCode::kPayloadTooLarge;
    case 429:
      return ErrorCode::kQuotaExceeded;
    default:
      return status >= 500 ? ErrorCode::kInternal : ErrorCode::kInvalidConfig;
  }
}

}  // namespace

const std::string* ApiResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return &value;
    }
  }
  return nullptr;
}

nlohmann::json ApiResponse::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

Status status_from_error_answer(const ApiResponse& response) {
  ErrorCode code = code_for_http_status(response.status);
  std::string name = error_code_name(code);
  std::string message = "the server answered HTTP " + std::to_string(response.status);
  std::vector<ErrorDetail> details;
  nlohmann::json body = response.json();
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const nlohmann::json& error = body["error"];
    if (error.contains("code") && error["code"].is_string()) {
      name = error["code"].get<std::string>();
      // A code the client does not know keeps the class its HTTP status says.
      if (auto known = error_code_from_name(name)) code = *known;
    }
    if (error.contains("message") && error["message"].is_string()) {
      message = error["message"].get<std::string>();
    }
    if (error.contains("details") && error["details"].is_array()) {
      for (const auto& d : error["details"]) {
        if (!d.is_object()) continue;
        details.push_back({d.value("path", ""), d.value("message", "")});
      }
    }
  } else if (!response.body.empty() && response.body.size() < 500 && body.is_discarded()) {
    message += ": " + response.body;
  }
  // A 5xx is the server's fault whatever code it names: the caller may retry.
  if (response.status >= 500) code = ErrorCode::kInternal;
  return Status(code, name + ": " + message, std::move(details));
}

tracking::HttpHeaders ApiClient::auth_headers() const {
  tracking::HttpHeaders headers;
  if (!config_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  return headers;
}

Status ApiClient::unreachable(const Status& transport) const {
  if (transport.code() == ErrorCode::kInvalidConfig) return transport;
  std::string why = transport.message();
  // tracking's messages start with "<METHOD> <url>: "; the URL is named once, below.
  size_t colon = why.find(": ");
  if (why.starts_with("GET ") || why.starts_with("POST ") || why.starts_with("DELETE ")) {
    if (colon != std::string::npos) why = why.substr(colon + 2);
  }
  // "connecting to http://host:port failed": the URL leads the message already.
  Result<tracking::Url> url = tracking::parse_url(config_.url);
  if (url) {
    std::string repeated = " to " + url->origin();
    for (size_t at = why.find(repeated); at != std::string::npos; at = why.find(repeated)) {
      why.erase(at, repeated.size());
    }
  }
  ErrorCode code =
      transport.code() == ErrorCode::kTimeout ? ErrorCode::kTimeout : ErrorCode::kInternal;
  return Status(code, "cannot reach traind at " + config_.url + ": " + why);
}

Result<ApiResponse> ApiClient::send(const std::string& method, std::string_view path,
                                    const std::string& body,
                                    const tracking::HttpHeaders& extra_headers) const {
  tracking::HttpRequest request;
  request.method = method;
  request.url = url_for(path);
  request.headers = auth_headers();
  request.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  for (const auto& h : extra_headers) request.headers.push_back(h);
  request.timeout_ms = config_.timeout_ms;
  request.max_response_bytes = size_t{256} << 20;
  Result<tracking::HttpResponse> answer = tracking::http_request(request);
  if (!answer) return unreachable(answer.status());
  ApiResponse response;
  response.status = answer->status;
  response.headers = std::move(answer->headers);
  response.body = std::move(answer->body);
  return response;
}

Status ApiClient::stream_get(std::string_view path, const tracking::HttpHeaders& extra_headers,
                             int idle_timeout_ms, const OnStreamHead& on_head,
                             const OnStreamData& on_data, bool* broken_mid_body) const {
  StreamRequest request;
  request.url = url_for(path);
  request.headers = auth_headers();
  for (const auto& h : extra_headers) request.headers.push_back(h);
  request.connect_timeout_ms = config_.timeout_ms;
  request.idle_timeout_ms = idle_timeout_ms;
  Status status = http_stream_get(request, on_head, on_data, broken_mid_body);
  if (!status) return unreachable(status);
  return status;
}

}  // namespace traind::client
