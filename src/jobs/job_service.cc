// JobService: start-up, authentication, jobs and operations. Admin calls are in
// job_service_admin.cc; scheduling and supervision in scheduler.cc.
#include "jobs/job_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/ids.h"
#include "jobs/api_key.h"
#include "jobs/bootstrap.h"
#include "jobs/durable_files.h"
#include "jobs/job_service_impl.h"

namespace traind::jobs {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxListLimit = 500;
// Validation queries (describe, profile) run in the request: they get at most this long.
constexpr int64_t kValidationDeadlineMs = 30000;

std::string string_field(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

Status not_found_job(const std::string& job_id) {
  return Status(ErrorCode::kNotFound, "no training job with id " + job_id);
}

}  // namespace

std::string encode_page_token(int64_t before_seq) {
  static const char* kDigits = "0123456789abcdef";
  std::string plain = "seq:" + std::to_string(before_seq), out;
  for (unsigned char c : plain) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

Result<int64_t> decode_page_token(const std::string& token) {
  Status bad(ErrorCode::kInvalidConfig, "page_token is not a token this server returned",
             {{"page_token", "unknown page token; use next_page_token from the previous page"}});
  if (token.empty() || token.size() % 2 != 0 || token.size() > 64) return bad;
  std::string plain;
  for (size_t i = 0; i < token.size(); i += 2) {
    int v = 0;
    for (char c : token.substr(i, 2)) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return bad;
      v = v * 16 + d;
    }
    plain += static_cast<char>(v);
  }
  if (plain.rfind("seq:", 0) != 0 || plain.size() == 4) return bad;
  int64_t seq = 0;
  for (char c : plain.substr(4)) {
    if (c < '0' || c > '9' || seq > (INT64_MAX - 9) / 10) return bad;
    seq = seq * 10 + (c - '0');
  }
  if (seq <= 0) return bad;
  return seq;
}

Result<std::unique_ptr<JobService>> JobService::open(const JobServiceOptions& requested,
                                                     BootstrapReport* report) {
  try {
    JobServiceOptions options = requested;
    if (options.data_dir.empty()) {
      return Status(ErrorCode::kInvalidConfig, "a data directory is required (--data-dir)");
    }
    // Absolute, so that paths handed to workers and stored for data sources do not depend
    // on the working directory.
    fs::path dir = fs::absolute(options.data_dir).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();
    options.data_dir = dir.string();
    TRAIND_RETURN_IF_ERROR(prepare_data_dir(options.data_dir));
    auto store = MetadataStore::open(options.data_dir + "/traind.db");
    if (!store) return store.status();
    TRAIND_RETURN_IF_ERROR(bootstrap(**store, options, report));
    TRAIND_RETURN_IF_ERROR(make_private_dir(options.data_dir + "/tracking/artifacts"));
    auto tracking = tracking::TrackingStore::open(options.data_dir + "/tracking/tracking.db",
                                                  options.data_dir + "/tracking/artifacts");
    if (!tracking) return tracking.status();
    auto executor = make_local_executor(options.worker_binary, options.standby_worker);
    reconcile_running_jobs(**store, *executor, options.requeue_on_restart);
    auto service = std::make_unique<JobServiceImpl>(
        options, std::move(store).value(), std::move(tracking).value(), std::move(executor));
    service->start();
    spdlog::info("job service open on {} (executor {}, worker {})", options.data_dir, "local",
                 options.worker_binary);
    return std::unique_ptr<JobService>(std::move(service));
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal,
                  std::string("the job service could not start: ") + e.what());
  }
}

JobServiceImpl::JobServiceImpl(JobServiceOptions options, std::unique_ptr<MetadataStore> store,
                               std::unique_ptr<tracking::TrackingStore> tracking,
                               std::unique_ptr<Executor> executor)
    : options_(std::move(options)),
      store_(std::move(store)),
      tracking_(std::move(tracking)),
      executor_(std::move(executor)),
      recorder_(std::make_unique<JobRunRecorder>(*tracking_, *store_)) {
  // Every published event also moves the job's run; the worker's BOM goes to the recorder.
  hub_.set_listener([this](const std::string& job_id, const nlohmann::json& event, bool final) {
    recorder_->on_event(job_id, event, final);
  });
  if (!options_.mlflow_export_uri.empty()) {
    tracking::ExportTarget target;
    target.tracking_uri = options_.mlflow_export_uri;
    target.token = options_.mlflow_export_token;
    exporter_ = std::make_unique<RunExporter>(*tracking_, target);
    recorder_->set_on_finished(
        [this](const JobRecord& job) { exporter_->enqueue(job.tenant_id, job.job_id); });
  }
  SchedulerOptions scheduler_options{options_.data_dir, options_.stop_grace_ms};
  scheduler_options.on_worker_bom = [this](const std::string& job_id, const nlohmann::json& bom) {
    recorder_->worker_bom(job_id, bom);
  };
  scheduler_ = std::make_unique<Scheduler>(*store_, *executor_, hub_, scheduler_options);
}

