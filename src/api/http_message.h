// Request and Response: the HTTP messages handlers work on, free of any Beast type.
//
// The transport (http_server.cc) turns Beast's messages into these and back, so routing
// and handlers compile without Boost headers. A Response may carry an EventStream
// instead of a body: the transport then streams it over WebSocket (when the request asked
// for an upgrade) or as Server-Sent Events.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace traind::api {

// Query parameters in the order they appear; a name may repeat (?status=a&status=b).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // percent-decoded path, no query
  QueryParams query;                           // percent-decoded
  std::map<std::string, std::string> headers;  // names lowercased; repeats joined with ", "
  std::string body;
  std::string request_id;          // sane X-Request-Id or a generated one
  bool websocket_upgrade = false;  // the request asks for a WebSocket
  std::string peer;                // the client's IP address ("" when unknown)

  // The header's value, or "" when absent. `name` must be lowercase.
  const std::string& header(const std::string& name) const;
  // Every value of a query parameter, in order.
  std::vector<std::string> query_values(const std::string& name) const;
};

// A live sequence of JSON events (already serialized), ended by the producer.
// Thread-safe: drain and set_notifier may be called from any thread.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Moves the queued events into `out`; false once the stream has ended and nothing is left.
  virtual bool drain(std::vector<std::string>& out) = 0;
  // `notify` is called (from any thread) when events are queued or the stream ends; it
  // must only schedule work. It may be called at once when events are already queued.
  virtual void set_notifier(std::function<void()> notify) = 0;
  // Called once by the transport when it stops streaming (end, client gone, shutdown).
  virtual void close() = 0;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<EventStream> stream;  // set: stream events instead of sending `body`

  void set_header(const std::string& name, const std::string& value);
  // The header's value (case-insensitive name), or "" when absent.
  std::string header(const std::string& name) const;
};

}  // namespace traind::api
