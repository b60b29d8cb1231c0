#include "jobs/scheduler.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <vector>

#include "core/clock.h"
#include "jobs/durable_files.h"
#include "jobs/json_fields.h"
#include "jobs/model_publish.h"
#include "jobs/worker_job.h"

namespace traind::jobs {
namespace fs = std::filesystem;

namespace {
// The query deadline never exceeds this, whatever the job's duration limit.
constexpr int64_t kMaxQueryDeadlineMs = 10 * 60 * 1000;
// Progress is written to the store at most this often (and at every phase change).
constexpr int64_t kProgressSaveIntervalMs = 1000;
// Upper bound of one wait, so that a missed wake-up costs at most this long.
constexpr int64_t kMaxWaitMs = 30000;
}  // namespace

struct WorkerMessage {
  enum Kind { kEvent, kGarbage, kExit, kCancel } kind = kEvent;
  std::string job_id;
  nlohmann::json event;
  std::string line;
  WorkerExit exit;
};

// What wakes the scheduler thread. Shared with executor callbacks, which may outlive the
// scheduler: after close() every post is dropped.
class Mailbox {
 public:
  void post(WorkerMessage message) {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      messages_.push_back(std::move(message));
    }
    cv_.notify_one();
  }
  void poke() {
    {
      std::lock_guard lock(mu_);
      poked_ = true;
    }
    cv_.notify_one();
  }
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      messages_.clear();
    }
    cv_.notify_all();
  }
  // Waits for messages, a poke, close() or the timeout; false once closed. `poked` tells
  // whether poke() was called since the last wait.
  bool wait(int64_t timeout_ms, std::vector<WorkerMessage>& out, bool* poked) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                 [&] { return closed_ || poked_ || !messages_.empty(); });
    if (closed_) return false;
    *poked = poked_;
    poked_ = false;
    out.swap(messages_);
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WorkerMessage> messages_;
  bool poked_ = false;
  bool closed_ = false;
};

Scheduler::Scheduler(MetadataStore& store, Executor& executor, EventHub& hub,
                     SchedulerOptions options)
    : store_(store),
      executor_(executor),
      hub_(hub),
      options_(std::move(options)),
      mailbox_(std::make_shared<Mailbox>()) {}

Scheduler::~Scheduler() { shutdown(); }

void Scheduler::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
  poke();
}

void Scheduler::poke() { mailbox_->poke(); }

void Scheduler::stop_cancelled(const std::string& job_id) {
  WorkerMessage m;
  m.kind = WorkerMessage::kCancel;
  m.job_id = job_id;
  mailbox_->post(std::move(m));
}

std::optional<nlohmann::json> Scheduler::live_progress(const std::string& job_id) {
  std::lock_guard lock(mu_);
  auto it = running_.find(job_id);
  if (it == running_.end() || it->second.progress.is_null()) return std::nullopt;
  return it->second.progress;
}

size_t Scheduler::running_count() {
  std::lock_guard lock(mu_);
  return running_.size();
}

void Scheduler::shutdown() {
  mailbox_->close();
  if (thread_.joinable()) thread_.join();
}

std::string Scheduler::job_dir(const std::string& job_id) const {
  return options_.data_dir + "/jobs/" + job_id;
}

void Scheduler::run() {
  std::vector<WorkerMessage> messages;
  bool poked = false;
  while (mailbox_->wait(next_wakeup_ms(), messages, &poked)) {
    // The queue is read from the store only when something may let a job start: a poke
    // (submission, limit change), a worker's end, or a timed wake-up (a safety net).
    // Progress events alone do not.
    bool schedule = poked || messages.empty();
    for (auto& m : messages) {
      if (m.kind == WorkerMessage::kExit) schedule = true;
      // Nothing may escape the thread: a bad event must not take the server down.
      try {
        handle(m);
      } catch (const std::exception& e) {
        spdlog::error("job {}: handling a worker message failed: {}", m.job_id, e.what());
      }
    }
    messages.clear();
    try {
      enforce_deadlines();
      if (schedule) start_queued_jobs();
    } catch (const std::exception& e) {
      spdlog::error("scheduler pass failed: {}", e.what());
    }
  }
}