JobServiceImpl::~JobServiceImpl() { shutdown(); }

void JobServiceImpl::start() {
  recorder_->reconcile();
  if (exporter_) exporter_->reconcile(tracking_->job_runs(true));
  scheduler_->start();
}

void JobServiceImpl::shutdown() {
  scheduler_->shutdown();
  recorder_->shutdown();
  if (exporter_) exporter_->shutdown();
}

Result<Caller> JobServiceImpl::authenticate(const std::string& bearer_token) {
  const Status denied(ErrorCode::kUnauthenticated, "missing or unknown API key");
  auto parsed = parse_key(bearer_token);
  if (!parsed) return denied;
  auto key = store_->find_key(parsed->key_id);
  if (!key || key->revoked || !constant_time_equals(sha256_hex(parsed->secret), key->secret_hash)) {
    return denied;
  }
  return Caller{key->tenant_id, key->key_id};
}

std::vector<data::AttachedDatabase> JobServiceImpl::datasources(const std::string& tenant_id) {
  return store_->datasources(tenant_id);
}

data::QueryLimits JobServiceImpl::validation_limits(const std::string& tenant_id) {
  auto limits = store_->tenant_limits(tenant_id);
  TenantLimits l = limits ? *limits : TenantLimits{};
  data::QueryLimits q;
  q.deadline =
      std::chrono::milliseconds(std::min(l.max_duration_seconds * 1000, kValidationDeadlineMs));
  q.max_bytes = static_cast<uint64_t>(l.max_dataset_bytes);
  return q;
}

Result<JobRecord> JobServiceImpl::submit(const Caller& caller,
                                         const nlohmann::json& resolved_config,
                                         const std::string& idempotency_key) {
  if (!resolved_config.is_object()) {
    return Status(ErrorCode::kInvalidConfig, "the training configuration must be an object",
                  {{"", "must be an object"}});
  }
  nlohmann::json config = resolved_config;
  std::string tenant = caller.tenant_id;
  bool has_dataset = config.contains("dataset") && config["dataset"].is_object();
  std::string named = has_dataset ? string_field(config["dataset"], "tenant_id") : "";
  if (!named.empty()) {
    if (!caller.is_admin() && named != caller.tenant_id) {
      return Status(ErrorCode::kForbidden,
                    "this API key cannot submit jobs for tenant \"" + named + "\"");
    }
    tenant = named;
  }
  if (tenant.empty()) {
    return Status(ErrorCode::kInvalidConfig, "dataset.tenant_id is required with the admin key",
                  {{"/dataset/tenant_id", "required when submitting with the admin key"}});
  }
  auto tenant_record = store_->get_tenant(tenant);
  if (!tenant_record) {
    return Status(ErrorCode::kInvalidConfig, "no tenant \"" + tenant + "\"",
                  {{"/dataset/tenant_id", "no such tenant"}});
  }
  if (has_dataset) config["dataset"]["tenant_id"] = tenant;
  const TenantLimits& limits = tenant_record->limits;

  std::lock_guard lock(submit_mu_);
  if (!idempotency_key.empty()) {
    if (auto existing = store_->find_job_by_idempotency_key(tenant, idempotency_key)) {
      spdlog::info("job {}: returned again for its idempotency key", existing->job_id);
      return with_live_progress(*existing);
    }
  }
  // The queue bound counts the jobs that will have to wait, not those about to start.
  int queued = store_->count_jobs(tenant, JobStatus::kQueued);
  int running = store_->count_jobs(tenant, JobStatus::kRunning);
  int free_slots = std::max(0, limits.max_concurrent_jobs - running);
  if (queued + 1 - free_slots > limits.max_queued_jobs) {
    return Status(
        ErrorCode::kQuotaExceeded,
        fmt::format("tenant \"{}\" already has {} jobs waiting, its limit; retry when one has "
                    "started",
                    tenant, queued));
  }
  JobRecord job;
  job.job_id = make_id("train");
  job.tenant_id = tenant;
  job.name = string_field(config, "name");
  job.algorithm = string_field(config, "algorithm");
  job.task_type = string_field(config, "task_type");
  job.status = JobStatus::kQueued;
  job.config = config;
  job.resources = {{"cpu_cores", limits.cpu_cores},
                   {"memory_bytes", limits.memory_bytes},
                   {"gpus", limits.gpus},
                   {"max_duration_seconds", limits.max_duration_seconds}};
  job.idempotency_key = idempotency_key;
  job.created_at_ms = now_ms();
  Status st = store_->insert_job(job);
  if (st.code() == ErrorCode::kConflict && !idempotency_key.empty()) {
    if (auto existing = store_->find_job_by_idempotency_key(tenant, idempotency_key))
      return *existing;
  }
  if (!st) return st;
  spdlog::info("job {}: queued for tenant {} ({} {}, \"{}\")", job.job_id, tenant, job.algorithm,
               job.task_type, job.name);
  recorder_->submitted(job);
  // Tells live job lists (tenant subscriptions) that the job exists.
  hub_.publish(job.job_id, status_event(job));
  scheduler_->poke();
  return job;
}

