// The traind HTTP API as trainctl uses it: requests against a base URL with the API key,
// answers as status + body, and API.md's error JSON turned into a Status whose code says
// what went wrong (so the exit code follows from it). Thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "client/client_config.h"
#include "client/http_stream.h"
#include "core/status.h"
#include "tracking/http_client.h"

namespace traind::client {

// One answer of the server, whatever its status.
struct ApiResponse {
  int status = 0;
  tracking::HttpHeaders headers;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  const std::string* header(std::string_view name) const;
  // The body as JSON; a discarded value (is_discarded()) when it is not JSON.
  nlohmann::json json() const;
};

// A non-2xx answer as a Status: the code is the API's error code (INVALID_CONFIG,
// NOT_FOUND, ...; by HTTP status when the body is not API.md's error JSON), the message
// "<CODE>: <message>" and the details with their JSON Pointer paths.
Status status_from_error_answer(const ApiResponse& response);

class ApiClient {
 public:
  explicit ApiClient(ClientConfig config) : config_(std::move(config)) {}

  const ClientConfig& config() const { return config_; }
  std::string url_for(std::string_view path) const { return config_.url + std::string(path); }

  // Sends one request (`body`, when not empty, as JSON). A transport failure is a Status with
  // code kInternal or kTimeout reading "cannot reach traind at <url>: <why>"; any answer the
  // server gave, error or not, is a response (see status_from_error_answer).
  Result<ApiResponse> send(const std::string& method, std::string_view path,
                           const std::string& body = "",
                           const tracking::HttpHeaders& extra_headers = {}) const;

  // A streaming GET with the client's URL and key (see http_stream.h). Transport failures
  // read as in send().
  Status stream_get(std::string_view path, const tracking::HttpHeaders& extra_headers,
                    int idle_timeout_ms, const OnStreamHead& on_head, const OnStreamData& on_data,
                    bool* broken_mid_body = nullptr) const;

  // "cannot reach traind at <url>: <why>" for a transport failure.
  Status unreachable(const Status& transport) const;

 private:
  tracking::HttpHeaders auth_headers() const;

  ClientConfig config_;
};

}  // namespace traind::client
