// Wall-clock time as API.md writes it: RFC 3339 UTC with milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace traind {

// Milliseconds since the Unix epoch.
int64_t now_ms();

// e.g. 2026-11-22T10:15:00.123Z
std::string format_rfc3339(int64_t epoch_ms);
inline std::string now_rfc3339() { return format_rfc3339(now_ms()); }

}  // namespace traind
