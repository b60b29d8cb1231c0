// TenantLimits: the six resource limits of the seed plus the queue bound, per tenant.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/status.h"

namespace traind::jobs {

struct TenantLimits {
  int max_concurrent_jobs = 5;
  int64_t max_duration_seconds = 4 * 3600;
  int64_t max_dataset_bytes = 10LL << 30;
  int cpu_cores = 4;
  int64_t memory_bytes = 16LL << 30;
  int gpus = 0;
  int max_queued_jobs = 100;

  nlohmann::json to_json() const;
  // Applies the fields present in `patch` (any subset) on top of this; reports every bad
  // field at once with JSON Pointers under `path_prefix` (e.g. "/limits").
  Status apply_patch(const nlohmann::json& patch, const std::string& path_prefix);
};

}  // namespace traind::jobs