void Scheduler::handle(WorkerMessage& m) {
  switch (m.kind) {
    case WorkerMessage::kEvent:
      handle_event(m.job_id, m.event);
      break;
    case WorkerMessage::kGarbage:
      spdlog::warn("job {}: the worker wrote a line that is not a JSON object; ignored: {}",
                   m.job_id, m.line);
      break;
    case WorkerMessage::kExit:
      handle_exit(m.job_id, m.exit);
      break;
    case WorkerMessage::kCancel: {
      std::lock_guard lock(mu_);
      auto it = running_.find(m.job_id);
      if (it != running_.end()) request_stop(it->second, StopReason::kCancel, now_ms());
      break;
    }
  }
}

void Scheduler::handle_event(const std::string& job_id, const nlohmann::json& event) {
  std::string type = json_string(event, "type");
  std::unique_lock lock(mu_);
  auto it = running_.find(job_id);
  if (it == running_.end()) return;  // a worker we already gave up on
  RunningJob& rj = it->second;
  if (type == "progress") {
    nlohmann::json progress = event;
    progress.erase("type");
    // Subscribers and the run recorder get the iterations' history; the job record keeps
    // the latest state only.
    nlohmann::json history;
    if (progress.contains("history")) {
      history = std::move(progress["history"]);
      progress.erase("history");
    }
    progress["updated_at"] = now_rfc3339();
    auto phase_of = [](const nlohmann::json& p) {
      return p.is_object() && p.contains("phase") && p["phase"].is_string()
                 ? p["phase"].get<std::string>()
                 : std::string();
    };
    bool phase_changed = phase_of(progress) != phase_of(rj.progress);
    rj.progress = progress;
    int64_t now = now_ms();
    bool save = phase_changed || now - rj.progress_saved_ms >= kProgressSaveIntervalMs;
    if (save) rj.progress_saved_ms = now;
    lock.unlock();
    nlohmann::json out = {{"type", "progress"}, {"job_id", job_id}};
    out.update(progress);
    if (!history.is_null()) out["history"] = std::move(history);
    hub_.publish(job_id, out);
    if (save) store_.set_progress(job_id, progress);
  } else if (type == "log") {
    lock.unlock();
    spdlog::debug("job {}: worker: {}", job_id, json_string(event, "message"));
    nlohmann::json out = {{"type", "log"}, {"job_id", job_id}};
    for (auto& [k, v] : event.items()) {
      if (k != "type" && k != "job_id") out[k] = v;
    }
    hub_.publish(job_id, out);
  } else if (type == "result") {
    rj.result = event.contains("result") && event["result"].is_object() ? event["result"]
                                                                        : nlohmann::json::object();
  } else if (type == "bom") {
    lock.unlock();
    if (options_.on_worker_bom && event.contains("bom"))
      options_.on_worker_bom(job_id, event["bom"]);
  } else if (type == "error") {
    rj.error = event.contains("error") && event["error"].is_object() ? event["error"]
                                                                     : nlohmann::json::object();
  } else {
    spdlog::warn("job {}: the worker sent an event of unknown type \"{}\"; ignored", job_id, type);
  }
}

void Scheduler::request_stop(RunningJob& rj, StopReason reason, int64_t now) {
  if (rj.stop_reason != StopReason::kNone) {
    // Already stopping; a cancel still wins over a timeout for the final status.
    if (reason == StopReason::kCancel) rj.stop_reason = reason;
    return;
  }
  rj.stop_reason = reason;
  rj.kill_at_ms = now + options_.stop_grace_ms;
  spdlog::info("job {}: stopping worker {} ({})", rj.job.job_id, rj.pid,
               reason == StopReason::kTimeout ? "time limit reached" : "cancelled");
  executor_.stop(rj.pid, false);
  mailbox_->poke();  // recompute the wake-up time for the SIGKILL
}

