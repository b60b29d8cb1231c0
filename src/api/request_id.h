// Request ids: one per request, in the X-Request-Id response header, every log line and
// every error body.
#pragma once

#include <string>

namespace traind::api {

// A client's X-Request-Id is kept when it is 1..128 characters of [A-Za-z0-9._:-]
// (safe to log and echo); anything else is replaced by a generated "req-<16 hex>".
std::string choose_request_id(const std::string& client_value);
bool is_sane_request_id(const std::string& value);

}  // namespace traind::api
