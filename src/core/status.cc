#include "core/status.h"

#include <array>
#include <utility>

namespace traind {
namespace {

constexpr std::array<std::pair<ErrorCode, const char*>, 18> kNames = {{
    {ErrorCode::kOk, "OK"},
    {ErrorCode::kInvalidJson, "INVALID_JSON"},
    {ErrorCode::kInvalidConfig, "INVALID_CONFIG"},
    {ErrorCode::kUnauthenticated, "UNAUTHENTICATED"},
    {ErrorCode::kForbidden, "FORBIDDEN"},
    {ErrorCode::kNotFound, "NOT_FOUND"},
    {ErrorCode::kConflict, "CONFLICT"},
    {ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE"},
    {ErrorCode::kQuotaExceeded, "QUOTA_EXCEEDED"},
    {ErrorCode::kInternal, "INTERNAL"},
    {ErrorCode::kTimeout, "TIMEOUT"},
    {ErrorCode::kOutOfMemory, "OUT_OF_MEMORY"},
    {ErrorCode::kDatasetTooLarge, "DATASET_TOO_LARGE"},
    {ErrorCode::kDataError, "DATA_ERROR"},
    {ErrorCode::kTrainingError, "TRAINING_ERROR"},
    {ErrorCode::kWorkerCrashed, "WORKER_CRASHED"},
    {ErrorCode::kServerRestarted, "SERVER_RESTARTED"},
    {ErrorCode::kCancelled, "CANCELLED"},
}};

}  // namespace

const char* error_code_name(ErrorCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "INTERNAL";
}

std::optional<ErrorCode> error_code_from_name(const std::string& name) {
  for (const auto& [c, n] : kNames) {
    if (name == n) return c;
  }
  return std::nullopt;
}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string s = std::string(error_code_name(code_)) + ": " + message_;
  for (const auto& d : details_) s += "\n  " + (d.path.empty() ? "/" : d.path) + ": " + d.message;
  return s;
}

}  // namespace traind
