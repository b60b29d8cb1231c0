#include "jobs/tenant_limits.h"

#include <fmt/format.h>

#include <functional>
#include <limits>

namespace traind::jobs {

nlohmann::json TenantLimits::to_json() const {
  return {{"max_concurrent_jobs", max_concurrent_jobs},
          {"max_duration_seconds", max_duration_seconds},
          {"max_dataset_bytes", max_dataset_bytes},
          {"cpu_cores", cpu_cores},
          {"memory_bytes", memory_bytes},
          {"gpus", gpus},
          {"max_queued_jobs", max_queued_jobs}};
}

Status TenantLimits::apply_patch(const nlohmann::json& patch, const std::string& path_prefix) {
  if (!patch.is_object()) {
    return Status(ErrorCode::kInvalidConfig, "limits must be an object",
                  {{path_prefix, "must be an object"}});
  }
  struct Field {
    const char* name;
    int64_t min;
    int64_t max;
    std::function<void(int64_t)> set;
  };
  const Field fields[] = {
      {"max_concurrent_jobs", 1, 10000, [&](int64_t v) { max_concurrent_jobs = int(v); }},
      {"max_duration_seconds", 1, 30LL * 86400, [&](int64_t v) { max_duration_seconds = v; }},
      {"max_dataset_bytes", 1024, 1LL << 50, [&](int64_t v) { max_dataset_bytes = v; }},
      {"cpu_cores", 1, 1024, [&](int64_t v) { cpu_cores = int(v); }},
      {"memory_bytes", 64LL << 20, 1LL << 50, [&](int64_t v) { memory_bytes = v; }},
      {"gpus", 0, 64, [&](int64_t v) { gpus = int(v); }},
      {"max_queued_jobs", 0, 1000000, [&](int64_t v) { max_queued_jobs = int(v); }},
  };
  std::vector<ErrorDetail> problems;
  TenantLimits copy = *this;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const Field* field = nullptr;
    for (const auto& f : fields) {
      if (it.key() == f.name) field = &f;
    }
    std::string path = path_prefix + "/" + it.key();
    if (!field) {
      problems.push_back({path,
                          "unknown limit; allowed: max_concurrent_jobs, max_duration_seconds, "
                          "max_dataset_bytes, cpu_cores, memory_bytes, gpus, max_queued_jobs"});
      continue;
    }
    if (!it.value().is_number_integer()) {
      problems.push_back({path, fmt::format("must be an integer, got {}", it.value().dump())});
      continue;
    }
    int64_t v = it.value().get<int64_t>();
    if (v < field->min || v > field->max) {
      problems.push_back(
          {path, fmt::format("must be between {} and {}, got {}", field->min, field->max, v)});
      continue;
    }
    field->set(v);
  }
  if (!problems.empty()) {
    *this = copy;
    // The message is built before `problems` is moved: argument order is unspecified.
    std::string message =
        problems.size() == 1
            ? fmt::format("{}: {}", problems[0].path, problems[0].message)
            : fmt::format("the limits have {} problems; see details", problems.size());
    return Status(ErrorCode::kInvalidConfig, std::move(message), std::move(problems));
  }
  return Status::ok();
}

}  // namespace traind::jobs
