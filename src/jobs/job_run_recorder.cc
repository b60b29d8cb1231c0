#include "jobs/job_run_recorder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "jobs/durable_files.h"
#include "jobs/json_fields.h"
#include "tracking/logged_values.h"
#include "tracking/training_bom_builder.h"

namespace traind::jobs {
namespace fs = std::filesystem;
namespace {

constexpr const char* kBomFile = "training_bom.json";

std::string experiment_name_for(const JobRecord& job) {
  std::string name = json_string(job.config, "experiment_name");
  if (name.empty()) name = job.name;
  return name.empty() ? "Default" : name;
}

std::string param_text(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  return tracking::python_str(nlohmann::json::parse(v.dump()));
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "no file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The model's files appear among the run's artifacts under model/: hard links into the
// run's directory (both live under the data directory), a copy where linking fails.
Status link_model_files(const std::string& model_dir, const std::string& artifact_dir) {
  std::error_code ec;
  const fs::path target = fs::path(artifact_dir) / "model";
  fs::create_directories(target, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + target.string());
  for (const auto& entry : fs::directory_iterator(model_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const fs::path to = target / entry.path().filename();
    if (fs::exists(to)) continue;
    fs::create_hard_link(entry.path(), to, ec);
    if (ec) fs::copy_file(entry.path(), to, ec);
    if (ec) return Status(ErrorCode::kInternal, "cannot link " + entry.path().string());
  }
  return sync_tree(target.string());
}

}  // namespace

const char* run_status_for(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued:
      return "SCHEDULED";
    case JobStatus::kRunning:
      return "RUNNING";
    case JobStatus::kCompleted:
      return "FINISHED";
    case JobStatus::kFailed:
      return "FAILED";
    case JobStatus::kCancelled:
      return "KILLED";
  }
  return "FAILED";
}

JobRunRecorder::JobRunRecorder(tracking::TrackingStore& tracking, MetadataStore& jobs)
    : tracking_(tracking), jobs_(jobs), thread_([this] { loop(); }) {}

JobRunRecorder::~JobRunRecorder() { shutdown(); }

void JobRunRecorder::shutdown() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JobRunRecorder::loop() {
  std::unique_lock lock(queue_mu_);
  while (true) {
    queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is recorded
    QueuedEvent next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    record_event(next);
    lock.lock();
    ++recorded_;
    done_cv_.notify_all();
  }
}

void JobRunRecorder::flush() {
  // The thread records everything queued before it stops, so this always ends.
  std::unique_lock lock(queue_mu_);
  const uint64_t target = queued_;
  done_cv_.wait(lock, [&] { return recorded_ >= target; });
}

void JobRunRecorder::set_on_finished(std::function<void(const JobRecord&)> on_finished) {
  std::lock_guard lock(mu_);
  on_finished_ = std::move(on_finished);
}

Result<tracking::Run> JobRunRecorder::ensure_run(const JobRecord& job) {
  auto run = tracking_.run(job.tenant_id, job.job_id);
  if (run.is_ok() || run.status().code() != ErrorCode::kNotFound) return run;
  auto experiment = tracking_.ensure_experiment(job.tenant_id, experiment_name_for(job), now_ms());
  if (!experiment.is_ok()) return experiment.status();
  tracking::NewRun spec;
  spec.experiment_id = experiment->experiment_id;
  spec.run_id = job.job_id;
  spec.run_name = job.name;
  spec.user_id = job.tenant_id;
  spec.status = run_status_for(job.status);
  spec.start_time = job.started_at_ms ? job.started_at_ms : job.created_at_ms;
  spec.job_run = true;
  spec.tags = {{"mlflow.source.name", "traind"},    {"mlflow.source.type", "JOB"},
               {"mlflow.user", job.tenant_id},      {"traind.job_id", job.job_id},
               {"traind.tenant_id", job.tenant_id}, {"traind.algorithm", job.algorithm},
               {"traind.task_type", job.task_type}};
  auto created = tracking_.create_run(job.tenant_id, spec);
  if (!created.is_ok() && created.status().code() == ErrorCode::kConflict) {
    return tracking_.run(job.tenant_id, job.job_id);
  }
  return created;
}

void JobRunRecorder::submitted(const JobRecord& job) {
  {
    std::lock_guard lock(mu_);
    tenants_[job.job_id] = job.tenant_id;
  }
  auto run = ensure_run(job);
  if (!run.is_ok()) {
    spdlog::warn("job {}: its run could not be recorded: {}", job.job_id, run.status().to_string());
  }
}

void JobRunRecorder::worker_bom(const std::string& job_id, const nlohmann::json& bom) {
  if (!bom.is_object()) return;
  std::lock_guard lock(mu_);
  worker_boms_[job_id] = bom;
}

std::string JobRunRecorder::tenant_of(const std::string& job_id) {
  {
    std::lock_guard lock(mu_);
    auto it = tenants_.find(job_id);
    if (it != tenants_.end()) return it->second;
  }
  auto job = jobs_.get_job(job_id);
  if (!job) return "";
  std::lock_guard lock(mu_);
  tenants_[job_id] = job->tenant_id;
  return job->tenant_id;
}

void JobRunRecorder::on_event(const std::string& job_id, const nlohmann::json& event,
                              bool final_event) {
  const std::string type = json_string(event, "type");
  if (type != "progress" && type != "status") return;
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back({job_id, event, final_event});
      ++queued_;
      queue_cv_.notify_one();
      return;
    }
  }
  record_event({job_id, event, final_event});
}

