// WorkerJob: what the server hands one traind-worker process, and what comes back.
//
// The server writes a job file (JSON, mode 0600) into the job's directory and starts
//   traind-worker --job-file DIR/jobs/<job_id>/job.json --threads N
// The worker reports on file descriptor 3, one JSON object per line:
//   {"type":"progress","phase":"training","percent":42.0,"iteration":42,
//    "total_iterations":100,"metrics":{...},"eta_seconds":11.5}
//   {"type":"log","level":"info","message":"..."}
//   {"type":"result","result":{...run_training's result...}}     last line on success, exit 0
//   {"type":"error","error":{"code":"DATA_ERROR","message":"..."}} last line on failure, exit 1
// Exit code 3 means the worker ran out of memory where it could not report it
// (std::bad_alloc). Any other ending (a signal, another code, no result line) is
// WORKER_CRASHED, unless the server itself stopped the worker (TIMEOUT, cancel).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/sql_source.h"

namespace traind::jobs {

constexpr int kWorkerExitOk = 0;
constexpr int kWorkerExitFailed = 1;  // an "error" event was written
constexpr int kWorkerExitOutOfMemory = 3;
constexpr int kWorkerEventsFd = 3;

struct WorkerJob {
  std::string job_id;
  std::string tenant_id;
  nlohmann::json config;                          // the resolved configuration
  std::vector<data::AttachedDatabase> databases;  // the tenant's data sources
  int64_t query_deadline_ms = 0;                  // the query's deadline (<= job duration)
  int64_t max_dataset_bytes = 0;
  int threads = 1;
  std::string model_dir;  // where the model bundle is written

  nlohmann::json to_json() const;
  static Result<WorkerJob> from_json(const nlohmann::json& j);
};

}  // namespace traind::jobs
