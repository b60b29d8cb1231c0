// JobService: the one object the HTTP layer talks to about jobs, tenants, keys, data
// sources and models. It owns the metadata store, the per-tenant scheduler (queues and
// limits), the executor and the event hub.
//
// Tenant walls live here: every call that names a job or model takes the caller, and a
// tenant caller asking for another tenant's object gets kNotFound (never revealing that it
// exists). Thread-safe: called from every HTTP thread at once.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/sql_source.h"
#include "jobs/event_hub.h"
#include "jobs/executor.h"
#include "jobs/job_record.h"
#include "jobs/metadata_store.h"
#include "jobs/tenant_limits.h"
#include "tracking/tracking_store.h"
#include "tracking/training_bom.h"

namespace traind::jobs {

// Who is calling: a tenant key or an admin key.
struct Caller {
  std::string tenant_id;  // "" for admin
  std::string key_id;
  bool is_admin() const { return tenant_id.empty(); }
};

struct JobServiceOptions {
  std::string data_dir;            // everything lives under it (see docs/ARCHITECTURE.md)
  std::string worker_binary;       // path of traind-worker
  bool create_demo_tenant = true;  // --no-demo turns it off
  // Grace period between SIGTERM and SIGKILL when a job is cancelled or times out.
  int stop_grace_ms = 3000;
  // How a job found running at start-up whose worker is gone ends: failed with
  // SERVER_RESTARTED (default) or back in the queue.
  bool requeue_on_restart = false;
  // Keep one worker process started ahead of need (the worker binary must support
  // --standby; traind-worker does).
  bool standby_worker = false;
  // When set, every job's run is also logged on this MLflow tracking server once the job
  // ends (params, metric history, tags, artifacts), with this bearer token.
  std::string mlflow_export_uri;
  std::string mlflow_export_token;
};

// list()'s opaque page token: the position after the last job of a page. The HTTP layer
// decodes a request's page_token into JobFilter::before_seq with decode_page_token, which
// refuses (kInvalidConfig) a token that list() did not make.
std::string encode_page_token(int64_t before_seq);
Result<int64_t> decode_page_token(const std::string& token);

// What start-up created and must be shown once (the keys are never shown again).
struct BootstrapReport {
  std::string admin_key;        // "" when it already existed
  std::string demo_tenant_key;  // "" when the demo tenant already existed or --no-demo
};

class JobService {
 public:
  // Opens (or creates) the data directory, the metadata store, creates the admin key and
  // demo tenant on first start, reconciles jobs left running by an earlier server, and
  // starts the scheduler.
  static Result<std::unique_ptr<JobService>> open(const JobServiceOptions& options,
                                                  BootstrapReport* report);
  virtual ~JobService() = default;

  // Authentication: the caller for a bearer token, or kUnauthenticated.
  virtual Result<Caller> authenticate(const std::string& bearer_token) = 0;

  // The tenant's registered data sources, for validation against the data.
  virtual std::vector<data::AttachedDatabase> datasources(const std::string& tenant_id) = 0;
  // The query deadline and size limit that apply to this tenant's validation queries.
  virtual data::QueryLimits validation_limits(const std::string& tenant_id) = 0;