Result<JobRecord> JobServiceImpl::visible_job(const Caller& caller, const std::string& job_id) {
  auto job = store_->get_job(job_id);
  if (!job || (!caller.is_admin() && job->tenant_id != caller.tenant_id))
    return not_found_job(job_id);
  return *job;
}

JobRecord JobServiceImpl::with_live_progress(JobRecord job) {
  if (job.status == JobStatus::kRunning) {
    if (auto p = scheduler_->live_progress(job.job_id)) job.progress = *p;
  }
  return job;
}

Result<JobRecord> JobServiceImpl::get(const Caller& caller, const std::string& job_id) {
  auto job = visible_job(caller, job_id);
  if (!job) return job.status();
  return with_live_progress(std::move(job).value());
}

Result<JobRecord> JobServiceImpl::cancel(const Caller& caller, const std::string& job_id) {
  // A job may move (queued -> running -> ended) while we look at it: the store's
  // conditional update decides, and we look again when it moved first.
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto job = visible_job(caller, job_id);
    if (!job) return job.status();
    if (is_terminal(job->status)) {
      return Status(ErrorCode::kConflict, fmt::format("job {} already finished with status {}",
                                                      job_id, job_status_name(job->status)));
    }
    bool was_running = job->status == JobStatus::kRunning;
    if (!store_->transition(job_id, job->status, JobStatus::kCancelled, now_ms(), nullptr,
                            job->worker_pid)) {
      continue;
    }
    // The store says cancelled from now on; the scheduler stops the worker and does not
    // overwrite the status when it ends.
    if (was_running) scheduler_->stop_cancelled(job_id);
    spdlog::info("job {}: cancelled{}", job_id, was_running ? " (stopping its worker)" : "");
    auto record = store_->get_job(job_id);
    if (!record) return not_found_job(job_id);
    hub_.publish(job_id, status_event(*record), true);
    return *record;
  }
  return Status(ErrorCode::kInternal, "job " + job_id + " kept changing state; try again");
}

Result<std::pair<std::vector<JobRecord>, std::string>> JobServiceImpl::list(const Caller& caller,
                                                                            JobFilter filter) {
  if (!caller.is_admin()) {
    if (!filter.tenant_id.empty() && filter.tenant_id != caller.tenant_id) {
      return Status(ErrorCode::kForbidden,
                    "this API key cannot list the jobs of tenant \"" + filter.tenant_id + "\"");
    }
    filter.tenant_id = caller.tenant_id;
  }
  if (filter.limit < 1 || filter.limit > kMaxListLimit) {
    return Status(
        ErrorCode::kInvalidConfig, fmt::format("limit must be between 1 and {}", kMaxListLimit),
        {{"limit", fmt::format("must be between 1 and {}, got {}", kMaxListLimit, filter.limit)}});
  }
  int limit = filter.limit;
  filter.limit = limit + 1;  // one more tells whether another page follows
  auto jobs = store_->list_jobs(filter);
  std::string next;
  if (jobs.size() > static_cast<size_t>(limit)) {
    jobs.resize(static_cast<size_t>(limit));
    next = encode_page_token(jobs.back().seq);
  }
  for (auto& job : jobs) job = with_live_progress(std::move(job));
  return std::make_pair(std::move(jobs), next);
}

Result<std::shared_ptr<Subscription>> JobServiceImpl::subscribe(const Caller& caller,
                                                                const std::string& job_id) {
  auto job = visible_job(caller, job_id);
  if (!job) return job.status();
  JobRecord fallback = *job;
  return hub_.subscribe(job_id, [&]() {
    auto now = store_->get_job(job_id);
    JobRecord record = with_live_progress(now ? *now : fallback);
    return std::make_pair(status_event(record), is_terminal(record.status));
  });
}

void JobServiceImpl::unsubscribe(const std::string& job_id,
                                 const std::shared_ptr<Subscription>& sub) {
  hub_.unsubscribe(job_id, sub);
}

Result<std::string> JobServiceImpl::tenant_of(const Caller& caller, const std::string& tenant_id) {
  if (!caller.is_admin()) return caller.tenant_id;
  if (tenant_id.empty()) {
    return Status(ErrorCode::kInvalidConfig, "name the tenant with ?tenant_id= (admin key)",
                  {{"tenant_id", "required with the admin key"}});
  }
  if (!store_->tenant_limits(tenant_id)) {
    return Status(ErrorCode::kNotFound, "no tenant \"" + tenant_id + "\"");
  }
  return tenant_id;
}

