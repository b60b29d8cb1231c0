// JSON Pointer construction and the translation of valijson error contexts.
#include "train/json_pointer.h"

namespace traind::train {

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string append_pointer(const std::string& base, std::string_view token) {
  return base + "/" + escape_pointer_token(token);
}

std::string pointer_from_tokens(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& token : tokens) out = append_pointer(out, token);
  return out;
}

DocumentLocation locate_valijson_context(const nlohmann::json& document,
                                         const std::vector<std::string>& context) {
  std::vector<std::string> tokens;
  const nlohmann::json* node = &document;
  for (const std::string& element : context) {
    if (element == "<root>") continue;
    // valijson wraps every key and index in brackets; strip exactly one pair.
    std::string token = element;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    tokens.push_back(token);
    if (node == nullptr) continue;
    if (node->is_object()) {
      auto it = node->find(token);
      node = it == node->end() ? nullptr : &*it;
    } else if (node->is_array()) {
      bool digits = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
      size_t index = digits && token.size() < 10 ? std::stoul(token) : node->size();
      node = index < node->size() ? &(*node)[index] : nullptr;
    } else {
      node = nullptr;
    }
  }
  return {std::move(tokens), node};
}

}  // namespace traind::train
