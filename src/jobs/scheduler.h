// Scheduler: starts queued jobs within each tenant's limits and supervises running ones.
//
// One thread does all of it, woken by a poke (a job was submitted, a limit changed), by a
// worker's event or exit, or by the nearest deadline. Queued jobs start oldest first per
// tenant, at most max_concurrent_jobs running per tenant, tenants taken in turn. A running
// job is stopped (SIGTERM, SIGKILL after the grace period) past its tenant's duration
// limit or when cancelled; when its worker ends, the job is completed (model moved into
// the artifact store and registered first) or failed, durably, before its terminal status
// event is published.
//
// Executor callbacks only post messages to a mailbox that they share with the scheduler,
// so a worker that outlives the scheduler (shutdown leaves workers running) posts into a
// closed mailbox and nothing else.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "jobs/event_hub.h"
#include "jobs/executor.h"
#include "jobs/job_outcome.h"
#include "jobs/metadata_store.h"

namespace traind::jobs {

struct SchedulerOptions {
  std::string data_dir;
  int stop_grace_ms = 3000;
  // Receives a worker's Training BOM as far as the worker got ("bom" events).
  std::function<void(const std::string& job_id, const nlohmann::json& bom)> on_worker_bom;
};

class Mailbox;
struct WorkerMessage;

class Scheduler {
 public:
  Scheduler(MetadataStore& store, Executor& executor, EventHub& hub, SchedulerOptions options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  // Asks for a scheduling pass soon (a job was queued, a limit changed).
  void poke();
  // Stops a running job that the store already marks cancelled.
  void stop_cancelled(const std::string& job_id);
  // The latest progress of a running job, newer than the store's copy.
  std::optional<nlohmann::json> live_progress(const std::string& job_id);
  size_t running_count();
  // Stops the thread; running workers are left alone (reconciled at the next start).
  void shutdown();

 private:
  struct RunningJob {
    JobRecord job;
    int64_t pid = 0;
    int64_t deadline_ms = 0;  // started + max_duration_seconds
    int64_t kill_at_ms = 0;   // SIGKILL due then (0: no stop asked)
    bool killed = false;
    StopReason stop_reason = StopReason::kNone;
    nlohmann::json progress;  // latest progress event, without "type"
    int64_t progress_saved_ms = 0;
    nlohmann::json result;  // null until a "result" event
    nlohmann::json error;   // null until an "error" event
  };

  void run();
  void handle(WorkerMessage& message);
  void handle_event(const std::string& job_id, const nlohmann::json& event);
  void handle_exit(const std::string& job_id, const WorkerExit& exit);
  void finish_job(RunningJob& rj, const WorkerExit& exit);
  void request_stop(RunningJob& rj, StopReason reason, int64_t now);
  void enforce_deadlines();
  int64_t next_wakeup_ms();
  void start_queued_jobs();
  // Starts one queued job; false when it could not start (it is then failed).
  bool start_job(const JobRecord& job, const TenantLimits& limits);
  void fail_unstarted(const JobRecord& job, const std::string& message);
  void finish_completed(RunningJob& rj, nlohmann::json* error_out);
  std::string job_dir(const std::string& job_id) const;

  MetadataStore& store_;
  Executor& executor_;
  EventHub& hub_;
  SchedulerOptions options_;
  std::shared_ptr<Mailbox> mailbox_;
  std::thread thread_;
  std::mutex mu_;  // guards running_
  std::map<std::string, RunningJob> running_;
  std::string last_tenant_served_;  // round-robin position (scheduler thread only)
};

}  // namespace traind::jobs
