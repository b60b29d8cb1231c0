#include "tracking/http_connection.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <utility>

namespace traind::tracking {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

HttpConnector::HttpConnector(Url url, std::string what, int timeout_ms)
    : url_(std::move(url)),
      what_(std::move(what)),
      timeout_ms_(timeout_ms),
      deadline_(Clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 1))) {}

Status HttpConnector::open() {
  TRAIND_RETURN_IF_ERROR(resolve());
  if (url_.scheme == "https") return open_tls();
  return connect(socket_);
}

Status HttpConnector::resolve() {
  error_code ec;
  asio::ip::address address = asio::ip::make_address(url_.host, ec);
  if (!ec) {
    endpoints_.emplace_back(address, url_.port);
    return Status::ok();
  }
  tcp::resolver resolver(ioc_);
  tcp::resolver::results_type results;
  bool done = false;
  resolver.async_resolve(url_.host, std::to_string(url_.port),
                         [&](const error_code& e, tcp::resolver::results_type r) {
                           ec = e;
                           results = std::move(r);
                           done = true;
                         });
  if (!run_until(done, [&] { resolver.cancel(); })) return timeout("resolving the host");
  if (ec) return failure("resolving host '" + url_.host + "'", ec);
  for (const auto& entry : results) endpoints_.push_back(entry.endpoint());
  if (endpoints_.empty()) {
    return error(ErrorCode::kInternal, "host '" + url_.host + "' has no address");
  }
  return Status::ok();
}

Status HttpConnector::connect(Socket& socket) {
  error_code ec;
  bool done = false;
  asio::async_connect(socket, endpoints_, [&](const error_code& e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  if (!run_until(done, [&] { socket.close(ec); })) return timeout("connecting");
  if (ec) return failure("connecting to " + url_.origin(), ec);
  return Status::ok();
}

Status HttpConnector::open_tls() {
  ssl::context& context = tls_context_.emplace(ssl::context::tls_client);
  error_code ec;
  context.set_default_verify_paths(ec);
  if (ec) return failure("loading the system's CA certificates", ec);
  context.set_verify_mode(ssl::verify_peer);
  TlsStream& stream = tls_.emplace(ioc_, context);
  asio::ip::make_address(url_.host, ec);
  // SNI carries names only; an IP literal is checked against the certificate's IP entries.
  if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str())) {
    return error(ErrorCode::kInternal, "cannot set the TLS server name");
  }
  stream.set_verify_callback(ssl::host_name_verification(url_.host));
  TRAIND_RETURN_IF_ERROR(connect(stream.next_layer()));
  bool in_time = await(
      [&](auto handler) { stream.async_handshake(ssl::stream_base::client, std::move(handler)); },
      ec);
  if (!in_time) return timeout("in the TLS handshake");
  if (ec) return failure("TLS handshake with " + url_.origin(), ec);
  return Status::ok();
}

void HttpConnector::close() {
  error_code ignored;
  if (tls_) {
    tls_->lowest_layer().close(ignored);
  } else {
    socket_.close(ignored);
  }
}

std::string host_header(const Url& url) {
  // origin() is "scheme://" followed by just that.
  return url.origin().substr(url.scheme.size() + 3);
}

Status HttpConnector::timeout(std::string_view step) const {
  return Status(ErrorCode::kTimeout, what_ + ": timed out after " + std::to_string(timeout_ms_) +
                                         " ms while " + std::string(step));
}

Status HttpConnector::failure(std::string_view step, const error_code& ec) const {
  return error(ErrorCode::kInternal, std::string(step) + " failed: " + ec.message());
}

Status HttpConnector::error(ErrorCode code, std::string_view message) const {
  return Status(code, what_ + ": " + std::string(message));
}

}  // namespace traind::tracking
