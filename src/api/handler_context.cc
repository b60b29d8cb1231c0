// Shared pieces of the route handlers.
#include "api/handler_context.h"

#include <fmt/format.h>

namespace traind::api {

const std::string& HandlerContext::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

Result<nlohmann::json> parse_json_body(const Request& request) {
  const std::string& body = request.body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status(ErrorCode::kInvalidJson, "the request body is empty; send a JSON object");
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 9:
    // syntax error while parsing ..."; keep the part a person can act on.
    std::string what = e.what();
    if (auto pos = what.find("] ");
        what.rfind("[json.exception.", 0) == 0 && pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    return Status(ErrorCode::kInvalidJson,
                  fmt::format("the request body is not valid JSON (byte {}): {}", e.byte, what));
  }
}

}  // namespace traind::api
