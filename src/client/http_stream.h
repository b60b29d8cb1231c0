// A streaming HTTP GET (http and https): the answer's head is handed over first, then its
// body chunk by chunk as it arrives, for answers that are large (a model file) or never end
// on their own (Server-Sent Events). tracking::http_request, in contrast, gathers the whole
// body in memory. No exceptions; one connection per call; thread-compatible.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "tracking/http_client.h"

namespace traind::client {

struct StreamRequest {
  std::string url;  // absolute
  tracking::HttpHeaders headers;
  int connect_timeout_ms = 10000;  // resolve, connect, TLS, send and read the head
  int idle_timeout_ms = 60000;     // longest wait for the next body bytes
};

struct StreamHead {
  int status = 0;
  tracking::HttpHeaders headers;
  const std::string* header(std::string_view name) const;
};

// Returning false from a callback stops the transfer early (the call then returns OK).
using OnStreamHead = std::function<bool(const StreamHead&)>;
using OnStreamData = std::function<bool(std::string_view)>;

// Sends the GET and delivers the answer until its body ends. Failures are transport
// failures: kTimeout (a step or a silence took too long), kInternal (resolve, connect, TLS,
// or the connection broke: `*broken_mid_body` tells that the head had arrived), or
// kInvalidConfig for an unusable URL. Their messages start with "GET <url>: ", as
// tracking::http_request's do.
Status http_stream_get(const StreamRequest& request, const OnStreamHead& on_head,
                       const OnStreamData& on_data, bool* broken_mid_body = nullptr);

}  // namespace traind::client
