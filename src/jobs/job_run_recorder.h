// JobRunRecorder: makes every job an MLflow run in the tracking store, and writes its
// Training BOM when it ends.
//
// It follows the job's life from the events the service publishes (EventHub's listener):
// a status event moves the run (SCHEDULED, RUNNING, then FINISHED, FAILED or KILLED), a
// progress event's metrics become metric history (step = iteration). When the job ends,
// its BOM (the worker's, which it filled step by step, or what the server knows when the
// worker left none) becomes the run's params and metrics, is written as the run's
// training_bom.json artifact (beside the model's files under model/), and only then is
// the run marked finished: a finished run always has its BOM. Recording is best effort: a
// failure is logged and never changes the job. reconcile() finishes what a crash cut short.
//
// Events are recorded on the recorder's own thread, in the order they were published, so
// that neither the scheduler nor a request waits for the tracking database; settle() and
// bom() first wait for what is queued. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/status.h"
#include "jobs/job_record.h"
#include "jobs/metadata_store.h"
#include "tracking/tracking_store.h"
#include "tracking/training_bom.h"

namespace traind::jobs {

class JobRunRecorder {
 public:
  JobRunRecorder(tracking::TrackingStore& tracking, MetadataStore& jobs);
  ~JobRunRecorder();
  JobRunRecorder(const JobRunRecorder&) = delete;
  JobRunRecorder& operator=(const JobRunRecorder&) = delete;

  // A job was queued (no status event is published for it).
  void submitted(const JobRecord& job);
  // Every event the service publishes (EventHub::Listener): queued, recorded in order.
  void on_event(const std::string& job_id, const nlohmann::json& event, bool final_event);
  // Records what is queued, then stops the thread (later events are recorded at once).
  void shutdown();
  // The worker's BOM as far as it got (a "bom" event): kept until the job ends.
  void worker_bom(const std::string& job_id, const nlohmann::json& bom);
  // Runs of ended jobs that are not finished, and jobs without a run (recorded before
  // tracking existed), are brought up to date. Called once at start-up.
  void reconcile();
  // Called after a job's run is finished (the optional export to another MLflow server).
  void set_on_finished(std::function<void(const JobRecord&)> on_finished);

  // Brings the job's run up to the job's status now, instead of when the event that moves
  // it is handled (a reader who saw the job end must see its run end too).
  void settle(const JobRecord& job);

  // The BOM of a job that ended; kConflict while it is queued or running.
  Result<tracking::TrainingBom> bom(const JobRecord& job);

 private:
  struct QueuedEvent {
    std::string job_id;
    nlohmann::json event;
    bool final_event = false;
  };
  void loop();
  void record_event(const QueuedEvent& queued);
  // Waits until every event queued so far is recorded.
  void flush();
  Result<tracking::Run> ensure_run(const JobRecord& job);
  Status record_start(const JobRecord& job);
  Status record_progress(const std::string& job_id, const nlohmann::json& event);
  Status record_end(const JobRecord& job);
  tracking::TrainingBom make_bom(const JobRecord& job, const nlohmann::json& worker_bom);
  std::string tenant_of(const std::string& job_id);

  tracking::TrackingStore& tracking_;
  MetadataStore& jobs_;
  std::mutex mu_;  // guards the maps and on_finished_
  std::map<std::string, nlohmann::json> worker_boms_;
  std::map<std::string, std::string> tenants_;  // job id -> tenant, for progress events
  std::function<void(const JobRecord&)> on_finished_;
  std::mutex end_mu_;  // one job end recorded at a time (the thread, settle, bom)

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::condition_variable done_cv_;
  std::deque<QueuedEvent> queue_;
  uint64_t queued_ = 0;    // events ever queued
  uint64_t recorded_ = 0;  // events ever recorded
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

// The run status of a job status: queued SCHEDULED, running RUNNING, completed FINISHED,
// failed FAILED, cancelled KILLED.
const char* run_status_for(JobStatus status);

}  // namespace traind::jobs
