#include "client/job_file.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

namespace traind::client {
namespace {

using nlohmann::json;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status yaml_error(const std::string& source, const YAML::Mark& mark, const std::string& what) {
  std::string where = source;
  if (mark.line >= 0) {
    where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  return Status(ErrorCode::kInvalidJson, where + ": " + what);
}

// YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), applied to a
// plain (unquoted) scalar.
Result<json> resolve_plain_scalar(const std::string& s, const std::string& source,
                                  const YAML::Mark& mark) {
  static const std::regex kNull("~|null|Null|NULL|");
  static const std::regex kTrue("true|True|TRUE");
  static const std::regex kFalse("false|False|FALSE");
  static const std::regex kDecimal("[-+]?[0-9]+");
  static const std::regex kOctal("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  static const std::regex kSpecial("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  if (std::regex_match(s, kNull)) return json(nullptr);
  if (std::regex_match(s, kTrue)) return json(true);
  if (std::regex_match(s, kFalse)) return json(false);
  if (std::regex_match(s, kDecimal) || std::regex_match(s, kOctal) || std::regex_match(s, kHex)) {
    int base = 10;
    std::string digits = s;
    if (s.starts_with("0o")) base = 8, digits = s.substr(2);
    if (s.starts_with("0x")) base = 16, digits = s.substr(2);
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(digits.c_str(), &end, base);
    if (errno == ERANGE) {
      // Too large for a 64-bit integer: keep its value as a float, as JSON parsers do.
      return json(std::strtod(s.c_str(), nullptr));
    }
    return json(v);
  }
  if (std::regex_match(s, kFloat)) return json(std::strtod(s.c_str(), nullptr));
  if (std::regex_match(s, kSpecial)) {
    return yaml_error(source, mark, "'" + s + "' (infinity or NaN) cannot be sent as JSON");
  }
  return json(s);
}

Result<json> to_json(const YAML::Node& node, const std::string& source) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      const std::string& text = node.Scalar();
      // yaml-cpp tags a plain scalar "?" and a quoted one "!"; explicit tags win.
      if (tag == "!" || tag == "tag:yaml.org,2002:str") return json(text);
      if (tag == "?" || tag.starts_with("tag:yaml.org,2002:")) {
        return resolve_plain_scalar(text, source, node.Mark());
      }
      return yaml_error(source, node.Mark(), "unsupported tag '" + tag + "'");
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) {
        Result<json> v = to_json(item, source);
        if (!v) return v;
        out.push_back(std::move(*v));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return yaml_error(source, entry.first.Mark(), "a mapping key must be a plain value");
        }
        const std::string& key = entry.first.Scalar();
        if (out.contains(key)) {
          return yaml_error(source, entry.first.Mark(), "duplicate key '" + key + "'");
        }
        Result<json> v = to_json(entry.second, source);
        if (!v) return v;
        out[key] = std::move(*v);
      }
      return out;
    }
  }
  return json(nullptr);
}

}  // namespace

FileFormat format_from_name(std::string_view path) {
  std::string name = lower(path);
  if (ends_with(name, ".json")) return FileFormat::kJson;
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return FileFormat::kYaml;
  return FileFormat::kDetect;
}

Result<json> parse_json_text(std::string_view text, const std::string& source) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    size_t offset = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    int line = 1, column = 1;
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return Status(ErrorCode::kInvalidJson, source + ":" + std::to_string(line) + ":" +
                                               std::to_string(column) + ": invalid JSON: " + what);
  }
}

Result<json> parse_yaml_text(std::string_view text, const std::string& source) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return yaml_error(source, e.mark, "invalid YAML: " + e.msg);
  }
  if (documents.empty()) return Status(ErrorCode::kInvalidJson, source + ": the file is empty");
  if (documents.size() > 1) {
    return Status(ErrorCode::kInvalidJson, source + ": holds " + std::to_string(documents.size()) +
                                               " YAML documents; put one configuration per file");
  }
  try {
    return to_json(documents.front(), source);
  } catch (const YAML::Exception& e) {
    return yaml_error(source, e.mark, "invalid YAML: " + e.msg);
  }
}

Result<json> parse_document(std::string_view text, const std::string& source, FileFormat format) {
  if (format == FileFormat::kDetect) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      return Status(ErrorCode::kInvalidJson, source + ": the file is empty");
    }
    format = (text[first] == '{' || text[first] == '[') ? FileFormat::kJson : FileFormat::kYaml;
  }
  if (format == FileFormat::kJson) return parse_json_text(text, source);
  return parse_yaml_text(text, source);
}

Result<std::string> read_text_file(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(ErrorCode::kNotFound, "cannot read " + path + ": " + std::strerror(errno));
  }
  text << in.rdbuf();
  return text.str();
}

Result<json> load_document_file(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text) return text.status();
  std::string source = path == "-" ? "<stdin>" : path;
  return parse_document(*text, source, format_from_name(path));
}

}  // namespace traind::client
