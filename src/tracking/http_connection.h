// One outgoing HTTP connection (http or https) opened within a deadline, shared by tracking's
// HTTP client (http_client.cc) and the client layer's streaming GET (client/http_stream.cc).
//
// PRIVATE to the tracking and client layers: unlike http_client.h it speaks Asio and Beast
// types. Include it from .cc files only, never from a header other layers see; Asio and Beast
// themselves are compiled once, in asio_impl.cc.
//
// Each step (resolve, connect, TLS handshake, then the caller's writes and reads) is started
// asynchronously and the private io_context is run until that step completes or the deadline
// passes; on the deadline the connection is closed (the resolver cancelled), which completes the
// step with an error. That gives blocking calls with timeouts and no second thread. One
// connection per object; not thread-safe. Asio may throw (std::bad_alloc, a failed
// ssl::context): callers catch.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "tracking/http_client.h"

namespace traind::tracking {

class HttpConnector {
 public:
  using Clock = std::chrono::steady_clock;
  using Socket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<Socket>;

  // `what` leads every message this object writes (e.g. "GET https://host/path"). The deadline
  // is `timeout_ms` (at least 1 ms) from now; timeout messages name `timeout_ms`.
  HttpConnector(Url url, std::string what, int timeout_ms);

  // Resolves the host (an IP literal without DNS), connects and, for https, completes the TLS
  // handshake: the server's certificate is verified against the system's trust store and its
  // name (SNI is sent for host names). Failures, each led by `what`:
  //   kTimeout   "timed out after <timeout_ms> ms while resolving the host" (connecting, in the
  //              TLS handshake);
  //   kInternal  "resolving host '<host>' failed: <reason>", "host '<host>' has no address",
  //              "connecting to <origin> failed: <reason>", "TLS handshake with <origin> failed:
  //              <reason>", "loading the system's CA certificates failed: <reason>".
  Status open();

  // Calls `use(stream)` with the open connection, a Socket for http and a TlsStream for https,
  // and returns what it returns (the same type for both).
  template <typename Use>
  auto with_stream(Use&& use) {
    if (tls_) return use(*tls_);
    return use(socket_);
  }

  // Starts one asynchronous operation on the connection, `start(handler)`, and runs it to its
  // end. Returns true with the operation's error in `ec` when it ended before the deadline;
  // otherwise closes the connection, lets the operation finish and returns false.
  template <typename Start>
  bool await(Start&& start, boost::system::error_code& ec) {
    bool done = false;
    start([&ec, &done](const boost::system::error_code& e, auto&&...) {
      ec = e;
      done = true;
    });
    return run_until(done, [this] { close(); });
  }

  // Sends `request` (a Beast http::request) on `stream` (see with_stream) before the deadline:
  // kTimeout "... while sending the request", kInternal "sending the request failed: ...".
  template <typename Stream, typename Request>
  Status send(Stream& stream, Request& request) {
    boost::system::error_code ec;
    if (!await(
            [&](auto handler) {
              boost::beast::http::async_write(stream, request, std::move(handler));
            },
            ec)) {
      return timeout("sending the request");
    }
    if (ec) return failure("sending the request", ec);
    return Status::ok();
  }

  // A new deadline for the steps that follow (e.g. the next read of a stream).
  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }

  // Closes the connection; errors are ignored.
  void close();

  const Url& url() const { return url_; }

  // Statuses phrased like open()'s: "<what>: timed out after <timeout_ms> ms while <step>"
  // (kTimeout), "<what>: <step> failed: <reason>" (kInternal), "<what>: <message>".
  Status timeout(std::string_view step) const;
  Status failure(std::string_view step, const boost::system::error_code& ec) const;
  Status error(ErrorCode code, std::string_view message) const;

 private:
  // Runs the io_context until `done` or the deadline; on the deadline calls `cancel`, drains
  // the cancelled operation and returns false.
  template <typename Cancel>
  bool run_until(const bool& done, Cancel&& cancel) {
    ioc_.restart();
    ioc_.run_until(deadline_);
    if (done) return true;
    cancel();
    ioc_.restart();
    ioc_.run();
    return false;
  }

  Status resolve();
  Status connect(Socket& socket);
  Status open_tls();

  Url url_;
  std::string what_;
  int timeout_ms_;
  Clock::time_point deadline_;
  boost::asio::io_context ioc_;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
  Socket socket_{ioc_};                                   // http
  std::optional<boost::asio::ssl::context> tls_context_;  // https
  std::optional<TlsStream> tls_;                          // https
};

// The value of a request's Host header: the host (IPv6 in brackets) and its port unless it is
// the scheme's default.
std::string host_header(const Url& url);

}  // namespace traind::tracking
