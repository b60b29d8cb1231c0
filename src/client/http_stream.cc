// Beast stays in this file. The connection (resolve, connect, TLS handshake) is
// tracking::HttpConnector's, as for tracking::http_request; every later step is awaited the
// same way, until it completes or its deadline passes: blocking calls with timeouts and no
// second thread.
#include "client/http_stream.h"

#include <strings.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <utility>

#include "tracking/http_connection.h"

namespace traind::client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tracking::HttpConnector;

class StreamExchange {
 public:
  StreamExchange(const StreamRequest& request, tracking::Url url)
      : request_(request),
        connection_(std::move(url), "GET " + request.url, request.connect_timeout_ms) {}

  Status run(const OnStreamHead& on_head, const OnStreamData& on_data, bool* broken) {
    TRAIND_RETURN_IF_ERROR(connection_.open());
    return connection_.with_stream(
        [&](auto& stream) { return exchange(stream, on_head, on_data, broken); });
  }

 private:
  template <typename Stream>
  Status exchange(Stream& stream, const OnStreamHead& on_head, const OnStreamData& on_data,
                  bool* broken) {
    http::request<http::empty_body> req{http::verb::get, connection_.url().target, 11};
    req.set(http::field::host, tracking::host_header(connection_.url()));
    req.set(http::field::user_agent, "trainctl");
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : request_.headers) req.set(name, value);

    TRAIND_RETURN_IF_ERROR(connection_.send(stream, req));

    beast::error_code ec;
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.header_limit(64 * 1024);
    // Unlimited, but as a number: Beast 1.74 compares a Content-Length against an empty
    // optional limit as if the limit were smaller than everything.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (!connection_.await(
            [&](auto handler) {
              http::async_read_header(stream, buffer, parser, std::move(handler));
            },
            ec)) {
      return connection_.timeout("waiting for the answer");
    }
    if (ec) return connection_.failure("reading the answer", ec);

    StreamHead head;
    head.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (!on_head(head)) {
      connection_.close();
      return Status::ok();
    }

    char chunk[16384];
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof(chunk);
      connection_.set_deadline(HttpConnector::Clock::now() +
                               std::chrono::milliseconds(std::max(request_.idle_timeout_ms, 1)));
      bool finished = connection_.await(
          [&](auto handler) { http::async_read_some(stream, buffer, parser, std::move(handler)); },
          ec);
      size_t got = sizeof(chunk) - parser.get().body().size;
      if (got > 0 && !on_data(std::string_view(chunk, got))) {
        connection_.close();
        return Status::ok();
      }
      if (!finished) {
        if (broken) *broken = true;
        return connection_.error(
            ErrorCode::kTimeout,
            "no data for " + std::to_string(request_.idle_timeout_ms / 1000) + " s");
      }
      if (ec == http::error::need_buffer) continue;
      if (ec == http::error::end_of_stream || ec == boost::asio::error::eof) break;
      if (ec) {
        if (broken) *broken = true;
        return connection_.failure("reading the answer", ec);
      }
    }
    connection_.close();
    return Status::ok();
  }

  const StreamRequest& request_;
  HttpConnector connection_;
};

}  // namespace

const std::string* StreamHead::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return &value;
    }
  }
  return nullptr;
}

Status http_stream_get(const StreamRequest& request, const OnStreamHead& on_head,
                       const OnStreamData& on_data, bool* broken_mid_body) {
  if (broken_mid_body) *broken_mid_body = false;
  Result<tracking::Url> url = tracking::parse_url(request.url);
  if (!url) return url.status();
  try {
    StreamExchange exchange(request, *url);
    return exchange.run(on_head, on_data, broken_mid_body);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, "GET " + request.url + ": " + e.what());
  }
}

}  // namespace traind::client
