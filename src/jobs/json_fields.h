// Reading fields of JSON that another process wrote (worker events, stored records)
// without exceptions: a missing field or one of the wrong type gives the fallback.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace traind::jobs {

inline std::string json_string(const nlohmann::json& j, const char* key,
                               const std::string& fallback = "") {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

inline int64_t json_int(const nlohmann::json& j, const char* key, int64_t fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

}  // namespace traind::jobs
