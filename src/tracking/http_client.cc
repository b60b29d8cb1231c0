// Beast stays in this file and http_connection.{h,cc}: the header speaks only std types and
// Status.
//
// The connection (resolve, connect, TLS handshake) is HttpConnector's; the write and the read
// are awaited the same way, so one deadline covers the whole exchange without a second thread.
#include "tracking/http_client.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <string>
#include <utility>

#include "tracking/http_connection.h"

namespace traind::tracking {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return to_lower(x) == to_lower(y);
         });
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

uint16_t default_port(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

Status invalid_url(std::string_view url, const std::string& why) {
  return Status(ErrorCode::kInvalidConfig, "invalid URL '" + std::string(url) + "': " + why);
}

// One request in flight on its own connection.
class Exchange {
 public:
  Exchange(const HttpRequest& request, Url url)
      : request_(request),
        connection_(std::move(url), request.method + " " + request.url, request.timeout_ms) {}

  template <typename Body>
  Result<HttpResponse> send(http::request<Body>& req) {
    TRAIND_RETURN_IF_ERROR(connection_.open());
    return connection_.with_stream([&](auto& stream) { return write_and_read(stream, req); });
  }

 private:
  template <typename Stream, typename Body>
  Result<HttpResponse> write_and_read(Stream& stream, http::request<Body>& req) {
    TRAIND_RETURN_IF_ERROR(connection_.send(stream, req));

    beast::error_code ec;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(request_.max_response_bytes);
    if (req.method() == http::verb::head) parser.skip(true);
    if (!connection_.await(
            [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); },
            ec)) {
      return connection_.timeout("reading the answer");
    }
    if (ec == http::error::body_limit) {
      return connection_.error(
          ErrorCode::kInternal,
          "the answer is larger than " + std::to_string(request_.max_response_bytes) + " bytes");
    }
    if (ec) return connection_.failure("reading the answer", ec);
    connection_.close();

    HttpResponse response;
    auto& res = parser.get();
    response.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(res.body());
    return response;
  }

  const HttpRequest& request_;
  HttpConnector connection_;
};

bool is_token_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

template <typename Body>
Status prepare(const HttpRequest& request, const Url& url, http::request<Body>& req) {
  req.set(http::field::host, host_header(url));
  req.set(http::field::user_agent, "traind");
  req.set(http::field::accept, "*/*");
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char) ||
        value.find_first_of("\r\n") != std::string::npos) {
      return Status(ErrorCode::kInvalidConfig,
                    request.method + " " + request.url + ": invalid header '" + name + "'");
    }
    req.set(name, value);
  }
  req.prepare_payload();
  return Status::ok();
}

Result<HttpResponse> send(const HttpRequest& request) {
  Result<Url> url = parse_url(request.url);
  if (!url) return url.status();
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    return Status(ErrorCode::kInvalidConfig, "unknown HTTP method '" + request.method + "'");
  }
  Exchange exchange(request, *url);
  if (!request.body_file.empty()) {
    http::request<http::file_body> req{verb, url->target, 11};
    beast::error_code ec;
    req.body().open(request.body_file.c_str(), beast::file_mode::scan, ec);
    if (ec) {
      return Status(ErrorCode::kNotFound, request.method + " " + request.url +
                                              ": cannot read the body from '" + request.body_file +
                                              "': " + ec.message());
    }
    TRAIND_RETURN_IF_ERROR(prepare(request, *url, req));
    return exchange.send(req);
  }
  http::request<http::string_body> req{verb, url->target, 11};
  req.body() = request.body;
  TRAIND_RETURN_IF_ERROR(prepare(request, *url, req));
  return exchange.send(req);
}

}  // namespace

std::string Url::origin() const {
  std::string out = scheme + "://";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

Result<Url> parse_url(std::string_view url) {
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return invalid_url(url, "spaces, control and non-ASCII characters must be percent-encoded");
    }
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return invalid_url(url, "expected scheme://host[:port][/path]");
  }
  Url out;
  for (char c : url.substr(0, scheme_end)) out.scheme += to_lower(c);
  if (out.scheme != "http" && out.scheme != "https") {
    return invalid_url(url, "the scheme must be http or https, not '" + out.scheme + "'");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    // The URL itself is left out of the message: it carries a credential.
    return Status(ErrorCode::kInvalidConfig,
                  "invalid URL: credentials in the URL are not supported; pass a token instead");
  }

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid_url(url, "unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    boost::system::error_code ec;
    asio::ip::make_address_v6(out.host, ec);
    if (out.host.empty() || ec) return invalid_url(url, "bad IPv6 literal");
    std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':') return invalid_url(url, "unexpected text after the IPv6 literal");
      port_text = tail.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    bool name_ok = std::all_of(out.host.begin(), out.host.end(), [](char c) {
      return is_alnum(c) || c == '-' || c == '.' || c == '_';
    });
    if (!name_ok) return invalid_url(url, "bad host name '" + out.host + "'");
    for (char& c : out.host) c = to_lower(c);
  }
  if (out.host.empty()) return invalid_url(url, "no host");

  out.port = default_port(out.scheme);
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
      return invalid_url(url, "bad port '" + std::string(port_text) + "'");
    }
    int port = std::stoi(std::string(port_text));
    if (port < 1 || port > 65535) return invalid_url(url, "port out of range 1-65535");
    out.port = static_cast<uint16_t>(port);
  }

  std::string_view target = after.substr(0, after.find('#'));
  if (target.empty() || target.front() != '/') out.target = "/";
  out.target += std::string(target);
  return out;
}

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

std::string url_encode(std::string_view text, bool keep_slashes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slashes && c == '/')) {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

Result<HttpResponse> http_request(const HttpRequest& request) {
  try {
    return send(request);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, request.method + " " + request.url + ": " + e.what());
  } catch (...) {
    return Status(ErrorCode::kInternal, request.method + " " + request.url + ": unknown error");
  }
}

}  // namespace traind::tracking
