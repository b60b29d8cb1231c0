#include "jobs/metadata_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/clock.h"
#include "core/sqlite_statement.h"

namespace traind::jobs {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tenants (
  tenant_id TEXT PRIMARY KEY, limits TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  key_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, secret_hash TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS datasources (
  tenant_id TEXT NOT NULL, schema_name TEXT NOT NULL, type TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '', dsn TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, schema_name));
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT UNIQUE NOT NULL, tenant_id TEXT NOT NULL,
  name TEXT NOT NULL, algorithm TEXT NOT NULL, task_type TEXT NOT NULL, status TEXT NOT NULL,
  config TEXT NOT NULL, resources TEXT NOT NULL, progress TEXT, error TEXT, result TEXT,
  idempotency_key TEXT, model_artifact_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0, worker_pid INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS jobs_by_tenant ON jobs (tenant_id, seq);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, seq);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_by_idempotency ON jobs (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS models (
  model_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, job_id TEXT NOT NULL,
  algorithm TEXT NOT NULL, format TEXT NOT NULL, dir TEXT NOT NULL, file TEXT NOT NULL,
  size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, feature_schema TEXT NOT NULL,
  created_at INTEGER NOT NULL);
)sql";

using Statement = SqliteStatement;

constexpr const char* kJobColumns =
    "job_id, tenant_id, name, algorithm, task_type, status, config, resources, progress, error, "
    "result, idempotency_key, model_artifact_id, created_at, started_at, finished_at, worker_pid, "
    "seq";

JobRecord read_job(const Statement& s) {
  JobRecord j;
  j.job_id = s.text(0);
  j.tenant_id = s.text(1);
  j.name = s.text(2);
  j.algorithm = s.text(3);
  j.task_type = s.text(4);
  j.status = job_status_from_name(s.text(5)).value_or(JobStatus::kFailed);
  j.config = s.json(6);
  j.resources = s.json(7);
  j.progress = s.json(8);
  j.error = s.json(9);
  j.result = s.json(10);
  j.idempotency_key = s.text(11);
  j.model_artifact_id = s.text(12);
  j.created_at_ms = s.integer(13);
  j.started_at_ms = s.integer(14);
  j.finished_at_ms = s.integer(15);
  j.worker_pid = s.integer(16);
  j.seq = s.integer(17);
  return j;
}

TenantLimits limits_from_json(const nlohmann::json& j) {
  TenantLimits limits;
  if (j.is_object()) (void)limits.apply_patch(j, "");
  return limits;
}

Status internal(const std::string& what, const std::string& detail) {
  return Status(ErrorCode::kInternal, what + ": " + detail);
}

}  // namespace

nlohmann::json ModelRecord::to_json() const {
  return {{"model_artifact_id", model_id},
          {"tenant_id", tenant_id},
          {"job_id", job_id},
          {"algorithm", algorithm},
          {"format", format},
          {"file_name", file},
          {"size_bytes", size_bytes},
          {"sha256", sha256},
          {"feature_schema", feature_schema},
          {"created_at", format_rfc3339(created_at_ms)}};
}

Result<std::unique_ptr<MetadataStore>> MetadataStore::open(const std::string& path) {
  // FULL: a status change is on disk before the request that made it is answered.
  TRAIND_ASSIGN_OR_RETURN(db, open_sqlite_store(path, "FULL", kSchema));
  return std::unique_ptr<MetadataStore>(new MetadataStore(db));
}

MetadataStore::~MetadataStore() { sqlite3_close(db_); }

bool MetadataStore::healthy() {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT count(*) FROM tenants");
  return s.step() == SQLITE_ROW;
}

Status MetadataStore::create_tenant(const std::string& tenant_id, const TenantLimits& limits) {
  std::lock_guard lock(mu_);
  Statement s(db_, "INSERT INTO tenants (tenant_id, limits, created_at) VALUES (?, ?, ?)");
  s.bind(tenant_id).bind(limits.to_json().dump()).bind(now_ms());
  int rc = s.step();
  if (rc == SQLITE_CONSTRAINT) {
    return Status(ErrorCode::kConflict, "tenant \"" + tenant_id + "\" already exists");
  }
  if (rc != SQLITE_DONE) return internal("create tenant", s.error());
  return Status::ok();
}

