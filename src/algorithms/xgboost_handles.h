// Owning handles and error conversion for libxgboost's C API.
//
// Every C API call returns non-zero on failure with the reason in XGBGetLastError();
// xgboost_status turns that into a Status, and the unique_ptr aliases free handles on
// every path out of a function.
#pragma once

#include <xgboost/c_api.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace traind::algorithms {

struct DMatrixFree {
  void operator()(void* h) const { XGDMatrixFree(h); }
};
struct BoosterFree {
  void operator()(void* h) const { XGBoosterFree(h); }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixFree>;
using BoosterPtr = std::unique_ptr<void, BoosterFree>;

// OK when `rc` is 0, else `code` with "<what>: <XGBoost's last error>" (without the
// native stack trace XGBoost appends, which means nothing to a user).
inline Status xgboost_status(int rc, const std::string& what,
                             ErrorCode code = ErrorCode::kTrainingError) {
  if (rc == 0) return Status::ok();
  std::string error = XGBGetLastError();
  if (size_t trace = error.find("\nStack trace:"); trace != std::string::npos) {
    error.resize(trace);
  }
  return Status(code, "xgboost: " + what + ": " + error);
}

}  // namespace traind::algorithms