  // Jobs. `resolved_config` has passed both validation layers; its dataset.tenant_id is
  // the job's tenant. kQuotaExceeded when the tenant's queue is full.
  virtual Result<JobRecord> submit(const Caller& caller, const nlohmann::json& resolved_config,
                                   const std::string& idempotency_key) = 0;
  virtual Result<JobRecord> get(const Caller& caller, const std::string& job_id) = 0;
  // A queued job is cancelled at once; a running one is marked cancelled at once (durably,
  // and the answer shows it) while its worker is stopped in the background (SIGTERM, then
  // SIGKILL after stop_grace_ms). kConflict for a job that already finished.
  virtual Result<JobRecord> cancel(const Caller& caller, const std::string& job_id) = 0;
  // filter.tenant_id is forced to the caller's tenant for a tenant caller.
  // Returns the jobs and the next page token ("" when no more).
  virtual Result<std::pair<std::vector<JobRecord>, std::string>> list(const Caller& caller,
                                                                      JobFilter filter) = 0;
  // Live events of a job the caller may see: the first event queued is a snapshot.
  virtual Result<std::shared_ptr<Subscription>> subscribe(const Caller& caller,
                                                          const std::string& job_id) = 0;
  virtual void unsubscribe(const std::string& job_id, const std::shared_ptr<Subscription>& sub) = 0;
  // Live status and progress of every job of a tenant (the caller's own; the admin names
  // one), for a live jobs list. Never ends.
  virtual Result<std::shared_ptr<Subscription>> subscribe_tenant(const Caller& caller,
                                                                 const std::string& tenant_id) = 0;
  virtual void unsubscribe_tenant(const std::string& tenant_id,
                                  const std::shared_ptr<Subscription>& sub) = 0;
  // The end of a job's worker log (at most `max_bytes`, cut at a line start), "" when the
  // job has not started.
  virtual Result<std::string> job_log(const Caller& caller, const std::string& job_id,
                                      size_t max_bytes) = 0;

  // The tables and views the tenant's SQL can read, with their columns:
  // {"tables": [{"schema", "table", "name", "columns": [{"name", "declared_type"}]}]}.
  virtual Result<nlohmann::json> datasets(const Caller& caller, const std::string& tenant_id) = 0;

  // Models.
  virtual Result<ModelRecord> model(const Caller& caller, const std::string& model_id) = 0;

  // Tracking: the Training BOM of a job that ended (kConflict while queued or running),
  // and the MLflow-style experiments and runs in which every job is a run.
  virtual Result<tracking::TrainingBom> job_bom(const Caller& caller,
                                                const std::string& job_id) = 0;
  virtual tracking::TrackingStore& tracking() = 0;
  // A job's run as of the job's current status (runs move when the job's events are
  // handled, a moment after the job's record): call before showing a job run that is not
  // finished. Nothing for runs that are not the tenant's jobs.
  virtual void settle_job_run(const std::string& tenant_id, const std::string& run_id) = 0;

  // Admin: tenants, keys, data sources. kForbidden for a tenant caller.
  // create_tenant answers {"tenant_id", "api_key", "key_id", "limits"}.
  virtual Result<nlohmann::json> create_tenant(const Caller& caller, const std::string& tenant_id,
                                               const nlohmann::json& limits) = 0;
  virtual Result<nlohmann::json> list_tenants(const Caller& caller) = 0;
  virtual Result<nlohmann::json> get_tenant(const Caller& caller, const std::string& tenant_id) = 0;
  virtual Result<nlohmann::json> patch_tenant(const Caller& caller, const std::string& tenant_id,
                                              const nlohmann::json& limits) = 0;
  virtual Result<nlohmann::json> create_key(const Caller& caller, const std::string& tenant_id) = 0;
  virtual Status delete_key(const Caller& caller, const std::string& tenant_id,
                            const std::string& key_id) = 0;
  virtual Status put_datasource(const Caller& caller, const std::string& tenant_id,
                                const std::string& schema, const nlohmann::json& body) = 0;
  virtual Result<nlohmann::json> list_datasources(const Caller& caller,
                                                  const std::string& tenant_id) = 0;
  virtual Status delete_datasource(const Caller& caller, const std::string& tenant_id,
                                   const std::string& schema) = 0;

  // Operations.
  virtual bool ready() = 0;  // stores reachable and executor working
  // {"store": "ok", "tracking": "ok", "executor": "local", "worker": "ok",
  //  "memory_enforcement": "rlimit"}
  virtual nlohmann::json readiness() = 0;
  virtual std::string
  prometheus_metrics() = 0;  // jobs by status, queue length (the API layer appends its own)
  // Stops the scheduler; running workers are left to finish or are reconciled next start.
  virtual void shutdown() = 0;
};

}  // namespace traind::jobs