Result<std::shared_ptr<Subscription>> JobServiceImpl::subscribe_tenant(
    const Caller& caller, const std::string& tenant_id) {
  TRAIND_ASSIGN_OR_RETURN(tenant, tenant_of(caller, tenant_id));
  return hub_.subscribe_tenant(tenant);
}

void JobServiceImpl::unsubscribe_tenant(const std::string& tenant_id,
                                        const std::shared_ptr<Subscription>& sub) {
  hub_.unsubscribe_tenant(tenant_id, sub);
}

Result<std::string> JobServiceImpl::job_log(const Caller& caller, const std::string& job_id,
                                            size_t max_bytes) {
  TRAIND_ASSIGN_OR_RETURN(job, visible_job(caller, job_id));
  std::ifstream in(options_.data_dir + "/jobs/" + job.job_id + "/worker.log", std::ios::binary);
  if (!in) return std::string();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(std::max<std::streamoff>(0, in.tellg()));
  const size_t start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (start > 0) {
    // Cut at a line start: a partial first line (or UTF-8 sequence) helps no one.
    size_t newline = text.find('\n');
    text.erase(0, newline == std::string::npos ? text.size() : newline + 1);
  }
  return text;
}

Result<nlohmann::json> JobServiceImpl::datasets(const Caller& caller,
                                                const std::string& tenant_id) {
  TRAIND_ASSIGN_OR_RETURN(tenant, tenant_of(caller, tenant_id));
  nlohmann::json tables = nlohmann::json::array();
  std::vector<data::AttachedDatabase> databases = store_->datasources(tenant);
  if (!databases.empty()) {
    TRAIND_ASSIGN_OR_RETURN(source, data::open_sql_source(databases));
    TRAIND_ASSIGN_OR_RETURN(infos, source->tables());
    for (const data::TableInfo& info : infos) {
      nlohmann::json columns = nlohmann::json::array();
      for (const data::ColumnInfo& c : info.columns) {
        columns.push_back({{"name", c.name}, {"declared_type", c.declared_type}});
      }
      tables.push_back({{"schema", info.schema},
                        {"table", info.name},
                        {"name", info.schema + "." + info.name},
                        {"columns", std::move(columns)}});
    }
  }
  return nlohmann::json{{"tables", std::move(tables)}};
}

Result<ModelRecord> JobServiceImpl::model(const Caller& caller, const std::string& model_id) {
  auto m = store_->get_model(model_id);
  if (!m || (!caller.is_admin() && m->tenant_id != caller.tenant_id)) {
    return Status(ErrorCode::kNotFound, "no model with id " + model_id);
  }
  return *m;
}

Result<tracking::TrainingBom> JobServiceImpl::job_bom(const Caller& caller,
                                                      const std::string& job_id) {
  auto job = visible_job(caller, job_id);
  if (!job) return job.status();
  return recorder_->bom(*job);
}

void JobServiceImpl::settle_job_run(const std::string& tenant_id, const std::string& run_id) {
  auto job = store_->get_job(run_id);
  if (job && job->tenant_id == tenant_id) recorder_->settle(*job);
}

bool JobServiceImpl::worker_binary_usable() const {
  return !options_.worker_binary.empty() && ::access(options_.worker_binary.c_str(), X_OK) == 0;
}

bool JobServiceImpl::ready() {
  return store_->healthy() && tracking_->healthy() && worker_binary_usable();
}

nlohmann::json JobServiceImpl::readiness() {
  return {{"store", store_->healthy() ? "ok" : "unavailable"},
          {"tracking", tracking_->healthy() ? "ok" : "unavailable"},
          {"executor", executor_->name()},
          {"worker", worker_binary_usable() ? "ok" : "missing"},
          {"memory_enforcement", executor_->memory_enforcement()}};
}

std::string JobServiceImpl::prometheus_metrics() {
  auto counts = store_->count_jobs_by_status("");
  std::string out =
      "# HELP traind_jobs Training jobs by status.\n"
      "# TYPE traind_jobs gauge\n";
  for (auto& [status, n] : counts)
    out += fmt::format("traind_jobs{{status=\"{}\"}} {}\n", job_status_name(status), n);
  out += fmt::format(
      "# HELP traind_queue_length Jobs waiting for a worker.\n"
      "# TYPE traind_queue_length gauge\n"
      "traind_queue_length {}\n"
      "# HELP traind_running_workers Worker processes supervised by this server.\n"
      "# TYPE traind_running_workers gauge\n"
      "traind_running_workers {}\n",
      counts[JobStatus::kQueued], scheduler_->running_count());
  return out;
}

}  // namespace traind::jobs
