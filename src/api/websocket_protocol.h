// WebSocket subprotocols that carry a browser's API key.
//
// A browser cannot set the Authorization header on a WebSocket, so the page offers two
// subprotocols: "traind.v1" and "traind.bearer.<api key>". The server authenticates with the
// second and selects the first (a browser drops a connection whose answer selects none of
// the offered protocols). The key stays out of URLs and so out of logs and history.
#pragma once

#include <string>

namespace traind::api {

inline constexpr const char* kEventsProtocol = "traind.v1";

// The key in a Sec-WebSocket-Protocol header ("a, traind.bearer.<key>, b"), or "".
std::string bearer_from_protocols(const std::string& header);

// Whether the header offers `protocol`.
bool offers_protocol(const std::string& header, const std::string& protocol);

}  // namespace traind::api