void Scheduler::enforce_deadlines() {
  std::lock_guard lock(mu_);
  int64_t now = now_ms();
  for (auto& [id, rj] : running_) {
    if (rj.stop_reason == StopReason::kNone && now >= rj.deadline_ms) {
      request_stop(rj, StopReason::kTimeout, now);
    }
    if (rj.stop_reason != StopReason::kNone && !rj.killed && now >= rj.kill_at_ms) {
      spdlog::warn("job {}: worker {} did not stop within {} ms; killing it", id, rj.pid,
                   options_.stop_grace_ms);
      executor_.stop(rj.pid, true);
      rj.killed = true;
    }
  }
}

int64_t Scheduler::next_wakeup_ms() {
  std::lock_guard lock(mu_);
  int64_t now = now_ms();
  int64_t next = now + kMaxWaitMs;
  for (auto& [id, rj] : running_) {
    if (rj.stop_reason == StopReason::kNone)
      next = std::min(next, rj.deadline_ms);
    else if (!rj.killed)
      next = std::min(next, rj.kill_at_ms);
  }
  return std::clamp<int64_t>(next - now, 0, kMaxWaitMs);
}

void Scheduler::start_queued_jobs() {
  auto queued = store_.jobs_with_status(JobStatus::kQueued);
  if (queued.empty()) return;
  std::map<std::string, std::deque<JobRecord>> by_tenant;  // each oldest first
  for (auto& job : queued) by_tenant[job.tenant_id].push_back(std::move(job));
  std::map<std::string, int> running_per_tenant;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, rj] : running_) running_per_tenant[rj.job.tenant_id]++;
  }
  std::map<std::string, TenantLimits> limits;
  for (auto& [tenant, jobs] : by_tenant) {
    auto l = store_.tenant_limits(tenant);
    limits[tenant] = l ? *l : TenantLimits{};
  }
  // Tenants take turns, one job each per round, starting after the one served last.
  std::vector<std::string> order;
  for (auto it = by_tenant.upper_bound(last_tenant_served_); it != by_tenant.end(); ++it) {
    order.push_back(it->first);
  }
  for (auto it = by_tenant.begin(); it != by_tenant.upper_bound(last_tenant_served_); ++it) {
    order.push_back(it->first);
  }
  for (bool started = true; started;) {
    started = false;
    for (const auto& tenant : order) {
      auto& jobs = by_tenant[tenant];
      if (jobs.empty() || running_per_tenant[tenant] >= limits[tenant].max_concurrent_jobs)
        continue;
      JobRecord job = std::move(jobs.front());
      jobs.pop_front();
      if (start_job(job, limits[tenant])) running_per_tenant[tenant]++;
      last_tenant_served_ = tenant;
      started = true;
    }
  }
}

