// MLflow's checks on what a client logs (mlflow/utils/validation.py): key names, value
// lengths and batch sizes, with MLflow's limits and wording. Failures are kInvalidConfig
// (INVALID_PARAMETER_VALUE on the wire).
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"
#include "tracking/run.h"

namespace traind::tracking {

inline constexpr size_t kMaxEntityKeyLength = 250;
inline constexpr size_t kMaxParamValueLength = 6000;
inline constexpr size_t kMaxTagValueLength = 8000;
inline constexpr size_t kMaxParamsTagsPerBatch = 100;
inline constexpr size_t kMaxMetricsPerBatch = 1000;
inline constexpr size_t kMaxEntitiesPerBatch = 1000;
inline constexpr size_t kMaxExperimentNameLength = 500;

// `what` is "metric", "param" or "tag" (for the message).
Status validate_key(const std::string& key, const char* what);
Status validate_metric(const Metric& metric);
Status validate_param(const Param& param);
Status validate_tag(const Tag& tag);
Status validate_batch_limits(size_t metrics, size_t params, size_t tags);
Status validate_experiment_name(const std::string& name);

}  // namespace traind::tracking
