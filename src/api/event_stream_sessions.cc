// Event streams over SSE and WebSocket. Each session lives on its connection's strand;
// the EventStream's notifier only posts onto that strand, so no IO thread waits for an
// event, and a client that goes away ends the stream (EventStream::close).
#include "api/event_stream_sessions.h"

#include <strings.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <utility>
#include <vector>

#include "api/websocket_protocol.h"

namespace traind::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;

// Everything queued in the stream. drain() answers "more" while it hands out events even
// after the last one was queued, and no notification follows the end: drain until it
// hands out nothing, which also tells whether the stream has ended.
std::vector<std::string> drain_all(EventStream& events, bool* ended) {
  std::vector<std::string> all;
  for (;;) {
    std::vector<std::string> out;
    if (!events.drain(out)) {
      *ended = true;
      return all;
    }
    if (out.empty()) return all;
    for (auto& e : out) all.push_back(std::move(e));
  }
}

// ---------------------------------------------------------------------------------------
// Server-Sent Events: a raw response without Content-Length, ended by closing.

class SseSession : public std::enable_shared_from_this<SseSession> {
 public:
  SseSession(tcp::socket socket, std::shared_ptr<EventStream> events,
             std::chrono::seconds keepalive)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        events_(std::move(events)),
        keepalive_(keepalive) {}
  ~SseSession() { events_->close(); }

  void start(const Response& response) {
    std::string head =
        "HTTP/1.1 200 OK\r\nServer: traind\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n";
    for (const auto& [name, value] : response.headers) {
      if (strcasecmp(name.c_str(), "content-type") == 0) continue;
      head += name + ": " + value + "\r\n";
    }
    head += "\r\n";
    pending_.push_back(std::move(head));
    std::weak_ptr<SseSession> weak = shared_from_this();
    events_->set_notifier([weak] {
      if (auto self = weak.lock()) {
        asio::post(self->socket_.get_executor(), [self] { self->pull(); });
      }
    });
    pull();
    arm_keepalive();
    watch_for_close();
  }

 private:
  void pull() {
    if (closed_ || ended_) return;
    for (const std::string& e : drain_all(*events_, &ended_)) {
      pending_.push_back("data: " + e + "\n\n");
    }
    write_next();
  }

  void write_next() {
    if (writing_ || closed_) return;
    if (pending_.empty()) {
      if (ended_) finish();
      return;
    }
    current_ = std::move(pending_.front());
    pending_.pop_front();
    writing_ = true;
    asio::async_write(socket_, asio::buffer(current_),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) return self->finish();
                        self->write_next();
                      });
  }

  void arm_keepalive() {
    timer_.expires_after(keepalive_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (!self->writing_ && self->pending_.empty()) self->pending_.push_back(": keep-alive\n\n");
      self->write_next();
      self->arm_keepalive();
    });
  }

  // The client sends nothing on an event stream; a completed read means it went away.
  void watch_for_close() {
    socket_.async_read_some(asio::buffer(probe_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->finish();
                              self->watch_for_close();
                            });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    events_->close();
    timer_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<EventStream> events_;
  std::chrono::seconds keepalive_;
  std::deque<std::string> pending_;
  std::string current_;
  char probe_[256];
  bool writing_ = false;
  bool ended_ = false;
  bool closed_ = false;
};

// ---------------------------------------------------------------------------------------
// WebSocket: one text frame per event, a normal close after the last one.

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(beast::tcp_stream stream, std::shared_ptr<EventStream> events)
      : ws_(std::move(stream)), events_(std::move(events)) {}
  ~WebSocketSession() { events_->close(); }

  void start(const BeastRequest& request, const std::string& request_id) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    const bool select_protocol =
        offers_protocol(std::string(request[http::field::sec_websocket_protocol]), kEventsProtocol);
    ws_.set_option(websocket::stream_base::decorator(
        [request_id, select_protocol](websocket::response_type& res) {
          res.set(http::field::server, "traind");
          res.set("X-Request-Id", request_id);
          if (select_protocol) res.set(http::field::sec_websocket_protocol, kEventsProtocol);
        }));
    ws_.text(true);
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      std::weak_ptr<WebSocketSession> weak = self;
      self->events_->set_notifier([weak] {
        if (auto s = weak.lock()) asio::post(s->ws_.get_executor(), [s] { s->pull(); });
      });
      self->pull();
      self->read_next();
    });
  }

 private:
  void pull() {
    if (closed_ || ended_) return;
    for (std::string& e : drain_all(*events_, &ended_)) pending_.push_back(std::move(e));
    write_next();
  }

  void write_next() {
    if (writing_ || closed_ || closing_) return;
    if (pending_.empty()) {
      if (ended_) close_normally();
      return;
    }
    current_ = std::move(pending_.front());
    pending_.pop_front();
    writing_ = true;
    ws_.async_write(asio::buffer(current_),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) return self->finish();
                      self->write_next();
                    });
  }

  void close_normally() {
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) { self->finish(); });
  }

  // Reading processes the client's control frames (ping, close); data frames are dropped.
  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->finish();
      self->buffer_.consume(self->buffer_.size());
      self->read_next();
    });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    events_->close();
    if (!closing_) {
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(ws_).socket().close(ignored);
    }
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<EventStream> events_;
  std::deque<std::string> pending_;
  std::string current_;
  bool writing_ = false;
  bool ended_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace

void start_sse_stream(tcp::socket socket, std::shared_ptr<EventStream> events,
                      const Response& response, std::chrono::seconds keepalive) {
  std::make_shared<SseSession>(std::move(socket), std::move(events), keepalive)->start(response);
}

void start_websocket_stream(beast::tcp_stream stream, std::shared_ptr<EventStream> events,
                            const BeastRequest& request, const std::string& request_id) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(events))
      ->start(request, request_id);
}

}  // namespace traind::api