bool Scheduler::start_job(const JobRecord& job, const TenantLimits& limits) {
  const std::string dir = job_dir(job.job_id);
  const std::string model_dir = dir + "/model.tmp";
  int64_t max_duration_s =
      json_int(job.resources, "max_duration_seconds", limits.max_duration_seconds);
  Status st = make_private_dir(dir);
  std::error_code ec;
  fs::remove_all(model_dir, ec);  // left over from an earlier attempt of a re-queued job
  WorkerJob wj;
  wj.job_id = job.job_id;
  wj.tenant_id = job.tenant_id;
  wj.config = job.config;
  wj.databases = store_.datasources(job.tenant_id);
  wj.query_deadline_ms = std::min(max_duration_s * 1000, kMaxQueryDeadlineMs);
  wj.max_dataset_bytes = limits.max_dataset_bytes;
  wj.threads = static_cast<int>(json_int(job.resources, "cpu_cores", limits.cpu_cores));
  wj.model_dir = model_dir;
  const std::string job_file = dir + "/job.json";
  if (st) st = write_private_file(job_file, wj.to_json().dump(2) + "\n");
  if (!st) {
    fail_unstarted(job, "the job's directory could not be prepared: " + st.message());
    return false;
  }

  WorkerLaunch launch;
  launch.job_id = job.job_id;
  launch.job_file = job_file;
  launch.work_dir = dir;
  launch.cpu_cores = wj.threads;
  launch.memory_bytes = json_int(job.resources, "memory_bytes", limits.memory_bytes);
  launch.gpus = static_cast<int>(json_int(job.resources, "gpus", limits.gpus));
  std::weak_ptr<Mailbox> mailbox = mailbox_;
  const std::string id = job.job_id;
  WorkerCallbacks callbacks;
  callbacks.on_event = [mailbox, id](const nlohmann::json& event) {
    if (auto m = mailbox.lock()) m->post({WorkerMessage::kEvent, id, event, {}, {}});
  };
  callbacks.on_garbage = [mailbox, id](const std::string& line) {
    if (auto m = mailbox.lock()) m->post({WorkerMessage::kGarbage, id, nullptr, line, {}});
  };
  callbacks.on_exit = [mailbox, id](const WorkerExit& exit) {
    if (auto m = mailbox.lock()) m->post({WorkerMessage::kExit, id, nullptr, {}, exit});
  };
  auto pid = executor_.start(launch, std::move(callbacks));
  if (!pid) {
    fail_unstarted(job, "the worker could not be started: " + pid.status().message());
    return false;
  }
  int64_t started = now_ms();
  if (!store_.transition(job.job_id, JobStatus::kQueued, JobStatus::kRunning, started, nullptr,
                         *pid)) {
    // Cancelled while we were starting it: the worker must not run.
    spdlog::info("job {}: cancelled while starting; killing worker {}", job.job_id, *pid);
    executor_.stop(*pid, true);
    return false;
  }
  RunningJob rj;
  rj.job = job;
  rj.job.status = JobStatus::kRunning;
  rj.job.started_at_ms = started;
  rj.job.worker_pid = *pid;
  rj.pid = *pid;
  rj.deadline_ms = started + max_duration_s * 1000;
  {
    std::lock_guard lock(mu_);
    running_[job.job_id] = rj;
  }
  spdlog::info("job {}: started worker {} for tenant {} ({} cores, {} bytes, {} s)", job.job_id,
               *pid, job.tenant_id, launch.cpu_cores, launch.memory_bytes, max_duration_s);
  if (auto record = store_.get_job(job.job_id)) hub_.publish(job.job_id, status_event(*record));
  return true;
}

void Scheduler::fail_unstarted(const JobRecord& job, const std::string& message) {
  spdlog::error("job {}: {}", job.job_id, message);
  nlohmann::json error = {{"code", error_code_name(ErrorCode::kWorkerCrashed)},
                          {"message", message}};
  if (store_.transition(job.job_id, JobStatus::kQueued, JobStatus::kFailed, now_ms(), error)) {
    if (auto record = store_.get_job(job.job_id))
      hub_.publish(job.job_id, status_event(*record), true);
  }
}

void Scheduler::handle_exit(const std::string& job_id, const WorkerExit& exit) {
  RunningJob rj;
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(job_id);
    if (it == running_.end()) return;
    rj = std::move(it->second);
    running_.erase(it);
  }
  try {
    finish_job(rj, exit);
  } catch (const std::exception& e) {
    // The job must not stay "running" with no worker behind it.
    spdlog::error("job {}: finishing failed: {}", job_id, e.what());
    nlohmann::json error = {
        {"code", error_code_name(ErrorCode::kWorkerCrashed)},
        {"message", "the job's end could not be processed: " + std::string(e.what())}};
    store_.transition(job_id, JobStatus::kRunning, JobStatus::kFailed, now_ms(), error, rj.pid);
    if (auto record = store_.get_job(job_id)) hub_.publish(job_id, status_event(*record), true);
  }
}

