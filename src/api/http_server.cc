// The Beast transport: listener and HTTP session (keep-alive, limits, timeouts). Event
// streams are handed to event_stream_sessions.cc.
//
// Threading: each connection lives on its own strand of the IO context. A complete
// request is posted to the handler pool; the answer is posted back onto the
// connection's strand. Event streams are driven by the EventStream's notifier, which
// only posts onto the strand: no IO thread ever waits for an event.
#include "api/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "api/error_response.h"
#include "api/event_stream_sessions.h"
#include "api/query_string.h"
#include "api/request_id.h"

namespace traind::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr int kMinHandlerThreads = 8;
// After refusing a body, read (and drop) at most this much of it before closing, so
// the client sees the 413 instead of a connection reset.
constexpr size_t kDrainLimit = 8 << 20;
constexpr std::chrono::seconds kDrainTimeout{2};

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Errors that only mean the peer went away or stayed silent: not worth a log line.
bool is_quiet_close(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

// Shared state every session reaches.
struct ServerContext {
  HttpServerOptions options;
  RequestHandler handler;
  asio::thread_pool* handler_pool = nullptr;
};

Response call_handler(const ServerContext& ctx, Request& request) {
  try {
    return ctx.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("[{}] handler threw: {}", request.request_id, e.what());
  } catch (...) {
    spdlog::error("[{}] handler threw a non-standard exception", request.request_id);
  }
  Response r = error_response(Status(ErrorCode::kInternal, "internal error"), request.request_id);
  r.set_header("X-Request-Id", request.request_id);
  return r;
}

// A transport-level refusal (no route is involved): the error shape with a code that has
// no traind::ErrorCode, e.g. BAD_REQUEST for a malformed HTTP message.
Response transport_error(int status, const char* code, const std::string& message,
                         const std::string& request_id) {
  nlohmann::json error = {{"code", code},
                          {"message", message},
                          {"details", nlohmann::json::array()},
                          {"request_id", request_id}};
  Response r = json_response({{"error", std::move(error)}}, status);
  r.set_header("X-Request-Id", request_id);
  return r;
}

// ---------------------------------------------------------------------------------------
// One HTTP connection: read header, read body, handle, write, repeat while kept alive.

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, const ServerContext& ctx)
      : stream_(std::move(socket)), ctx_(ctx) {}

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(ctx_.options.body_limit);
    stream_.expires_after(first_ ? ctx_.options.header_timeout : ctx_.options.idle_timeout);
    first_ = false;
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  std::string request_id_from_parser() {
    auto& fields = parser_->get();
    auto it = fields.find("X-Request-Id");
    return choose_request_id(it == fields.end() ? std::string() : std::string(it->value()));
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::body_limit) return refuse_body();
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
      // curl waits for this before sending a body over 1 KiB.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      stream_.expires_after(ctx_.options.write_timeout);
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(ctx_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) return self->refuse_body();
                       if (ec) return self->on_read_error(ec);
                       self->handle();
                     });
  }

  void on_read_error(beast::error_code ec) {
    if (is_quiet_close(ec) || ec == http::error::partial_message) return close();
    std::string rid = request_id_from_parser();
    spdlog::warn("[{}] malformed HTTP request: {}", rid, ec.message());
    write(transport_error(400, "BAD_REQUEST",
                          fmt::format("malformed HTTP request: {}", ec.message()), rid),
          /*keep_alive=*/false, /*drain=*/false);
  }

  void refuse_body() {
    std::string rid = request_id_from_parser();
    spdlog::warn("[{}] request body over the {}-byte limit refused", rid, ctx_.options.body_limit);
    Response r = error_response(
        Status(ErrorCode::kPayloadTooLarge,
               fmt::format("the request body is larger than the limit of {} bytes; send a "
                           "smaller body",
                           ctx_.options.body_limit)),
        rid);
    r.set_header("X-Request-Id", rid);
    write(std::move(r), /*keep_alive=*/false, /*drain=*/true);
  }

  void handle() {
    request_ = parser_->release();
    keep_alive_ = request_.keep_alive();
    upgrade_ = websocket::is_upgrade(request_);
    Request req;
    req.method = std::string(request_.method_string());
    for (const auto& field : request_) {
      std::string name = lowercase(std::string(field.name_string()));
      auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    req.request_id = choose_request_id(req.header("x-request-id"));
    req.websocket_upgrade = upgrade_;
    beast::error_code peer_ec;
    const auto peer = stream_.socket().remote_endpoint(peer_ec);
    if (!peer_ec) req.peer = peer.address().to_string();
    auto target =
        parse_target(std::string_view(request_.target().data(), request_.target().size()));
    if (!target) {
      return write(
          transport_error(400, "BAD_REQUEST", "the request target is not a valid path and query",
                          req.request_id),
          false, false);
    }
    req.path = std::move(target->path);
    req.query = std::move(target->query);
    req.body = std::move(request_.body());
    // Handlers may block (SQLite, validation queries); they run on the handler pool.
    asio::post(*ctx_.handler_pool, [self = shared_from_this(), req = std::move(req)]() mutable {
      Response response = call_handler(self->ctx_, req);
      std::string rid = req.request_id;
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response), rid = std::move(rid)]() mutable {
                   self->on_response(std::move(response), rid);
                 });
    });
  }

  void on_response(Response response, const std::string& request_id) {
    if (response.stream) {
      stream_.expires_never();
      if (upgrade_) {
        start_websocket_stream(std::move(stream_), response.stream, request_, request_id);
      } else {
        start_sse_stream(stream_.release_socket(), response.stream, response,
                         ctx_.options.sse_keepalive);
      }
      return;  // this session ends; the stream session owns the connection now
    }
    write(std::move(response), keep_alive_, false);
  }

  void write(Response response, bool keep_alive, bool drain) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    res->set(http::field::server, "traind");
    for (const auto& [name, value] : response.headers) res->set(name, value);
    res->body() = std::move(response.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(ctx_.options.write_timeout);
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive, drain](beast::error_code ec, size_t) {
          if (ec) return self->close();
          if (drain) return self->drain_then_close();
          if (!keep_alive) return self->close();
          self->read_header();
        });
  }

  void drain_then_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTimeout);
    drain_buffer_.resize(64 * 1024);
    drain_next();
  }

  void drain_next() {
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainLimit) return self->close();
                              self->drain_next();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  const ServerContext& ctx_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  BeastRequest request_;
  bool first_ = true;
  bool keep_alive_ = false;
  bool upgrade_ = false;
  std::vector<char> drain_buffer_;
  size_t drained_ = 0;
};

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