Result<TenantLimits> MetadataStore::tenant_limits(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT limits FROM tenants WHERE tenant_id = ?");
  s.bind(tenant_id);
  if (s.step() != SQLITE_ROW) {
    return Status(ErrorCode::kNotFound, "no tenant \"" + tenant_id + "\"");
  }
  return limits_from_json(s.json(0));
}

Status MetadataStore::set_tenant_limits(const std::string& tenant_id, const TenantLimits& limits) {
  std::lock_guard lock(mu_);
  Statement s(db_, "UPDATE tenants SET limits = ? WHERE tenant_id = ?");
  s.bind(limits.to_json().dump()).bind(tenant_id);
  if (s.step() != SQLITE_DONE) return internal("update tenant", s.error());
  if (sqlite3_changes(db_) == 0)
    return Status(ErrorCode::kNotFound, "no tenant \"" + tenant_id + "\"");
  return Status::ok();
}

std::vector<TenantRecord> MetadataStore::list_tenants() {
  std::lock_guard lock(mu_);
  std::vector<TenantRecord> out;
  Statement s(db_, "SELECT tenant_id, limits, created_at FROM tenants ORDER BY tenant_id");
  while (s.step() == SQLITE_ROW)
    out.push_back({s.text(0), limits_from_json(s.json(1)), s.integer(2)});
  return out;
}

