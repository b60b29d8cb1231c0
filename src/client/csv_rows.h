// Rows for POST /models/<id>/predict read from a CSV file: the first line names the
// columns; a cell that reads as a number is sent as one, an empty cell as null, anything
// else as a string. Quoted cells ("a, b", "say ""hi""") follow RFC 4180.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace traind::client {

// An array of row objects; errors (kInvalidJson) name `source`:line.
Result<nlohmann::json> parse_csv_rows(std::string_view text, const std::string& source);

}  // namespace traind::client