void JobRunRecorder::record_event(const QueuedEvent& queued) {
  const std::string& job_id = queued.job_id;
  const nlohmann::json& event = queued.event;
  const bool final_event = queued.final_event;
  const std::string type = json_string(event, "type");
  Status st;
  if (type == "progress") {
    st = record_progress(job_id, event);
  } else if (type == "status") {
    auto job = jobs_.get_job(job_id);
    if (!job) return;
    if (job->status == JobStatus::kRunning) {
      st = record_start(*job);
    } else if (final_event && is_terminal(job->status)) {
      st = record_end(*job);
    }
  }
  if (!st.is_ok()) {
    spdlog::warn("job {}: its run could not be updated: {}", job_id, st.to_string());
  }
}

void JobRunRecorder::settle(const JobRecord& job) {
  flush();
  Status st = is_terminal(job.status)             ? record_end(job)
              : job.status == JobStatus::kRunning ? record_start(job)
                                                  : Status::ok();
  if (!st.is_ok())
    spdlog::warn("job {}: its run could not be settled: {}", job.job_id, st.to_string());
}

Status JobRunRecorder::record_start(const JobRecord& job) {
  auto run = ensure_run(job);
  if (!run.is_ok()) return run.status();
  if (tracking::is_final_run_status(run->info.status)) return Status::ok();
  auto updated = tracking_.update_run(job.tenant_id, job.job_id, std::string("RUNNING"),
                                      std::nullopt, std::nullopt, job.started_at_ms);
  return updated.is_ok() ? Status::ok() : updated.status();
}

Status JobRunRecorder::record_progress(const std::string& job_id, const nlohmann::json& event) {
  if (!event.contains("metrics") || !event["metrics"].is_object() || event["metrics"].empty()) {
    return Status::ok();
  }
  const std::string tenant = tenant_of(job_id);
  if (tenant.empty()) return Status::ok();
  std::vector<tracking::Metric> metrics;
  auto add = [&metrics](const nlohmann::json& values, int64_t step, int64_t timestamp) {
    for (const auto& [key, value] : tracking::flatten_metrics(values)) {
      metrics.push_back({key, value, timestamp, step});
    }
  };
  // "history" carries every iteration since the previous event, the event's own included.
  if (event.contains("history") && event["history"].is_array() && !event["history"].empty()) {
    for (const nlohmann::json& entry : event["history"]) {
      if (!entry.is_object() || !entry.contains("metrics")) continue;
      add(entry["metrics"], json_int(entry, "iteration", 0),
          json_int(entry, "timestamp", now_ms()));
    }
  } else {
    add(event["metrics"], json_int(event, "iteration", 0), now_ms());
  }
  return tracking_.log_batch(tenant, job_id, metrics, {}, {}, /*any_stage=*/true);
}

tracking::TrainingBom JobRunRecorder::make_bom(const JobRecord& job,
                                               const nlohmann::json& worker_bom) {
  tracking::TrainingBom bom;
  bool known = false;
  for (const nlohmann::json* candidate :
       {&worker_bom, job.result.is_object() && job.result.contains("training_bom")
                         ? &job.result["training_bom"]
                         : nullptr}) {
    if (known || !candidate || !candidate->is_object()) continue;
    auto parsed = tracking::TrainingBom::from_json(*candidate);
    if (parsed.is_ok()) {
      bom = std::move(parsed).value();
      known = true;
    }
  }
  if (!known) {
    // The worker left nothing (it never started, or crashed before its first step): the
    // configuration still tells where the data was to come from and what was asked for.
    tracking::TrainingBomBuilder builder;
    const nlohmann::json dataset =
        job.config.contains("dataset") ? job.config["dataset"] : nlohmann::json::object();
    builder.register_dataset(tracking::dataset_origin(job.tenant_id, json_string(dataset, "source"),
                                                      json_string(dataset, "query")),
                             0);
    if (job.config.contains("hyperparameters") && job.config["hyperparameters"].is_object()) {
      for (const auto& [key, value] : job.config["hyperparameters"].items()) {
        builder.log_parameter(key, tracking::python_str(value));
      }
    }
    bom = builder.partial("");
  }
  bom.id = job.job_id;
  bom.start_time = tracking::iso8601_utc(job.started_at_ms ? job.started_at_ms : job.created_at_ms);
  bom.end_time = tracking::iso8601_utc(job.finished_at_ms ? job.finished_at_ms : now_ms());
  return bom;
}