std::optional<TenantRecord> MetadataStore::get_tenant(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT tenant_id, limits, created_at FROM tenants WHERE tenant_id = ?");
  s.bind(tenant_id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return TenantRecord{s.text(0), limits_from_json(s.json(1)), s.integer(2)};
}

Status MetadataStore::add_key(const ApiKeyRecord& key) {
  std::lock_guard lock(mu_);
  Statement s(db_,
              "INSERT INTO api_keys (key_id, tenant_id, secret_hash, revoked, created_at) "
              "VALUES (?, ?, ?, 0, ?)");
  s.bind(key.key_id).bind(key.tenant_id).bind(key.secret_hash).bind(now_ms());
  if (s.step() != SQLITE_DONE) return internal("add key", s.error());
  return Status::ok();
}

std::optional<ApiKeyRecord> MetadataStore::find_key(const std::string& key_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT key_id, tenant_id, secret_hash, revoked FROM api_keys WHERE key_id = ?");
  s.bind(key_id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return ApiKeyRecord{s.text(0), s.text(1), s.text(2), s.integer(3) != 0};
}

Status MetadataStore::revoke_key(const std::string& tenant_id, const std::string& key_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, "UPDATE api_keys SET revoked = 1 WHERE key_id = ? AND tenant_id = ?");
  s.bind(key_id).bind(tenant_id);
  if (s.step() != SQLITE_DONE) return internal("revoke key", s.error());
  if (sqlite3_changes(db_) == 0)
    return Status(ErrorCode::kNotFound, "no key \"" + key_id + "\" for this tenant");
  return Status::ok();
}

bool MetadataStore::has_admin_key() {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT 1 FROM api_keys WHERE tenant_id = '' AND revoked = 0 LIMIT 1");
  return s.step() == SQLITE_ROW;
}

Status MetadataStore::put_datasource(const std::string& tenant_id,
                                     const data::AttachedDatabase& db) {
  std::lock_guard lock(mu_);
  Statement s(
      db_,
      "INSERT INTO datasources (tenant_id, schema_name, type, path, dsn) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (tenant_id, schema_name) DO UPDATE SET type = excluded.type, "
      "path = excluded.path, dsn = excluded.dsn");
  s.bind(tenant_id).bind(db.schema).bind(db.type).bind(db.path).bind(db.dsn);
  if (s.step() != SQLITE_DONE) return internal("put datasource", s.error());
  return Status::ok();
}

std::vector<data::AttachedDatabase> MetadataStore::datasources(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  std::vector<data::AttachedDatabase> out;
  Statement s(db_,
              "SELECT schema_name, type, path, dsn FROM datasources WHERE tenant_id = ? "
              "ORDER BY schema_name");
  s.bind(tenant_id);
  while (s.step() == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

Status MetadataStore::delete_datasource(const std::string& tenant_id, const std::string& schema) {
  std::lock_guard lock(mu_);
  Statement s(db_, "DELETE FROM datasources WHERE tenant_id = ? AND schema_name = ?");
  s.bind(tenant_id).bind(schema);
  if (s.step() != SQLITE_DONE) return internal("delete datasource", s.error());
  if (sqlite3_changes(db_) == 0) {
    return Status(ErrorCode::kNotFound, "no data source \"" + schema + "\" for this tenant");
  }
  return Status::ok();
}

Status MetadataStore::insert_job(JobRecord& job) {
  std::lock_guard lock(mu_);
  Statement s(db_,
              "INSERT INTO jobs (job_id, tenant_id, name, algorithm, task_type, status, config, "
              "resources, progress, idempotency_key, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(job.job_id).bind(job.tenant_id).bind(job.name).bind(job.algorithm).bind(job.task_type);
  s.bind(job_status_name(job.status)).bind(job.config.dump()).bind(job.resources.dump());
  s.bind_json(job.progress);
  if (job.idempotency_key.empty())
    s.bind_null();
  else
    s.bind(job.idempotency_key);
  s.bind(job.created_at_ms);
  int rc = s.step();
  if (rc == SQLITE_CONSTRAINT)
    return Status(ErrorCode::kConflict, "a job with this idempotency key exists");
  if (rc != SQLITE_DONE) return internal("insert job", s.error());
  job.seq = sqlite3_last_insert_rowid(db_);
  return Status::ok();
}

std::optional<JobRecord> MetadataStore::get_job(const std::string& job_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, fmt::format("SELECT {} FROM jobs WHERE job_id = ?", kJobColumns).c_str());
  s.bind(job_id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return read_job(s);
}

std::optional<JobRecord> MetadataStore::find_job_by_idempotency_key(const std::string& tenant_id,
                                                                    const std::string& key) {
  std::lock_guard lock(mu_);
  Statement s(db_, fmt::format("SELECT {} FROM jobs WHERE tenant_id = ? AND idempotency_key = ?",
                               kJobColumns)
                       .c_str());
  s.bind(tenant_id).bind(key);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return read_job(s);
}

std::vector<JobRecord> MetadataStore::list_jobs(const JobFilter& f) {
  std::string sql = fmt::format("SELECT {} FROM jobs WHERE 1=1", kJobColumns);
  if (!f.tenant_id.empty()) sql += " AND tenant_id = ?";
  if (!f.statuses.empty()) {
    sql += " AND status IN (";
    for (size_t i = 0; i < f.statuses.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
  }
  if (!f.algorithm.empty()) sql += " AND algorithm = ?";
  if (!f.name.empty()) sql += " AND name = ?";
  if (f.before_seq > 0) sql += " AND seq < ?";
  sql += " ORDER BY seq DESC LIMIT ?";
  std::lock_guard lock(mu_);
  Statement s(db_, sql.c_str());
  if (!f.tenant_id.empty()) s.bind(f.tenant_id);
  for (auto st : f.statuses) s.bind(job_status_name(st));
  if (!f.algorithm.empty()) s.bind(f.algorithm);
  if (!f.name.empty()) s.bind(f.name);
  if (f.before_seq > 0) s.bind(f.before_seq);
  s.bind(f.limit);
  std::vector<JobRecord> out;
  while (s.step() == SQLITE_ROW) out.push_back(read_job(s));
  return out;
}

std::vector<JobRecord> MetadataStore::jobs_with_status(JobStatus status) {
  std::lock_guard lock(mu_);
  Statement s(
      db_, fmt::format("SELECT {} FROM jobs WHERE status = ? ORDER BY seq", kJobColumns).c_str());
  s.bind(job_status_name(status));
  std::vector<JobRecord> out;
  while (s.step() == SQLITE_ROW) out.push_back(read_job(s));
  return out;
}

int MetadataStore::count_jobs(const std::string& tenant_id, JobStatus status) {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status = ?");
  s.bind(tenant_id).bind(job_status_name(status));
  return s.step() == SQLITE_ROW ? static_cast<int>(s.integer(0)) : 0;
}

std::map<JobStatus, int> MetadataStore::count_jobs_by_status(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  std::map<JobStatus, int> out;
  for (auto st : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kCompleted,
                  JobStatus::kFailed, JobStatus::kCancelled}) {
    out[st] = 0;
  }
  Statement s(db_, tenant_id.empty()
                       ? "SELECT status, count(*) FROM jobs GROUP BY status"
                       : "SELECT status, count(*) FROM jobs WHERE tenant_id = ? GROUP BY status");
  if (!tenant_id.empty()) s.bind(tenant_id);
  while (s.step() == SQLITE_ROW) {
    if (auto st = job_status_from_name(s.text(0))) out[*st] = static_cast<int>(s.integer(1));
  }
  return out;
}

bool MetadataStore::transition(const std::string& job_id, JobStatus from, JobStatus to,
                               int64_t at_ms, const nlohmann::json& error, int64_t worker_pid) {
  std::lock_guard lock(mu_);
  const char* sql = nullptr;
  if (to == JobStatus::kRunning) {
    sql =
        "UPDATE jobs SET status = ?, started_at = ?, worker_pid = ?, error = ? "
        "WHERE job_id = ? AND status = ?";
  } else if (to == JobStatus::kQueued) {
    // ?2 (the time) is unused: a re-queued job has not started yet.
    sql =
        "UPDATE jobs SET status = ?1, started_at = 0 * ?2, finished_at = 0, worker_pid = ?3, "
        "error = ?4, progress = NULL WHERE job_id = ?5 AND status = ?6";
  } else {
    sql =
        "UPDATE jobs SET status = ?, finished_at = ?, worker_pid = ?, error = ? "
        "WHERE job_id = ? AND status = ?";
  }
  Statement s(db_, sql);
  s.bind(job_status_name(to)).bind(at_ms).bind(worker_pid).bind_json(error).bind(job_id);
  s.bind(job_status_name(from));
  return s.step() == SQLITE_DONE && sqlite3_changes(db_) == 1;
}

bool MetadataStore::complete(const std::string& job_id, const nlohmann::json& result,
                             const ModelRecord& model, int64_t at_ms) {
  std::lock_guard lock(mu_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  Statement m(db_,
              "INSERT INTO models (model_id, tenant_id, job_id, algorithm, format, dir, file, "
              "size_bytes, sha256, feature_schema, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  m.bind(model.model_id).bind(model.tenant_id).bind(model.job_id).bind(model.algorithm);
  m.bind(model.format).bind(model.dir).bind(model.file).bind(model.size_bytes).bind(model.sha256);
  m.bind(model.feature_schema.dump()).bind(model.created_at_ms);
  Statement j(db_,
              "UPDATE jobs SET status = 'completed', finished_at = ?, result = ?, "
              "model_artifact_id = ?, worker_pid = 0 WHERE job_id = ? AND status = 'running'");
  j.bind(at_ms).bind(result.dump()).bind(model.model_id).bind(job_id);
  bool ok = m.step() == SQLITE_DONE && j.step() == SQLITE_DONE && sqlite3_changes(db_) == 1;
  sqlite3_exec(db_, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
  return ok;
}

void MetadataStore::set_progress(const std::string& job_id, const nlohmann::json& progress) {
  std::lock_guard lock(mu_);
  Statement s(db_, "UPDATE jobs SET progress = ? WHERE job_id = ?");
  s.bind(progress.dump()).bind(job_id);
  s.step();
}

std::optional<ModelRecord> MetadataStore::get_model(const std::string& model_id) {
  std::lock_guard lock(mu_);
  Statement s(
      db_,
      "SELECT model_id, tenant_id, job_id, algorithm, format, dir, file, size_bytes, sha256, "
      "feature_schema, created_at FROM models WHERE model_id = ?");
  s.bind(model_id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  ModelRecord m;
  m.model_id = s.text(0);
  m.tenant_id = s.text(1);
  m.job_id = s.text(2);
  m.algorithm = s.text(3);
  m.format = s.text(4);
  m.dir = s.text(5);
  m.file = s.text(6);
  m.size_bytes = s.integer(7);
  m.sha256 = s.text(8);
  m.feature_schema = s.json(9);
  m.created_at_ms = s.integer(10);
  return m;
}

}  // namespace traind::jobs
