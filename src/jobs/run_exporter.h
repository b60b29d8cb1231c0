// RunExporter: copies the runs of ended jobs to an external MLflow tracking server, one at
// a time on its own thread, so that a slow or unreachable server never holds up a job.
// The outcome is tagged on the local run: traind.export.run_id (the remote run's id) or
// traind.export.error (why it failed, after the client's retries). Runs still queued at
// shutdown are exported at the next start by reconcile (their run has neither tag).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "tracking/mlflow_export.h"
#include "tracking/tracking_store.h"

namespace traind::jobs {

class RunExporter {
 public:
  RunExporter(tracking::TrackingStore& store, tracking::ExportTarget target);
  ~RunExporter();
  RunExporter(const RunExporter&) = delete;
  RunExporter& operator=(const RunExporter&) = delete;

  void enqueue(const std::string& tenant, const std::string& run_id);
  // Queues every finished job run that carries no export tag yet.
  void reconcile(const std::vector<std::pair<std::string, std::string>>& finished_runs);
  void shutdown();

 private:
  void loop();
  void export_one(const std::string& tenant, const std::string& run_id);

  tracking::TrackingStore& store_;
  tracking::ExportTarget target_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace traind::jobs
