// valijson run over a configuration and the translation of its errors.
//
// valijson reports each failure twice or more (the child's error, then a "Failed to
// validate ..." wrapper on every parent); the wrappers are dropped. Its sentences name
// the keyword but not the value or the limits, so each one is re-worded from the schema
// node at the error's place.
#define VALIJSON_USE_EXCEPTIONS 1
#include "train/schema_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "train/config.h"
#include "train/json_pointer.h"
#include "train/validation_text.h"

namespace traind::train {
namespace {

using nlohmann::json;

struct ParsedSchema {
  valijson::Schema schema;
  std::string error;  // non-empty when the generated schema did not parse
};

const ParsedSchema& parsed_schema() {
  static const std::unique_ptr<ParsedSchema> kParsed = [] {
    auto parsed = std::make_unique<ParsedSchema>();
    try {
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(config_json_schema());
      parser.populateSchema(adapter, parsed->schema);
    } catch (const std::exception& e) {
      parsed->error = e.what();
    }
    return parsed;
  }();
  return *kParsed;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The schema that applies at `tokens`, following "properties" and "items" from the root.
const json* schema_node_at(const std::vector<std::string>& tokens) {
  const json* node = &config_json_schema();
  for (const std::string& token : tokens) {
    if (auto props = node->find("properties"); props != node->end() && props->contains(token)) {
      node = &(*props)[token];
    } else if (auto items = node->find("items"); items != node->end()) {
      node = &*items;
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string type_phrase(const json& type) {
  auto one = [](const std::string& t) -> std::string {
    if (t == "integer" || t == "object" || t == "array") return "an " + t;
    if (t == "boolean") return "true or false";
    if (t == "null") return "null";
    return "a " + t;
  };
  if (type.is_string()) return one(type.get<std::string>());
  std::vector<std::string> parts;
  if (type.is_array()) {
    for (const json& t : type) parts.push_back(one(t.get<std::string>()));
  }
  return fmt::format("{}", fmt::join(parts, " or "));
}

std::string range_phrase(const json& node) {
  std::vector<std::string> parts;
  auto bound = [&](const char* key, const char* op) {
    if (auto it = node.find(key); it != node.end() && it->is_number()) {
      parts.push_back(fmt::format("{} {}", op, format_bound(it->get<double>())));
    }
  };
  bound("minimum", ">=");
  bound("exclusiveMinimum", ">");
  bound("maximum", "<=");
  bound("exclusiveMaximum", "<");
  return fmt::format("must be {}", fmt::join(parts, " and "));
}

std::string enum_phrase(const json& node, const json& value) {
  std::vector<std::string> choices;
  for (const json& c : node.value("enum", json::array())) {
    choices.push_back(c.is_string() ? "'" + c.get<std::string>() + "'" : c.dump());
  }
  std::string message =
      fmt::format("must be one of {}; got {}", join_names(choices), value_preview(value));
  if (value.is_string()) {
    std::vector<std::string> names;
    for (const json& c : node.value("enum", json::array())) {
      if (c.is_string()) names.push_back(c.get<std::string>());
    }
    if (auto near = closest_name(value.get<std::string>(), names)) {
      message += fmt::format(" (did you mean '{}'?)", *near);
    }
  }
  return message;
}

std::string length_phrase(const json& node, const json& value) {
  size_t length = value.is_string() ? value.get<std::string>().size() : 0;
  if (length == 0) return "must not be empty";
  if (auto max = node.find("maxLength"); max != node.end() && length > max->get<size_t>()) {
    return fmt::format("must be at most {} characters long; got {} characters", max->get<size_t>(),
                       length);
  }
  return fmt::format("must be at least {} characters long; got {}",
                     node.value("minLength", size_t{0}), value_preview(value));
}

// One problem per field the object at `pointer` holds but its schema does not declare.
void add_unknown_fields(const std::string& pointer, const json& object, const json& node,
                        std::vector<ErrorDetail>& out) {
  std::vector<std::string> allowed;
  // Held by name: a range-for over items() of a temporary would outlive the temporary.
  const json properties = node.value("properties", json::object());
  for (const auto& [key, unused] : properties.items()) {
    allowed.push_back(key);
  }
  for (const auto& [key, unused] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = fmt::format("unknown field '{}'", key);
    if (auto near = closest_name(key, allowed)) {
      message += fmt::format("; did you mean '{}'?", *near);
    } else {
      message += fmt::format("; allowed fields: {}", join_names(allowed));
    }
    out.push_back({append_pointer(pointer, key), message});
  }
}

void translate(const valijson::ValidationResults::Error& error, const json& body,
               const std::function<bool(const std::string&)>& checked_elsewhere,
               std::vector<ErrorDetail>& out) {
  const std::string& what = error.description;
  if (starts_with(what, "Failed to validate")) return;  // a wrapper of a child's error
  DocumentLocation place = locate_valijson_context(body, error.context);
  const std::string pointer = pointer_from_tokens(place.tokens);
  if (checked_elsewhere(pointer)) return;
  static const json kNull;
  const json& value = place.value != nullptr ? *place.value : kNull;
  const json* node = schema_node_at(place.tokens);
  static const json kEmpty = json::object();
  const json& schema = node != nullptr ? *node : kEmpty;

  if (starts_with(what, "Missing required property '")) {
    std::string name = what.substr(27, what.size() - 27 - 2);  // strip the quote and "'."
    // Reported here even for fields checked elsewhere: those checks skip absent fields.
    out.push_back({append_pointer(pointer, name), fmt::format("'{}' is required", name)});
  } else if (starts_with(what, "Object contains a property that could not be validated")) {
    if (value.is_object()) add_unknown_fields(pointer, value, schema, out);
  } else if (starts_with(what, "Value type not permitted")) {
    out.push_back(
        {pointer, fmt::format("must be {}; got {}", type_phrase(schema.value("type", json())),
                              value_preview(value))});
  } else if (starts_with(what, "Failed to match against any enum values")) {
    out.push_back({pointer, enum_phrase(schema, value)});
  } else if (starts_with(what, "Expected number")) {
    out.push_back({pointer, fmt::format("{}; got {}", range_phrase(schema), value_preview(value))});
  } else if (starts_with(what, "String should be no")) {
    out.push_back({pointer, length_phrase(schema, value)});
  } else if (starts_with(what, "Failed to match regex")) {
    out.push_back({pointer, fmt::format("must match {}; got {}", schema.value("pattern", ""),
                                        value_preview(value))});
  } else if (starts_with(what, "Elements at indexes #")) {
    unsigned first = 0;
    unsigned second = 0;
    if (std::sscanf(what.c_str(), "Elements at indexes #%u and #%u", &first, &second) == 2 &&
        value.is_array() && second < value.size()) {
      out.push_back(
          {append_pointer(pointer, std::to_string(second)),
           fmt::format("repeats {} (already at index {})", value_preview(value[second]), first)});
    }
  } else if (starts_with(what, "Array should contain no fewer than")) {
    std::string message = fmt::format("must have at least {} item(s); got {}",
                                      schema.value("minItems", 1), value_preview(value));
    if (pointer == "/feature_columns") {
      message += "; omit it to use every column but the target and identifier-like columns";
    }
    out.push_back({pointer, message});
  } else {
    out.push_back({pointer, fmt::format("{} Got {}", what, value_preview(value))});
  }
}

// JSON Schema counts 42.0 as an integer; valijson's nlohmann adapter does not. Whole
// numbers are made integers in the copy that valijson sees.
json with_whole_numbers_as_integers(const json& value) {
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15)
      return static_cast<int64_t>(d);
    return value;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [key, item] : value.items()) out[key] = with_whole_numbers_as_integers(item);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const json& item : value) out.push_back(with_whole_numbers_as_integers(item));
    return out;
  }
  return value;
}

}  // namespace

Result<std::vector<ErrorDetail>> schema_problems(
    const json& body, const std::function<bool(const std::string&)>& checked_elsewhere) {
  const ParsedSchema& parsed = parsed_schema();
  if (!parsed.error.empty()) {
    return Status(ErrorCode::kInternal,
                  "the generated configuration schema does not parse: " + parsed.error);
  }
  const json document = with_whole_numbers_as_integers(body);
  valijson::ValidationResults results;
  try {
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::adapters::NlohmannJsonAdapter target(document);
    validator.validate(parsed.schema, target, &results);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("schema validation failed: ") + e.what());
  }
  std::vector<ErrorDetail> problems;
  for (const auto& error : results) translate(error, document, checked_elsewhere, problems);
  return problems;
}

}  // namespace traind::train
