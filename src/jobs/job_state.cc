#include "jobs/job_state.h"

namespace traind::jobs {

const char* job_status_name(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued:
      return "queued";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kCompleted:
      return "completed";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
  }
  return "failed";
}

std::optional<JobStatus> job_status_from_name(const std::string& name) {
  for (auto s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kCompleted, JobStatus::kFailed,
                 JobStatus::kCancelled}) {
    if (name == job_status_name(s)) return s;
  }
  return std::nullopt;
}

}  // namespace traind::jobs
