// JSON Pointers (RFC 6901) for validation problems: every ErrorDetail names the spot in
// the submitted body it is about, and valijson's error contexts are turned into them here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace traind::train {

// One reference token escaped for a pointer: "~" -> "~0", "/" -> "~1".
std::string escape_pointer_token(std::string_view token);

// `base` + "/" + the escaped token, e.g. ("/split", "test_size") -> "/split/test_size".
std::string append_pointer(const std::string& base, std::string_view token);

// The pointer of a list of unescaped tokens ("" for none: the whole document).
std::string pointer_from_tokens(const std::vector<std::string>& tokens);

// A place in a document: its reference tokens and the value there (nullptr when the
// place does not exist, e.g. a missing required property).
struct DocumentLocation {
  std::vector<std::string> tokens;
  const nlohmann::json* value = nullptr;
};

// The place a valijson error context ("<root>", "[split]", "[test_size]", ...) names.
// valijson writes object keys and array indexes alike as "[x]"; the document is walked
// to tell them apart and to find the offending value.
DocumentLocation locate_valijson_context(const nlohmann::json& document,
                                         const std::vector<std::string>& context);

}  // namespace traind::train