void Scheduler::finish_job(RunningJob& rj, const WorkerExit& exit) {
  const std::string job_id = rj.job.job_id;
  if (!rj.progress.is_null()) store_.set_progress(job_id, rj.progress);

  WorkerReport report;
  report.has_result = !rj.result.is_null();
  report.error_event = rj.error;
  report.exit = exit;
  report.stopped_by = rj.stop_reason;
  report.memory_bytes = json_int(rj.job.resources, "memory_bytes", 0);
  report.max_duration_seconds = json_int(rj.job.resources, "max_duration_seconds", 0);
  JobOutcome outcome = decide_outcome(report);
  int64_t now = now_ms();

  if (outcome.status == JobStatus::kCompleted) {
    finish_completed(rj, &outcome.error);
    if (!outcome.error.is_null()) outcome.status = JobStatus::kFailed;
  }
  if (outcome.status == JobStatus::kFailed) {
    if (!store_.transition(job_id, JobStatus::kRunning, JobStatus::kFailed, now, outcome.error,
                           rj.pid)) {
      spdlog::info(
          "job {}: already {} when its worker ended", job_id,
          store_.get_job(job_id) ? job_status_name(store_.get_job(job_id)->status) : "gone");
    }
  }
  // Anything the worker left behind that did not become a model.
  std::error_code ec;
  fs::remove_all(job_dir(job_id) + "/model.tmp", ec);

  auto record = store_.get_job(job_id);
  if (!record) return;
  spdlog::info("job {}: worker {} ended with {}; job {}{}", job_id, rj.pid, describe_exit(exit),
               job_status_name(record->status),
               record->error.is_object() ? " (" + json_string(record->error, "code") + ": " +
                                               json_string(record->error, "message") + ")"
                                         : "");
  if (record->status == JobStatus::kCompleted) {
    nlohmann::json event = {{"type", "result"}, {"job_id", job_id}};
    for (auto& [k, v] : record->result.items()) {
      if (k != "model") event[k] = v;
    }
    event["model_artifact_id"] = record->model_artifact_id;
    hub_.publish(job_id, event);
  }
  hub_.publish(job_id, status_event(*record), true);
}

void Scheduler::finish_completed(RunningJob& rj, nlohmann::json* error_out) {
  const std::string& job_id = rj.job.job_id;
  auto model = publish_model(job_dir(job_id) + "/model.tmp", options_.data_dir + "/models", rj.job,
                             rj.result);
  if (!model) {
    spdlog::error("job {}: {}", job_id, model.status().message());
    *error_out = {{"code", error_code_name(ErrorCode::kTrainingError)},
                  {"message", "the model could not be saved: " + model.status().message()}};
    return;
  }
  nlohmann::json result = rj.result;
  result["model_artifact_id"] = model->model_id;
  if (!store_.complete(job_id, result, *model, now_ms())) {
    std::error_code ec;
    fs::remove_all(model->dir, ec);
    auto now = store_.get_job(job_id);
    if (now && now->status == JobStatus::kRunning) {
      // The store refused the write itself; the job must still end.
      spdlog::error("job {}: the result could not be stored", job_id);
      *error_out = {{"code", error_code_name(ErrorCode::kTrainingError)},
                    {"message", "the job's result could not be stored"}};
    } else {
      // Cancelled while the worker was finishing: the model is not kept.
      spdlog::info("job {}: finished after it was cancelled; its model is discarded", job_id);
    }
    return;
  }
  spdlog::info("job {}: model {} registered ({} bytes)", job_id, model->model_id,
               model->size_bytes);
}

}  // namespace traind::jobs
