// JobRecord: everything the service knows about one training job, as stored.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/job_state.h"

namespace traind::jobs {

struct JobRecord {
  std::string job_id;
  std::string tenant_id;
  std::string name;
  std::string algorithm;
  std::string task_type;
  JobStatus status = JobStatus::kQueued;
  nlohmann::json config;     // the resolved configuration
  nlohmann::json resources;  // limits applied to the worker (cpu_cores, memory_bytes, ...)
  nlohmann::json progress;   // latest progress event (phase, percent, iteration, ...)
  nlohmann::json error;      // null unless failed: {"code", "message"}
  nlohmann::json result;     // null unless completed: metrics, feature_importance, ...
  std::string idempotency_key;
  std::string model_artifact_id;
  int64_t created_at_ms = 0;
  int64_t started_at_ms = 0;   // 0 = not yet
  int64_t finished_at_ms = 0;  // 0 = not yet
  int64_t worker_pid = 0;
  int64_t seq = 0;  // insertion order, for stable newest-first listing

  // API.md's job record. List items omit the configuration and the curves.
  nlohmann::json to_json(bool include_config) const;
};

// The job as a live "status" event: {"type":"status", ...the full job record...}.
nlohmann::json status_event(const JobRecord& job);

}  // namespace traind::jobs
