// A small synchronous HTTP/1.1 client (http and https) for talking to remote services such
// as an MLflow tracking server. One connection per request, no redirects followed, no
// exceptions: every failure is a Status. Safe to call from several threads at once (each
// call owns its own I/O context and connection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace traind::tracking {

// An absolute http(s) URL split into what a connection needs.
struct Url {
  std::string scheme;  // "http" or "https", lowercase
  std::string host;    // a name or an IP literal (IPv6 without its brackets)
  uint16_t port = 0;   // the explicit port, else the scheme's default (80, 443)
  std::string target;  // path and query as sent on the request line; "/" when the URL has none

  // "scheme://host[:port]" as a person would write it (IPv6 back in brackets, default port
  // left out).
  std::string origin() const;
};

// Parses "http://host[:port][/path][?query]" (also https and "[v6addr]" hosts). Refuses
// other schemes, credentials in the URL, bad ports and characters that cannot appear in a
// request line, with ErrorCode::kInvalidConfig. A fragment is dropped.
Result<Url> parse_url(std::string_view url);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, see parse_url
  HttpHeaders headers;
  std::string body;
  // When not empty, the body is streamed from this local file instead of `body`.
  std::string body_file;
  int timeout_ms = 10000;  // the whole exchange: resolve, connect, TLS, write and read
  size_t max_response_bytes = size_t{64} << 20;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  // The value of a header (name compared case-insensitively), or nullptr.
  const std::string* header(std::string_view name) const;
};

// Sends one request and reads the answer, whatever its status. Failures:
//   kInvalidConfig  the URL, method or a header is unusable (no connection was tried);
//   kNotFound       body_file cannot be read;
//   kTimeout        the exchange did not finish within timeout_ms;
//   kInternal       resolve, connect, TLS or the exchange itself failed.
// kTimeout and kInternal are transport failures: the request may be worth sending again.
// https verifies the server's certificate against the system's trust store and its name.
Result<HttpResponse> http_request(const HttpRequest& request);

// Percent-encodes everything but RFC 3986's unreserved characters; '/' too unless
// keep_slashes (for paths).
std::string url_encode(std::string_view text, bool keep_slashes = false);

}  // namespace traind::tracking