Status JobRunRecorder::record_end(const JobRecord& job) {
  std::lock_guard end_lock(end_mu_);
  auto run = ensure_run(job);
  if (!run.is_ok()) return run.status();
  const std::string dir = tracking_.artifact_dir(job.tenant_id, run->info);
  const std::string bom_path = dir + "/" + kBomFile;
  if (tracking::is_final_run_status(run->info.status) && fs::exists(bom_path)) {
    return Status::ok();
  }
  nlohmann::json reported;
  {
    std::lock_guard lock(mu_);
    if (auto it = worker_boms_.find(job.job_id); it != worker_boms_.end()) reported = it->second;
  }
  tracking::TrainingBom bom = make_bom(job, reported);

  // Params and the final metrics, unless an earlier attempt (cut short by a crash) logged
  // them already: params cannot change, and metrics would be logged twice.
  if (run->params.empty()) {
    std::vector<tracking::Param> params;
    for (const auto& [key, value] : bom.mlflow_params.items()) {
      params.push_back({key, param_text(value)});
    }
    std::vector<tracking::Metric> metrics;
    const int64_t at = job.finished_at_ms ? job.finished_at_ms : now_ms();
    for (const auto& [key, value] : bom.mlflow_metrics.items()) {
      if (value.is_number()) metrics.push_back({key, value.get<double>(), at, 0});
    }
    std::vector<tracking::Tag> tags;
    if (bom.mlflow_params.contains("data_hash")) {
      tags.push_back({"traind.data_hash", param_text(bom.mlflow_params["data_hash"])});
    }
    if (!job.model_artifact_id.empty()) {
      tags.push_back({"traind.model_artifact_id", job.model_artifact_id});
    }
    if (job.error.is_object()) {
      tags.push_back({"traind.error_code", json_string(job.error, "code")});
      tags.push_back({"traind.error_message", json_string(job.error, "message")});
    }
    TRAIND_RETURN_IF_ERROR(tracking_.log_batch(job.tenant_id, job.job_id, metrics, params, tags,
                                               /*any_stage=*/true));
  }
  // The BOM's metrics are the run's: its own first, then the last value of each progress
  // metric, so that a BOM made from the run (bom_from_run) agrees with this one.
  auto logged = tracking_.run(job.tenant_id, job.job_id);
  if (!logged.is_ok()) return logged.status();
  for (const tracking::Metric& m : logged->metrics) bom.mlflow_metrics[m.key] = m.value;

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + dir + ": " + ec.message());
  if (job.status == JobStatus::kCompleted && !job.model_artifact_id.empty()) {
    if (auto model = jobs_.get_model(job.model_artifact_id)) {
      TRAIND_RETURN_IF_ERROR(link_model_files(model->dir, dir));
    }
  }
  TRAIND_RETURN_IF_ERROR(write_private_file(bom_path, bom.dump(2)));
  auto updated =
      tracking_.update_run(job.tenant_id, job.job_id, run_status_for(job.status),
                           job.finished_at_ms ? job.finished_at_ms : now_ms(), std::nullopt);
  if (!updated.is_ok()) return updated.status();
  std::function<void(const JobRecord&)> on_finished;
  {
    std::lock_guard lock(mu_);
    worker_boms_.erase(job.job_id);
    tenants_.erase(job.job_id);
    on_finished = on_finished_;
  }
  if (on_finished) on_finished(job);
  return Status::ok();
}

void JobRunRecorder::reconcile() {
  int recorded = 0;
  for (const auto& [tenant, run_id] : tracking_.job_runs(false)) {
    auto job = jobs_.get_job(run_id);
    if (job && is_terminal(job->status)) {
      Status st = record_end(*job);
      if (st.is_ok()) ++recorded;
    }
  }
  // Jobs recorded before tracking existed.
  JobFilter filter;
  filter.limit = 500;
  while (true) {
    auto page = jobs_.list_jobs(filter);
    if (page.empty()) break;
    for (const JobRecord& job : page) {
      if (tracking_.run(job.tenant_id, job.job_id).is_ok()) continue;
      submitted(job);
      if (is_terminal(job.status) && record_end(job).is_ok()) ++recorded;
    }
    filter.before_seq = page.back().seq;
  }
  if (recorded > 0) spdlog::info("tracking: {} runs of ended jobs brought up to date", recorded);
}

Result<tracking::TrainingBom> JobRunRecorder::bom(const JobRecord& job) {
  if (!is_terminal(job.status)) {
    return Status(ErrorCode::kConflict,
                  fmt::format("job {} is {}; its Training BOM is written when it ends", job.job_id,
                              job_status_name(job.status)));
  }
  flush();
  auto run = ensure_run(job);
  if (!run.is_ok()) return run.status();
  const std::string path = tracking_.artifact_dir(job.tenant_id, run->info) + "/" + kBomFile;
  auto text = read_file(path);
  if (!text.is_ok()) {
    TRAIND_RETURN_IF_ERROR(record_end(job));
    text = read_file(path);
    if (!text.is_ok()) return Status(ErrorCode::kInternal, "the job's BOM could not be written");
  }
  auto parsed = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) {
    return Status(ErrorCode::kInternal, "the job's stored BOM is not JSON: " + path);
  }
  return tracking::TrainingBom::from_json(parsed);
}

}  // namespace traind::jobs
