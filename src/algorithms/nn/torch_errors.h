// Turning what libtorch throws into a Status at the module's boundary.
#pragma once

#include <exception>
#include <string>

#include "core/status.h"

namespace traind::algorithms::nn {

// kOutOfMemory for an allocation failure (std::bad_alloc, or a c10::Error from the CPU
// allocator), else `otherwise`; the message starts with `context`.
Status status_from_exception(const std::exception& e, const std::string& context,
                             ErrorCode otherwise = ErrorCode::kTrainingError);

// Runs `f` (returning a Status or Result) and turns anything it throws into a Status.
template <typename F>
auto guarded(const std::string& context, ErrorCode otherwise, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return status_from_exception(e, context, otherwise);
  } catch (...) {
    return Status(otherwise, context + ": unknown error");
  }
}

}  // namespace traind::algorithms::nn
