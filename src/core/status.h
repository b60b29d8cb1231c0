// Status and Result<T>: errors as values across library boundaries.
//
// A Status is either OK or carries an ErrorCode and a message a person can act on,
// plus optional details (JSON Pointer path + message) for validation problems.
// Thread-compatible: a Status is a value; copy it freely between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace traind {

// One code per failure a caller can tell apart. The HTTP layer maps the request-level
// codes to API.md's status codes; the job-level codes end up in a failed job's `error`.
enum class ErrorCode {
  kOk = 0,
  // Request level (API.md "Errors").
  kInvalidJson,
  kInvalidConfig,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kConflict,
  kPayloadTooLarge,
  kQuotaExceeded,
  kInternal,
  // Job level (API.md "Status": a failed job's error.code).
  kTimeout,
  kOutOfMemory,
  kDatasetTooLarge,
  kDataError,
  kTrainingError,
  kWorkerCrashed,
  kServerRestarted,
  kCancelled,
};

// The wire name of a code, e.g. "INVALID_CONFIG". Declared once here; parsed back by
// error_code_from_name.
const char* error_code_name(ErrorCode code);
std::optional<ErrorCode> error_code_from_name(const std::string& name);

struct ErrorDetail {
  std::string path;     // JSON Pointer into the request body ("" = the whole body)
  std::string message;  // what is wrong at that path
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::vector<ErrorDetail> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<ErrorDetail>& details() const { return details_; }

  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::vector<ErrorDetail> details_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace traind

// Returns early with the Status of an expression that failed.
#define TRAIND_RETURN_IF_ERROR(expr) \
  do {                               \
    ::traind::Status _st = (expr);   \
    if (!_st.is_ok()) return _st;    \
  } while (0)

// Declares `var` as the value of a Result expression, or returns its Status from the
// enclosing function.
#define TRAIND_ASSIGN_OR_RETURN(var, expr)                   \
  auto var##_result_ = (expr);                               \
  if (!var##_result_.is_ok()) return var##_result_.status(); \
  auto var = std::move(var##_result_).value()
