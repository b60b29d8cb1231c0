// JobService's admin calls: tenants and their limits, API keys, data sources. Every call
// answers kForbidden to a tenant caller.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include "core/clock.h"
#include "jobs/bootstrap.h"
#include "jobs/durable_files.h"
#include "jobs/job_service_impl.h"

namespace traind::jobs {
namespace fs = std::filesystem;
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ^[a-z0-9][a-z0-9_-]{0,62}$
bool valid_tenant_id(const std::string& id) {
  if (id.empty() || id.size() > 63 || !lower_alnum(id[0])) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return lower_alnum(c) || c == '_' || c == '-'; });
}

// ^[a-z_][a-z0-9_]{0,62}$, and not one of SQLite's own schema names.
bool valid_schema_name(const std::string& s) {
  if (s.empty() || s.size() > 63 || s == "main" || s == "temp") return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return lower_alnum(c) || c == '_'; });
}

Status bad_schema(const std::string& schema) {
  return Status(
      ErrorCode::kInvalidConfig,
      "data source name \"" + schema +
          "\" is invalid: use lowercase letters, digits and _ (not starting with a digit, at "
          "most 63 characters, not main or temp)");
}

// PATCH bodies may arrive whole ({"limits": {...}}) or as the limits object itself.
const nlohmann::json& limits_object(const nlohmann::json& body) {
  if (body.is_object() && body.size() == 1 && body.contains("limits")) return body["limits"];
  return body;
}

}  // namespace

Status require_admin(const Caller& caller) {
  if (!caller.is_admin()) return Status(ErrorCode::kForbidden, "admin key required");
  return Status::ok();
}

Result<TenantRecord> JobServiceImpl::existing_tenant(const std::string& tenant_id) {
  auto t = store_->get_tenant(tenant_id);
  if (!t) return Status(ErrorCode::kNotFound, "no tenant \"" + tenant_id + "\"");
  return *t;
}

nlohmann::json JobServiceImpl::tenant_json(const TenantRecord& tenant) {
  return {{"tenant_id", tenant.tenant_id},
          {"limits", tenant.limits.to_json()},
          {"created_at", format_rfc3339(tenant.created_at_ms)},
          {"running_jobs", store_->count_jobs(tenant.tenant_id, JobStatus::kRunning)},
          {"queued_jobs", store_->count_jobs(tenant.tenant_id, JobStatus::kQueued)}};
}

Result<nlohmann::json> JobServiceImpl::create_tenant(const Caller& caller,
                                                     const std::string& tenant_id,
                                                     const nlohmann::json& limits) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  if (!valid_tenant_id(tenant_id)) {
    return Status(ErrorCode::kInvalidConfig, "tenant_id \"" + tenant_id + "\" is invalid",
                  {{"/tenant_id", "must match ^[a-z0-9][a-z0-9_-]{0,62}$"}});
  }
  TenantLimits l;
  const nlohmann::json& patch = limits_object(limits);
  if (!patch.is_null()) TRAIND_RETURN_IF_ERROR(l.apply_patch(patch, "/limits"));
  TRAIND_RETURN_IF_ERROR(store_->create_tenant(tenant_id, l));
  TRAIND_RETURN_IF_ERROR(make_private_dir(options_.data_dir + "/tenants/" + tenant_id));
  std::string key_id;
  auto token = add_new_key(*store_, tenant_id, &key_id);
  if (!token) return token.status();
  spdlog::info("tenant {} created with key {}", tenant_id, key_id);
  return nlohmann::json{
      {"tenant_id", tenant_id}, {"api_key", *token}, {"key_id", key_id}, {"limits", l.to_json()}};
}

Result<nlohmann::json> JobServiceImpl::list_tenants(const Caller& caller) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  nlohmann::json tenants = nlohmann::json::array();
  for (const auto& t : store_->list_tenants()) tenants.push_back(tenant_json(t));
  return nlohmann::json{{"tenants", tenants}};
}

Result<nlohmann::json> JobServiceImpl::get_tenant(const Caller& caller,
                                                  const std::string& tenant_id) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  return tenant_json(*t);
}

Result<nlohmann::json> JobServiceImpl::patch_tenant(const Caller& caller,
                                                    const std::string& tenant_id,
                                                    const nlohmann::json& limits) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  TRAIND_RETURN_IF_ERROR(t->limits.apply_patch(limits_object(limits), "/limits"));
  TRAIND_RETURN_IF_ERROR(store_->set_tenant_limits(tenant_id, t->limits));
  spdlog::info("tenant {}: limits now {}", tenant_id, t->limits.to_json().dump());
  scheduler_->poke();  // a higher concurrency limit may let queued jobs start
  return tenant_json(*t);
}

