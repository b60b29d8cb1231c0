// Beast stays in this file: the header speaks only std types and Status.
//
// Each step (resolve, connect, TLS handshake, write, read) is started asynchronously and the
// private io_context is run until that step completes or the request's deadline passes; on the
// deadline the socket is closed, which completes the step with an error. That gives a
// blocking call with one timeout for the whole exchange without a second thread.
#include "tracking/http_client.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <utility>

namespace traind::tracking {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

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

// Runs `ioc` until the single operation in flight completes (`done`) or `deadline` passes. On
// the deadline, `cancel` aborts the operation and its handler is drained; returns false then.
template <typename Cancel>
bool run_until(asio::io_context& ioc, const bool& done, Clock::time_point deadline,
               Cancel&& cancel) {
  ioc.restart();
  ioc.run_until(deadline);
  if (done) return true;
  cancel();
  ioc.restart();
  ioc.run();
  return false;
}

// One request in flight: its target, deadline and how to describe failures.
class Exchange {
 public:
  Exchange(const HttpRequest& request, Url url)
      : request_(request),
        url_(std::move(url)),
        what_(request.method + " " + request.url),
        deadline_(Clock::now() + std::chrono::milliseconds(std::max(request.timeout_ms, 1))) {}

  template <typename Body>
  Result<HttpResponse> send(http::request<Body>& req) {
    Status resolved = resolve();
    if (!resolved) return resolved;
    if (url_.scheme == "https") return send_tls(req);
    tcp::socket socket(ioc_);
    Status connected = connect(socket);
    if (!connected) return connected;
    return write_and_read(socket, req);
  }

 private:
  Status timeout(const char* step) const {
    return Status(
        ErrorCode::kTimeout,
        what_ + ": timed out after " + std::to_string(request_.timeout_ms) + " ms while " + step);
  }
  Status failure(const std::string& step, const beast::error_code& ec) const {
    return Status(ErrorCode::kInternal, what_ + ": " + step + " failed: " + ec.message());
  }

  Status resolve() {
    beast::error_code ec;
    asio::ip::address address = asio::ip::make_address(url_.host, ec);
    if (!ec) {
      endpoints_.emplace_back(address, url_.port);
      return Status::ok();
    }
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type results;
    bool done = false;
    resolver.async_resolve(url_.host, std::to_string(url_.port),
                           [&](const beast::error_code& e, tcp::resolver::results_type r) {
                             ec = e;
                             results = std::move(r);
                             done = true;
                           });
    if (!run_until(ioc_, done, deadline_, [&] { resolver.cancel(); })) {
      return timeout("resolving the host");
    }
    if (ec) return failure("resolving host '" + url_.host + "'", ec);
    for (const auto& entry : results) endpoints_.push_back(entry.endpoint());
    if (endpoints_.empty()) {
      return Status(ErrorCode::kInternal, what_ + ": host '" + url_.host + "' has no address");
    }
    return Status::ok();
  }

  Status connect(tcp::socket& socket) {
    beast::error_code ec;
    bool done = false;
    asio::async_connect(socket, endpoints_, [&](const beast::error_code& e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc_, done, deadline_, [&] { socket.close(ec); })) {
      return timeout("connecting");
    }
    if (ec) return failure("connecting to " + url_.origin(), ec);
    return Status::ok();
  }

  template <typename Body>
  Result<HttpResponse> send_tls(http::request<Body>& req) {
    ssl::context context(ssl::context::tls_client);
    beast::error_code ec;
    context.set_default_verify_paths(ec);
    if (ec) return failure("loading the system's CA certificates", ec);
    context.set_verify_mode(ssl::verify_peer);
    ssl::stream<tcp::socket> stream(ioc_, context);
    asio::ip::make_address(url_.host, ec);
    // SNI carries names only; an IP literal is checked against the certificate's IP entries.
    if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str())) {
      return Status(ErrorCode::kInternal, what_ + ": cannot set the TLS server name");
    }
    stream.set_verify_callback(ssl::host_name_verification(url_.host));
    Status connected = connect(stream.next_layer());
    if (!connected) return connected;
    bool done = false;
    stream.async_handshake(ssl::stream_base::client, [&](const beast::error_code& e) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc_, done, deadline_, [&] { stream.next_layer().close(ec); })) {
      return timeout("in the TLS handshake");
    }
    if (ec) return failure("TLS handshake with " + url_.origin(), ec);
    return write_and_read(stream, req);
  }

  template <typename Stream, typename Body>
  Result<HttpResponse> write_and_read(Stream& stream, http::request<Body>& req) {
    auto close = [&] {
      beast::error_code ignored;
      stream.lowest_layer().close(ignored);
    };
    beast::error_code ec;
    bool done = false;
    http::async_write(stream, req, [&](const beast::error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc_, done, deadline_, close)) return timeout("sending the request");
    if (ec) return failure("sending the request", ec);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(request_.max_response_bytes);
    if (req.method() == http::verb::head) parser.skip(true);
    done = false;
    http::async_read(stream, buffer, parser, [&](const beast::error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc_, done, deadline_, close)) return timeout("reading the answer");
    if (ec == http::error::body_limit) {
      return Status(ErrorCode::kInternal, what_ + ": the answer is larger than " +
                                              std::to_string(request_.max_response_bytes) +
                                              " bytes");
    }
    if (ec) return failure("reading the answer", ec);
    close();

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
  Url url_;
  std::string what_;
  Clock::time_point deadline_;
  asio::io_context ioc_;
  std::vector<tcp::endpoint> endpoints_;
};

bool is_token_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

template <typename Body>
Status prepare(const HttpRequest& request, const Url& url, http::request<Body>& req) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != default_port(url.scheme)) host += ":" + std::to_string(url.port);
  req.set(http::field::host, host);
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
