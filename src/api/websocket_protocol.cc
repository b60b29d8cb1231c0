#include "api/websocket_protocol.h"

#include <string_view>

namespace traind::api {
namespace {

// Calls fn on each comma-separated, trimmed entry until it returns true.
template <typename Fn>
bool any_entry(const std::string& header, Fn fn) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string::npos) end = header.size();
    std::string_view entry(header.data() + start, end - start);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
      entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (fn(entry)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string bearer_from_protocols(const std::string& header) {
  constexpr std::string_view kPrefix = "traind.bearer.";
  std::string key;
  any_entry(header, [&](std::string_view entry) {
    if (entry.size() <= kPrefix.size() || entry.substr(0, kPrefix.size()) != kPrefix) return false;
    key = std::string(entry.substr(kPrefix.size()));
    return true;
  });
  return key;
}

bool offers_protocol(const std::string& header, const std::string& protocol) {
  return any_entry(header, [&](std::string_view entry) { return entry == protocol; });
}

}  // namespace traind::api
