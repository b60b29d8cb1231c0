// JobServiceImpl: the JobService of the embedded default (SQLite store, local executor).
// Private to the jobs layer; job_service.cc holds start-up, authentication, jobs and
// operations, job_service_admin.cc the admin calls (tenants, keys, data sources).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "jobs/event_hub.h"
#include "jobs/executor.h"
#include "jobs/job_run_recorder.h"
#include "jobs/job_service.h"
#include "jobs/metadata_store.h"
#include "jobs/run_exporter.h"
#include "jobs/scheduler.h"

namespace traind::jobs {

class JobServiceImpl : public JobService {
 public:
  JobServiceImpl(JobServiceOptions options, std::unique_ptr<MetadataStore> store,
                 std::unique_ptr<tracking::TrackingStore> tracking,
                 std::unique_ptr<Executor> executor);
  ~JobServiceImpl() override;

  void start();

  Result<Caller> authenticate(const std::string& bearer_token) override;
  std::vector<data::AttachedDatabase> datasources(const std::string& tenant_id) override;
  data::QueryLimits validation_limits(const std::string& tenant_id) override;

  Result<JobRecord> submit(const Caller& caller, const nlohmann::json& resolved_config,
                           const std::string& idempotency_key) override;
  Result<JobRecord> get(const Caller& caller, const std::string& job_id) override;
  Result<JobRecord> cancel(const Caller& caller, const std::string& job_id) override;
  Result<std::pair<std::vector<JobRecord>, std::string>> list(const Caller& caller,
                                                              JobFilter filter) override;
  Result<std::shared_ptr<Subscription>> subscribe(const Caller& caller,
                                                  const std::string& job_id) override;
  void unsubscribe(const std::string& job_id, const std::shared_ptr<Subscription>& sub) override;
  Result<std::shared_ptr<Subscription>> subscribe_tenant(const Caller& caller,
                                                         const std::string& tenant_id) override;
  void unsubscribe_tenant(const std::string& tenant_id,
                          const std::shared_ptr<Subscription>& sub) override;
  Result<std::string> job_log(const Caller& caller, const std::string& job_id,
                              size_t max_bytes) override;
  Result<nlohmann::json> datasets(const Caller& caller, const std::string& tenant_id) override;
  Result<ModelRecord> model(const Caller& caller, const std::string& model_id) override;
  Result<tracking::TrainingBom> job_bom(const Caller& caller, const std::string& job_id) override;
  tracking::TrackingStore& tracking() override { return *tracking_; }
  void settle_job_run(const std::string& tenant_id, const std::string& run_id) override;

  Result<nlohmann::json> create_tenant(const Caller& caller, const std::string& tenant_id,
                                       const nlohmann::json& limits) override;
  Result<nlohmann::json> list_tenants(const Caller& caller) override;
  Result<nlohmann::json> get_tenant(const Caller& caller, const std::string& tenant_id) override;
  Result<nlohmann::json> patch_tenant(const Caller& caller, const std::string& tenant_id,
                                      const nlohmann::json& limits) override;
  Result<nlohmann::json> create_key(const Caller& caller, const std::string& tenant_id) override;
  Status delete_key(const Caller& caller, const std::string& tenant_id,
                    const std::string& key_id) override;
  Status put_datasource(const Caller& caller, const std::string& tenant_id,
                        const std::string& schema, const nlohmann::json& body) override;
  Result<nlohmann::json> list_datasources(const Caller& caller,
                                          const std::string& tenant_id) override;
  Status delete_datasource(const Caller& caller, const std::string& tenant_id,
                           const std::string& schema) override;

  bool ready() override;
  nlohmann::json readiness() override;
  std::string prometheus_metrics() override;
  void shutdown() override;

 private:
  // The job if the caller may see it, else kNotFound (never revealing that it exists).
  // The caller's tenant, or for the admin the one named (kInvalidConfig when none is).
  Result<std::string> tenant_of(const Caller& caller, const std::string& tenant_id);
  Result<JobRecord> visible_job(const Caller& caller, const std::string& job_id);
  // The record with the running worker's latest progress, which the store has only once a second.
  JobRecord with_live_progress(JobRecord job);
  Result<TenantRecord> existing_tenant(const std::string& tenant_id);
  nlohmann::json tenant_json(const TenantRecord& tenant);
  bool worker_binary_usable() const;

  JobServiceOptions options_;
  std::unique_ptr<MetadataStore> store_;
  std::unique_ptr<tracking::TrackingStore> tracking_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<JobRunRecorder> recorder_;
  std::unique_ptr<RunExporter> exporter_;  // only with an MLflow export URI
  EventHub hub_;
  // Counting a tenant's queue and inserting a job happen as one step.
  std::mutex submit_mu_;
  // Declared last: destroyed first, while the store, executor and hub it uses still exist.
  std::unique_ptr<Scheduler> scheduler_;
};

// Admin calls answer kForbidden to a tenant caller.
Status require_admin(const Caller& caller);

}  // namespace traind::jobs