// ---------------------------------------------------------------------------------------

struct HttpServer::Impl {
  // Declared first so it is destroyed last: sessions still queued in it are destroyed
  // with it, and they reach `context`.
  asio::io_context ioc;
  ServerContext context;
  tcp::acceptor acceptor{ioc};
  asio::thread_pool handler_pool;
  std::vector<std::thread> io_threads;
  std::atomic<uint16_t> port{0};

  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;
  int stop_signal = 0;
  bool stopped = false;
  bool started = false;

  // Handlers may wait on a validation query up to its deadline; a few extra handler
  // threads keep /healthz and quick requests answered meanwhile.
  Impl(HttpServerOptions options, RequestHandler handler, int threads)
      : handler_pool(static_cast<size_t>(std::max(threads, kMinHandlerThreads))) {
    context.options = std::move(options);
    context.handler = std::move(handler);
    context.handler_pool = &handler_pool;
  }

  void accept_next() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        std::make_shared<HttpSession>(std::move(socket), context)->run();
      }
      accept_next();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler) {
  int threads = resolve_thread_count(options.threads);
  options.threads = threads;
  impl_ = std::make_unique<Impl>(std::move(options), std::move(handler), threads);
}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::start() {
  const HttpServerOptions& o = impl_->context.options;
  const std::string where = fmt::format("{}:{}", o.host, o.port);
  beast::error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto endpoints = resolver.resolve(o.host, std::to_string(o.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status(ErrorCode::kInternal,
                  fmt::format("cannot listen on {}: the host does not resolve ({})", where,
                              ec ? ec.message() : "no address"));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acc.close(ignored);
    std::string hint =
        ec == asio::error::address_in_use
            ? "; another process uses that port: stop it or pick another --listen port"
            : "";
    return Status(ErrorCode::kInternal,
                  fmt::format("cannot listen on {}: {}{}", where, ec.message(), hint));
  }
  impl_->port = acc.local_endpoint().port();
  impl_->accept_next();
  for (int i = 0; i < o.threads; ++i) {
    impl_->io_threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->started = true;
  return Status::ok();
}

uint16_t HttpServer::port() const { return impl_->port.load(); }

int HttpServer::wait_for_stop_signal() {
  asio::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    std::lock_guard lock(impl_->mu);
    impl_->stop_requested = true;
    impl_->stop_signal = signal;
    impl_->cv.notify_all();
  });
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return impl_->stop_requested; });
  int signal = impl_->stop_signal;
  lock.unlock();
  beast::error_code ignored;
  signals.cancel(ignored);
  return signal;
}

void HttpServer::stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop_requested = true;
    impl_->cv.notify_all();
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  if (impl_->started) {
    // Stop accepting (on an IO thread: the acceptor is not thread-safe), then let the
    // handlers that are running finish; queued ones are dropped with their connections.
    std::promise<void> closed;
    asio::post(impl_->ioc, [this, &closed] {
      beast::error_code ignored;
      impl_->acceptor.close(ignored);
      closed.set_value();
    });
    closed.get_future().wait();
  }
  impl_->handler_pool.stop();
  impl_->handler_pool.join();
  impl_->ioc.stop();
  for (auto& t : impl_->io_threads) t.join();
  impl_->io_threads.clear();
}

Result<std::pair<std::string, uint16_t>> parse_listen_address(const std::string& address) {
  auto bad = [&](const std::string& why) {
    return Status(
        ErrorCode::kInvalidConfig,
        fmt::format("--listen '{}' {}; use HOST:PORT such as 127.0.0.1:8080", address, why));
  };
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return bad("has no port");
  std::string host = address.substr(0, colon);
  std::string port_text = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return bad("has an IPv6 host without brackets");
  }
  if (host.empty()) return bad("has no host");
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad("has a port that is not a number from 0 to 65535");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

}  // namespace traind::api
