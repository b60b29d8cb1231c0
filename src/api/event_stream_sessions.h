// The two ways a Response's EventStream reaches a client, once the HTTP session has
// handed its connection over: Server-Sent Events and WebSocket. Private to the transport
// (http_server.cc); Beast types appear here on purpose.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "api/http_message.h"

namespace traind::api {

// Writes a 200 text/event-stream head (with `response`'s headers), then one
// "data: <json>\n\n" per event, a ": keep-alive" comment after `keepalive` of silence,
// and closes after the last event or when the client goes away.
void start_sse_stream(boost::asio::ip::tcp::socket socket, std::shared_ptr<EventStream> events,
                      const Response& response, std::chrono::seconds keepalive);

// Accepts the WebSocket upgrade of `request`, sends each event as a text frame and closes
// normally after the last one.
void start_websocket_stream(
    boost::beast::tcp_stream stream, std::shared_ptr<EventStream> events,
    const boost::beast::http::request<boost::beast::http::string_body>& request,
    const std::string& request_id);

}  // namespace traind::api
