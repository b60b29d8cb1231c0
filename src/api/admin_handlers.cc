// Admin routes: tenants, their keys and their data sources. The service refuses tenant
// callers (FORBIDDEN); these handlers check the request bodies' shape.
#include <fmt/format.h>

#include "api/error_response.h"
#include "api/handler_context.h"

namespace traind::api {
namespace {

Status not_an_object(const char* what) {
  return Status(ErrorCode::kInvalidConfig, fmt::format("the body must be a JSON object {}", what),
                {{"", "must be an object"}});
}

// Admin routes refuse tenant keys before looking at a body, so a tenant learns nothing
// about the admin API's input rules.
Status require_admin(const HandlerContext& ctx) {
  if (ctx.caller.is_admin()) return Status::ok();
  return Status(ErrorCode::kForbidden, "this endpoint needs an admin key");
}

// The optional "limits" member of a tenant body: an object, or absent (= {}).
Result<nlohmann::json> limits_member(const nlohmann::json& body) {
  auto it = body.find("limits");
  if (it == body.end() || it->is_null()) return nlohmann::json::object();
  if (!it->is_object()) {
    return Status(ErrorCode::kInvalidConfig, "limits must be an object",
                  {{"/limits", "must be an object such as {\"max_concurrent_jobs\": 5}"}});
  }
  return *it;
}

}  // namespace

Result<Response> create_tenant(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto body = parse_json_body(ctx.request);
  if (!body.is_ok()) return body.status();
  if (!body->is_object()) return not_an_object("{\"tenant_id\": \"...\", \"limits\": {...}}");
  auto id = body->find("tenant_id");
  if (id == body->end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return Status(ErrorCode::kInvalidConfig, "tenant_id is required",
                  {{"/tenant_id", "required: a non-empty string"}});
  }
  auto limits = limits_member(*body);
  if (!limits.is_ok()) return limits.status();
  auto created = ctx.service.create_tenant(ctx.caller, id->get<std::string>(), *limits);
  if (!created.is_ok()) return created.status();
  Response r = json_response(*created, 201);
  r.set_header("Location", "/api/v1/admin/tenants/" + id->get<std::string>());
  return r;
}

Result<Response> list_tenants(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto tenants = ctx.service.list_tenants(ctx.caller);
  if (!tenants.is_ok()) return tenants.status();
  return json_response(*tenants);
}

Result<Response> get_tenant(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto tenant = ctx.service.get_tenant(ctx.caller, ctx.param("tenant_id"));
  if (!tenant.is_ok()) return tenant.status();
  return json_response(*tenant);
}

Result<Response> patch_tenant(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto body = parse_json_body(ctx.request);
  if (!body.is_ok()) return body.status();
  if (!body->is_object()) return not_an_object("{\"limits\": {...}}");
  auto limits = limits_member(*body);
  if (!limits.is_ok()) return limits.status();
  auto tenant = ctx.service.patch_tenant(ctx.caller, ctx.param("tenant_id"), *limits);
  if (!tenant.is_ok()) return tenant.status();
  return json_response(*tenant);
}

Result<Response> create_key(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto key = ctx.service.create_key(ctx.caller, ctx.param("tenant_id"));
  if (!key.is_ok()) return key.status();
  return json_response(*key, 201);
}

Result<Response> delete_key(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  TRAIND_RETURN_IF_ERROR(
      ctx.service.delete_key(ctx.caller, ctx.param("tenant_id"), ctx.param("key_id")));
  Response r;
  r.status = 204;
  return r;
}

Result<Response> put_datasource(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto body = parse_json_body(ctx.request);
  if (!body.is_ok()) return body.status();
  if (!body->is_object()) {
    return not_an_object("{\"type\": \"sqlite\", \"path\": \"/abs/file.db\"}");
  }
  const std::string& tenant = ctx.param("tenant_id");
  const std::string& schema = ctx.param("schema");
  TRAIND_RETURN_IF_ERROR(ctx.service.put_datasource(ctx.caller, tenant, schema, *body));
  // Echo what was registered, never a secret (a PostgreSQL DSN may carry a password).
  nlohmann::json echo = {
      {"tenant_id", tenant}, {"schema", schema}, {"type", body->value("type", "sqlite")}};
  if (body->contains("path") && (*body)["path"].is_string()) echo["path"] = (*body)["path"];
  return json_response(echo);
}

Result<Response> list_datasources(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  auto list = ctx.service.list_datasources(ctx.caller, ctx.param("tenant_id"));
  if (!list.is_ok()) return list.status();
  return json_response(*list);
}

Result<Response> delete_datasource(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(require_admin(ctx));
  TRAIND_RETURN_IF_ERROR(
      ctx.service.delete_datasource(ctx.caller, ctx.param("tenant_id"), ctx.param("schema")));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace traind::api
