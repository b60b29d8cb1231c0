// MetadataStore: the service's durable state (tenants, keys, data sources, jobs, models)
// in one SQLite database in WAL mode with synchronous=FULL, so that a change is on disk
// before the call that made it returns. Thread-safe: one connection behind a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/sql_source.h"
#include "jobs/job_record.h"
#include "jobs/tenant_limits.h"

struct sqlite3;

namespace traind::jobs {

struct ApiKeyRecord {
  std::string key_id;
  std::string tenant_id;  // "" for an admin key
  std::string secret_hash;
  bool revoked = false;
};

struct ModelRecord {
  std::string model_id;
  std::string tenant_id;
  std::string job_id;
  std::string algorithm;
  std::string format;
  std::string dir;   // model bundle directory
  std::string file;  // native artifact file name inside dir
  int64_t size_bytes = 0;
  std::string sha256;
  nlohmann::json feature_schema;
  int64_t created_at_ms = 0;
  nlohmann::json to_json() const;
};

struct TenantRecord {
  std::string tenant_id;
  TenantLimits limits;
  int64_t created_at_ms = 0;
};

struct JobFilter {
  std::string tenant_id;            // "" = every tenant (admin)
  std::vector<JobStatus> statuses;  // empty = any
  std::string algorithm;
  std::string name;
  int limit = 50;
  int64_t before_seq = 0;  // page token: only jobs with seq < this (0 = none)
};

class MetadataStore {
 public:
  static Result<std::unique_ptr<MetadataStore>> open(const std::string& path);
  ~MetadataStore();

  // Tenants.
  Status create_tenant(const std::string& tenant_id, const TenantLimits& limits);
  Result<TenantLimits> tenant_limits(const std::string& tenant_id);
  Status set_tenant_limits(const std::string& tenant_id, const TenantLimits& limits);
  std::vector<TenantRecord> list_tenants();
  std::optional<TenantRecord> get_tenant(const std::string& tenant_id);

  // API keys (only hashes are stored).
  Status add_key(const ApiKeyRecord& key);
  std::optional<ApiKeyRecord> find_key(const std::string& key_id);
  Status revoke_key(const std::string& tenant_id, const std::string& key_id);
  bool has_admin_key();

  // Tenant data sources.
  Status put_datasource(const std::string& tenant_id, const data::AttachedDatabase& db);
  std::vector<data::AttachedDatabase> datasources(const std::string& tenant_id);
  Status delete_datasource(const std::string& tenant_id, const std::string& schema);

  // Jobs.
  Status insert_job(JobRecord& job);  // fills seq
  std::optional<JobRecord> get_job(const std::string& job_id);
  std::optional<JobRecord> find_job_by_idempotency_key(const std::string& tenant_id,
                                                       const std::string& key);
  std::vector<JobRecord> list_jobs(const JobFilter& filter);
  std::vector<JobRecord> jobs_with_status(JobStatus status);  // oldest first
  int count_jobs(const std::string& tenant_id, JobStatus status);
  // Jobs per status over every tenant ("" = every tenant) or one.
  std::map<JobStatus, int> count_jobs_by_status(const std::string& tenant_id);
  // Moves a job from `from` to `to` and applies the given fields; false when the job is
  // no longer in `from` (someone else moved it first). Moving back to kQueued (a restart
  // re-queues the job) clears started_at, finished_at, the worker and the progress;
  // moving to a terminal state sets finished_at.
  bool transition(const std::string& job_id, JobStatus from, JobStatus to, int64_t at_ms,
                  const nlohmann::json& error = nullptr, int64_t worker_pid = 0);
  // Completes a running job with its result and model in one transaction.
  bool complete(const std::string& job_id, const nlohmann::json& result, const ModelRecord& model,
                int64_t at_ms);
  void set_progress(const std::string& job_id, const nlohmann::json& progress);

  // Models.
  std::optional<ModelRecord> get_model(const std::string& model_id);

  bool healthy();

 private:
  explicit MetadataStore(sqlite3* db) : db_(db) {}
  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace traind::jobs
