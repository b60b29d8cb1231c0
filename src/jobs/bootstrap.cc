#include "jobs/bootstrap.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/clock.h"
#include "data/demo_data.h"
#include "jobs/api_key.h"
#include "jobs/durable_files.h"

namespace traind::jobs {

Status prepare_data_dir(const std::string& data_dir) {
  TRAIND_RETURN_IF_ERROR(make_private_dir(data_dir));
  for (const char* sub : {"jobs", "models", "tenants"}) {
    TRAIND_RETURN_IF_ERROR(make_private_dir(data_dir + "/" + sub));
  }
  return Status::ok();
}

Result<std::string> add_new_key(MetadataStore& store, const std::string& tenant_id,
                                std::string* key_id) {
  IssuedKey key = issue_key();
  TRAIND_RETURN_IF_ERROR(store.add_key({key.key_id, tenant_id, key.secret_hash, false}));
  if (key_id) *key_id = key.key_id;
  return key.token;
}

Status bootstrap(MetadataStore& store, const JobServiceOptions& options, BootstrapReport* report) {
  const std::string& dir = options.data_dir;
  if (!store.has_admin_key()) {
    auto token = add_new_key(store, "", nullptr);
    if (!token) return token.status();
    TRAIND_RETURN_IF_ERROR(write_private_file(dir + "/admin.key", *token + "\n"));
    spdlog::info("created the admin key (written to {}/admin.key)", dir);
    if (report) report->admin_key = *token;
  }
  if (options.create_demo_tenant && store.get_tenant(kDemoTenant)) {
    // A data directory from an earlier version keeps its demo tenant; give its database
    // the demo tables added since, so every documented example runs.
    const std::string db_path = dir + "/tenants/" + kDemoTenant + "/" + kDemoSchema + ".db";
    std::error_code ec;
    if (std::filesystem::exists(db_path, ec)) {
      const Status added = data::add_missing_demo_tables(db_path);
      if (!added.is_ok()) spdlog::warn("demo database not upgraded: {}", added.message());
    }
  } else if (options.create_demo_tenant) {
    const std::string tenant_dir = dir + "/tenants/" + kDemoTenant;
    const std::string db_path = tenant_dir + "/" + kDemoSchema + ".db";
    // The data first: a failure here leaves no half-made tenant behind.
    TRAIND_RETURN_IF_ERROR(make_private_dir(tenant_dir));
    TRAIND_RETURN_IF_ERROR(data::write_demo_features_db(db_path));
    TRAIND_RETURN_IF_ERROR(store.create_tenant(kDemoTenant, TenantLimits{}));
    data::AttachedDatabase db;
    db.schema = kDemoSchema;
    db.type = "sqlite";
    db.path = db_path;
    TRAIND_RETURN_IF_ERROR(store.put_datasource(kDemoTenant, db));
    auto token = add_new_key(store, kDemoTenant, nullptr);
    if (!token) return token.status();
    TRAIND_RETURN_IF_ERROR(write_private_file(dir + "/" + kDemoTenant + ".key", *token + "\n"));
    spdlog::info("created the demo tenant {} (key written to {}/{}.key)", kDemoTenant, dir,
                 kDemoTenant);
    if (report) report->demo_tenant_key = *token;
  }
  return Status::ok();
}

void reconcile_running_jobs(MetadataStore& store, Executor& executor, bool requeue) {
  const nlohmann::json error = {{"code", error_code_name(ErrorCode::kServerRestarted)},
                                {"message", "the server restarted while the job was running"}};
  for (const auto& job : store.jobs_with_status(JobStatus::kRunning)) {
    if (executor.alive(job.worker_pid, job.job_id)) {
      // Its events pipe went with the old server; a worker nobody reads is stopped.
      spdlog::warn("job {}: worker {} of an earlier server is still alive; killing it", job.job_id,
                   job.worker_pid);
      executor.stop(job.worker_pid, true);
    }
    bool moved =
        requeue ? store.transition(job.job_id, JobStatus::kRunning, JobStatus::kQueued, now_ms())
                : store.transition(job.job_id, JobStatus::kRunning, JobStatus::kFailed, now_ms(),
                                   error, job.worker_pid);
    if (moved) {
      spdlog::warn("job {}: was running when the server stopped; {}", job.job_id,
                   requeue ? "re-queued" : "failed with SERVER_RESTARTED");
    }
  }
}

}  // namespace traind::jobs
