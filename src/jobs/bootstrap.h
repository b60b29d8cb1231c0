// Start-up of the job service: the data directory, the first-start keys and demo tenant,
// and reconciliation of jobs that an earlier server left running.
#pragma once

#include <string>

#include "core/status.h"
#include "jobs/executor.h"
#include "jobs/job_service.h"
#include "jobs/metadata_store.h"

namespace traind::jobs {

constexpr const char* kDemoTenant = "acme-corp";
constexpr const char* kDemoSchema = "ml_features";

// Creates DIR and DIR/{jobs,models,tenants}, all mode 0700.
Status prepare_data_dir(const std::string& data_dir);

// Issues a key for `tenant_id` ("" = admin), stores its hash and returns the token.
Result<std::string> add_new_key(MetadataStore& store, const std::string& tenant_id,
                                std::string* key_id);

// First start: the admin key (DIR/admin.key) and, when asked, the demo tenant with its key
// (DIR/acme-corp.key) and its "ml_features" database. Later starts create nothing. The
// new tokens are reported once in `report`.
Status bootstrap(MetadataStore& store, const JobServiceOptions& options, BootstrapReport* report);

// Jobs the store says are running belong to an earlier server: their pipes are gone, so
// their workers cannot be supervised. A worker still alive is killed; each such job is
// failed with SERVER_RESTARTED, or re-queued when `requeue` is set.
void reconcile_running_jobs(MetadataStore& store, Executor& executor, bool requeue);

}  // namespace traind::jobs
