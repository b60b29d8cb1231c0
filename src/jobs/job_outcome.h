// How a running job ended, decided from what its worker reported and how its process
// ended. Kept apart from the scheduler so that every rule of worker_job.h is one place.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/executor.h"
#include "jobs/job_state.h"

namespace traind::jobs {

// Why the server itself stopped a worker, if it did.
enum class StopReason { kNone, kTimeout, kCancel };

struct WorkerReport {
  bool has_result = false;     // a "result" event arrived
  nlohmann::json error_event;  // the "error" event's error object, or null
  WorkerExit exit;
  StopReason stopped_by = StopReason::kNone;
  int64_t memory_bytes = 0;  // the limit the worker ran under (for the message)
  int64_t max_duration_seconds = 0;
};

struct JobOutcome {
  JobStatus status = JobStatus::kFailed;
  nlohmann::json error;  // {"code", "message"} when failed, else null
};

JobOutcome decide_outcome(const WorkerReport& report);

// "signal 9 (SIGKILL)" or "exit code 2".
std::string describe_exit(const WorkerExit& exit);

}  // namespace traind::jobs
