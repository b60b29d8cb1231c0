// Request id validation and generation.
#include "api/request_id.h"

#include "core/ids.h"

namespace traind::api {

bool is_sane_request_id(const std::string& value) {
  if (value.empty() || value.size() > 128) return false;
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string choose_request_id(const std::string& client_value) {
  if (is_sane_request_id(client_value)) return client_value;
  return "req-" + random_hex(8);
}

}  // namespace traind::api