Result<nlohmann::json> JobServiceImpl::create_key(const Caller& caller,
                                                  const std::string& tenant_id) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  std::string key_id;
  auto token = add_new_key(*store_, tenant_id, &key_id);
  if (!token) return token.status();
  spdlog::info("tenant {}: key {} created", tenant_id, key_id);
  return nlohmann::json{{"tenant_id", tenant_id}, {"key_id", key_id}, {"api_key", *token}};
}

Status JobServiceImpl::delete_key(const Caller& caller, const std::string& tenant_id,
                                  const std::string& key_id) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  TRAIND_RETURN_IF_ERROR(store_->revoke_key(tenant_id, key_id));
  spdlog::info("tenant {}: key {} revoked", tenant_id, key_id);
  return Status::ok();
}

Status JobServiceImpl::put_datasource(const Caller& caller, const std::string& tenant_id,
                                      const std::string& schema, const nlohmann::json& body) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  if (!valid_schema_name(schema)) return bad_schema(schema);
  if (!body.is_object()) {
    return Status(ErrorCode::kInvalidConfig, "the data source must be a JSON object",
                  {{"", "must be an object"}});
  }
  std::vector<ErrorDetail> problems;
  data::AttachedDatabase db;
  db.schema = schema;
  db.type =
      body.contains("type") && body["type"].is_string() ? body["type"].get<std::string>() : "";
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "type" && it.key() != "path" && it.key() != "dsn") {
      problems.push_back({"/" + it.key(), "unknown field; allowed: type, path, dsn"});
    }
  }
  if (db.type == "sqlite") {
    if (!body.contains("path") || !body["path"].is_string()) {
      problems.push_back({"/path", "required: the absolute path of the SQLite database file"});
    } else {
      db.path = body["path"].get<std::string>();
      std::error_code ec;
      if (db.path.empty() || db.path[0] != '/') {
        problems.push_back({"/path", "must be an absolute path"});
      } else if (!fs::is_regular_file(db.path, ec) || ::access(db.path.c_str(), R_OK) != 0) {
        problems.push_back({"/path", "no readable file at " + db.path});
      }
    }
    if (body.contains("dsn")) problems.push_back({"/dsn", "only for type postgresql"});
  } else if (db.type == "postgresql") {
    if (!body.contains("dsn") || !body["dsn"].is_string() ||
        body["dsn"].get<std::string>().empty()) {
      problems.push_back({"/dsn", "required: a PostgreSQL connection string"});
    } else {
      db.dsn = body["dsn"].get<std::string>();
    }
    if (body.contains("path")) problems.push_back({"/path", "only for type sqlite"});
  } else {
    problems.push_back({"/type", "must be \"sqlite\" or \"postgresql\""});
  }
  if (!problems.empty()) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("the data source has {} problem(s); see details", problems.size()),
                  std::move(problems));
  }
  TRAIND_RETURN_IF_ERROR(store_->put_datasource(tenant_id, db));
  // Never log the dsn: it may carry a password.
  spdlog::info("tenant {}: data source {} registered ({}{})", tenant_id, schema, db.type,
               db.type == "sqlite" ? " " + db.path : "");
  return Status::ok();
}

Result<nlohmann::json> JobServiceImpl::list_datasources(const Caller& caller,
                                                        const std::string& tenant_id) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& db : store_->datasources(tenant_id)) {
    nlohmann::json item = {{"schema", db.schema}, {"type", db.type}};
    if (db.type == "sqlite") item["path"] = db.path;
    list.push_back(item);  // a dsn is a secret: never echoed
  }
  return nlohmann::json{{"tenant_id", tenant_id}, {"datasources", list}};
}

Status JobServiceImpl::delete_datasource(const Caller& caller, const std::string& tenant_id,
                                         const std::string& schema) {
  TRAIND_RETURN_IF_ERROR(require_admin(caller));
  auto t = existing_tenant(tenant_id);
  if (!t) return t.status();
  if (!valid_schema_name(schema)) return bad_schema(schema);
  TRAIND_RETURN_IF_ERROR(store_->delete_datasource(tenant_id, schema));
  spdlog::info("tenant {}: data source {} removed", tenant_id, schema);
  return Status::ok();
}

}  // namespace traind::jobs
