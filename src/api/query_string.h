// Request targets: splitting "/path?query" and percent-decoding both parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/http_message.h"

namespace traind::api {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in a query string).
// nullopt for a malformed escape such as "%4" or "%zz".
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

// "a=1&b=x%20y&a=2" -> {{"a","1"},{"b","x y"},{"a","2"}}. A name without '=' has value "";
// empty pieces ("a=1&&b=2") are skipped. nullopt when an escape is malformed.
std::optional<QueryParams> parse_query(std::string_view query);

struct Target {
  std::string path;
  QueryParams query;
};
// Splits and decodes a request target. nullopt when it is not an origin-form target
// ("/..."), or an escape is malformed.
std::optional<Target> parse_target(std::string_view target);

}  // namespace traind::api
