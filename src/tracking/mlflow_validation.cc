#include "tracking/mlflow_validation.h"

#include <fmt/format.h>

namespace traind::tracking {
namespace {

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidConfig, std::move(message));
}

// MLflow refuses names that posixpath.normpath would change ("a//b", "./a", "a/../b",
// "a/") and names that start with '/': they would escape or alias artifact paths.
bool is_normalized_relative_path(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string segment = name.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

bool allowed_key_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ' ' || c == '/' || c == ':';
}

}  // namespace

Status validate_key(const std::string& key, const char* what) {
  if (key.empty()) {
    return invalid(
        fmt::format("Missing value for required parameter 'key'. Invalid {} name: ''", what));
  }
  for (unsigned char c : key) {
    if (!allowed_key_char(c)) {
      return invalid(fmt::format(
          "Invalid {} name: '{}'. Names may only contain alphanumerics, underscores (_), dashes "
          "(-), periods (.), spaces ( ), colon(:) and slashes (/).",
          what, key));
    }
  }
  if (!is_normalized_relative_path(key)) {
    return invalid(fmt::format(
        "Invalid {} name: '{}'. Names may be treated as files in certain cases, and must not "
        "resolve to other names when treated as such. This name would resolve to '{}'",
        what, key, key));
  }
  if (key.size() > kMaxEntityKeyLength) {
    return invalid(fmt::format("'{}' exceeds the maximum length of {} characters", "key",
                               kMaxEntityKeyLength));
  }
  return Status::ok();
}

Status validate_metric(const Metric& m) { return validate_key(m.key, "metric"); }

Status validate_param(const Param& p) {
  TRAIND_RETURN_IF_ERROR(validate_key(p.key, "parameter"));
  if (p.value.size() > kMaxParamValueLength) {
    return invalid(
        fmt::format("Param value '{}...' had length {}, which exceeded length limit of {}",
                    p.value.substr(0, 100), p.value.size(), kMaxParamValueLength));
  }
  return Status::ok();
}

Status validate_tag(const Tag& t) {
  TRAIND_RETURN_IF_ERROR(validate_key(t.key, "tag"));
  if (t.value.size() > kMaxTagValueLength) {
    return invalid(
        fmt::format("'value' exceeds the maximum length of {} characters", kMaxTagValueLength));
  }
  return Status::ok();
}

Status validate_batch_limits(size_t metrics, size_t params, size_t tags) {
  if (metrics > kMaxMetricsPerBatch) {
    return invalid(fmt::format(
        "A batch logging request can contain at most {} metrics. Got {} metrics. Please split "
        "up metrics across multiple requests and try again.",
        kMaxMetricsPerBatch, metrics));
  }
  if (params > kMaxParamsTagsPerBatch) {
    return invalid(fmt::format(
        "A batch logging request can contain at most {} params. Got {} params. Please split up "
        "params across multiple requests and try again.",
        kMaxParamsTagsPerBatch, params));
  }
  if (tags > kMaxParamsTagsPerBatch) {
    return invalid(fmt::format(
        "A batch logging request can contain at most {} tags. Got {} tags. Please split up tags "
        "across multiple requests and try again.",
        kMaxParamsTagsPerBatch, tags));
  }
  if (metrics + params + tags > kMaxEntitiesPerBatch) {
    return invalid(fmt::format(
        "A batch logging request can contain at most {} metrics, params, and tags in total. "
        "Got {} entities in total.",
        kMaxEntitiesPerBatch, metrics + params + tags));
  }
  return Status::ok();
}

Status validate_experiment_name(const std::string& name) {
  if (name.empty()) {
    return invalid("Invalid experiment name: ''");
  }
  if (name.size() > kMaxExperimentNameLength) {
    return invalid(fmt::format("'name' exceeds the maximum length of {} characters",
                               kMaxExperimentNameLength));
  }
  return Status::ok();
}

}  // namespace traind::tracking
