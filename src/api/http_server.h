// HttpServer: the HTTP/1.1 transport on Boost.Beast (Asio). Accepts connections, reads
// requests under a body limit and timeouts, keeps connections alive, hands each Request
// to a handler on a pool of handler threads (so a slow handler never holds an IO
// thread), writes the Response, and streams a Response's EventStream over WebSocket
// (when the request asks for an upgrade) or as Server-Sent Events.
//
// Beast and Asio stay inside http_server.cc; this header has none of them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "api/http_message.h"
#include "core/status.h"

namespace traind::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (see HttpServer::port)
  int threads =
      0;  // IO threads (handler threads: the same, at least 8); 0 = hardware threads, at least 2
  size_t body_limit = 1 << 20;              // larger bodies get 413 PAYLOAD_TOO_LARGE
  std::chrono::seconds header_timeout{30};  // first request's header, from accept
  std::chrono::seconds idle_timeout{60};    // a kept-alive connection waiting for its next request
  std::chrono::seconds body_timeout{60};    // reading a body once its header arrived
  std::chrono::seconds write_timeout{60};   // writing one response
  std::chrono::seconds sse_keepalive{15};   // comment line on an idle event stream
};

// Called on a handler thread; must not throw (it is wrapped in a catch-all anyway).
using RequestHandler = std::function<Response(Request&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. kInternal with a message a person can act on
  // when the address cannot be used (port taken, bad host).
  Status start();
  // The bound port (the real one when options.port was 0); 0 before start().
  uint16_t port() const;
  // Blocks until SIGINT or SIGTERM arrives or stop() is called from another thread.
  // Returns the signal number (0 for stop()).
  int wait_for_stop_signal();
  // Stops accepting, lets running handlers finish, closes every connection, joins the
  // threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "127.0.0.1:8080" -> {"127.0.0.1", 8080}; "[::1]:0" -> {"::1", 0}. kInvalidConfig
// otherwise.
Result<std::pair<std::string, uint16_t>> parse_listen_address(const std::string& address);

}  // namespace traind::api
