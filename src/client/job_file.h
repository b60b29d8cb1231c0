// Reading a training configuration (or predict rows) from a file a person wrote: JSON or
// YAML, chosen by the extension (.json, .yaml/.yml) or, for any other name, by the first
// character (`{` or `[` means JSON). YAML becomes the JSON the server expects: quoted
// scalars stay strings, plain scalars follow the YAML 1.2 core schema (int, float, bool,
// null), so `test_size: 0.2` is a number and `name: "42"` a string.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace traind::client {

enum class FileFormat { kJson, kYaml, kDetect };

// The format a file name says, or kDetect.
FileFormat format_from_name(std::string_view path);

// Parses text; errors are kInvalidJson with "<source>:<line>:<column>: what".
Result<nlohmann::json> parse_json_text(std::string_view text, const std::string& source);
Result<nlohmann::json> parse_yaml_text(std::string_view text, const std::string& source);
Result<nlohmann::json> parse_document(std::string_view text, const std::string& source,
                                      FileFormat format);

// Reads and parses a file ("-" reads standard input). A missing or unreadable file is
// kNotFound; a malformed one kInvalidJson.
Result<nlohmann::json> load_document_file(const std::string& path);

// Reads a whole file ("-": standard input).
Result<std::string> read_text_file(const std::string& path);

}  // namespace traind::client
