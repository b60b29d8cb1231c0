#include "jobs/job_outcome.h"

#include <fmt/format.h>
#include <string.h>

#include "core/status.h"
#include "jobs/json_fields.h"
#include "jobs/worker_job.h"

namespace traind::jobs {
namespace {

nlohmann::json job_error(ErrorCode code, const std::string& message) {
  return {{"code", error_code_name(code)}, {"message", message}};
}

// The error a worker reported, kept only if it is a job-level code of API.md that a worker
// may report (CANCELLED or SERVER_RESTARTED are the server's to decide).
nlohmann::json reported_error(const nlohmann::json& e) {
  std::string message = json_string(e, "message");
  std::string name = json_string(e, "code");
  auto code = error_code_from_name(name);
  bool job_level =
      code && (*code == ErrorCode::kTimeout || *code == ErrorCode::kOutOfMemory ||
               *code == ErrorCode::kDatasetTooLarge || *code == ErrorCode::kDataError ||
               *code == ErrorCode::kTrainingError || *code == ErrorCode::kWorkerCrashed);
  if (message.empty()) message = "the worker reported an error without a message";
  if (!job_level) return job_error(ErrorCode::kTrainingError, message);
  return job_error(*code, message);
}

}  // namespace

std::string describe_exit(const WorkerExit& exit) {
  if (exit.exited) return fmt::format("exit code {}", exit.exit_code);
  const char* abbrev = sigabbrev_np(exit.signal);
  return abbrev ? fmt::format("signal {} (SIG{})", exit.signal, abbrev)
                : fmt::format("signal {}", exit.signal);
}

JobOutcome decide_outcome(const WorkerReport& r) {
  if (r.stopped_by == StopReason::kCancel) return {JobStatus::kCancelled, nullptr};
  if (r.stopped_by == StopReason::kTimeout) {
    return {JobStatus::kFailed,
            job_error(ErrorCode::kTimeout,
                      fmt::format("the job ran longer than the tenant's limit of {} s",
                                  r.max_duration_seconds))};
  }
  if (r.exit.exited && r.exit.exit_code == kWorkerExitOk && r.has_result) {
    return {JobStatus::kCompleted, nullptr};
  }
  if (!r.error_event.is_null()) return {JobStatus::kFailed, reported_error(r.error_event)};
  if (r.exit.exited && r.exit.exit_code == kWorkerExitOutOfMemory) {
    return {
        JobStatus::kFailed,
        job_error(ErrorCode::kOutOfMemory,
                  fmt::format("the worker ran out of memory (limit {} bytes)", r.memory_bytes))};
  }
  std::string how = "the worker process ended with " + describe_exit(r.exit);
  if (r.exit.exited && r.exit.exit_code == kWorkerExitOk) how += " without a result";
  return {JobStatus::kFailed, job_error(ErrorCode::kWorkerCrashed, how)};
}

}  // namespace traind::jobs
