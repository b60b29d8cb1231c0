#include "api/mlflow_request.h"

#include <fmt/format.h>

#include "api/error_response.h"

namespace traind::api {
namespace {

std::string json_type_name(const nlohmann::json& v) {
  if (v.is_string()) return "str";
  if (v.is_boolean()) return "bool";
  if (v.is_number_integer()) return "int";
  if (v.is_number()) return "float";
  if (v.is_array()) return "list";
  if (v.is_object()) return "dict";
  return "NoneType";
}

Status invalid_value(const nlohmann::json& v, const char* key) {
  return Status(ErrorCode::kInvalidConfig,
                fmt::format("Invalid value {} for parameter '{}' supplied. Hint: Value was of "
                            "type '{}'. See the API docs for more information about request "
                            "parameters.",
                            v.dump(), key, json_type_name(v)));
}

}  // namespace

Result<std::string> mlflow_tenant(const HandlerContext& ctx) {
  if (ctx.caller.is_admin()) {
    return Status(ErrorCode::kForbidden,
                  "the MLflow API shows one tenant's experiments and runs: use a tenant's API "
                  "key, not the admin key");
  }
  return ctx.caller.tenant_id;
}

Result<nlohmann::json> mlflow_message(const HandlerContext& ctx) {
  nlohmann::json message = nlohmann::json::object();
  if (ctx.request.method == "GET") {
    for (const auto& [name, value] : ctx.request.query) {
      if (!message.contains(name)) {
        message[name] = value;
      } else {
        if (!message[name].is_array()) message[name] = nlohmann::json::array({message[name]});
        message[name].push_back(value);
      }
    }
    return message;
  }
  if (ctx.request.body.empty()) return message;
  message = nlohmann::json::parse(ctx.request.body, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    return Status(ErrorCode::kInvalidJson,
                  "Malformed request: the body must be a JSON object (MLflow's request message)");
  }
  return message;
}

Result<std::string> required_string(const nlohmann::json& m, const char* key) {
  auto v = optional_string(m, key);
  if (!v.is_ok()) return v.status();
  if (!v->has_value() || (*v)->empty()) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Missing value for required parameter '{}'. See the API docs for "
                              "more information about request parameters.",
                              key));
  }
  return **v;
}

Result<std::optional<std::string>> optional_string(const nlohmann::json& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return invalid_value(*it, key);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<int64_t>> optional_int64(const nlohmann::json& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number_integer()) return std::optional<int64_t>(it->get<int64_t>());
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
  }
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    size_t pos = s.empty() || s[0] != '-' ? 0 : 1;
    bool digits = pos < s.size() && s.size() <= 19 + pos;
    for (size_t i = pos; i < s.size(); ++i) digits = digits && s[i] >= '0' && s[i] <= '9';
    if (digits) return std::optional<int64_t>(std::stoll(s));
  }
  return invalid_value(*it, key);
}

Result<int64_t> int64_field(const nlohmann::json& m, const char* key, int64_t fallback) {
  auto v = optional_int64(m, key);
  if (!v.is_ok()) return v.status();
  return v->value_or(fallback);
}

Result<std::vector<std::string>> string_list(const nlohmann::json& m, const char* key) {
  std::vector<std::string> out;
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return out;
  if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
  if (!it->is_array()) return invalid_value(*it, key);
  for (const auto& v : *it) {
    if (!v.is_string()) return invalid_value(*it, key);
    out.push_back(v.get<std::string>());
  }
  return out;
}

Response mlflow_ok(const nlohmann::json& body) { return json_response(body); }

}  // namespace traind::api
