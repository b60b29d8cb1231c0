// JobStatus: the states of a training job and the moves between them.
//
//   queued -> running -> completed | failed | cancelled
//   queued -> cancelled
// A terminal state never changes again; the store enforces this with conditional updates.
#pragma once

#include <optional>
#include <string>

namespace traind::jobs {

enum class JobStatus { kQueued, kRunning, kCompleted, kFailed, kCancelled };

const char* job_status_name(JobStatus s);
std::optional<JobStatus> job_status_from_name(const std::string& name);
inline bool is_terminal(JobStatus s) {
  return s == JobStatus::kCompleted || s == JobStatus::kFailed || s == JobStatus::kCancelled;
}

}  // namespace traind::jobs
