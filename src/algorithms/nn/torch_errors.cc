// c10::Error derives from std::exception; its what() carries a C++ backtrace, which
// users need not see: the first line says what happened.
#include "algorithms/nn/torch_errors.h"

#include <algorithm>
#include <new>

namespace traind::algorithms::nn {
namespace {

bool is_allocation_failure(const std::exception& e, const std::string& what) {
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return true;
  for (const char* sign : {"can't allocate memory", "not enough memory", "DefaultCPUAllocator",
                           "std::bad_alloc", "Cannot allocate memory"}) {
    if (what.find(sign) != std::string::npos) return true;
  }
  return false;
}

std::string first_line(const std::string& what) {
  const size_t begin = std::min(what.find_first_not_of("\n "), what.size());
  const size_t end = what.find('\n', begin);
  std::string line = what.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  // c10 appends " (most recent call first):" before its backtrace.
  const std::string tail = " (most recent call first):";
  if (line.size() > tail.size() &&
      line.compare(line.size() - tail.size(), tail.size(), tail) == 0) {
    line.resize(line.size() - tail.size());
  }
  return line;
}

}  // namespace

Status status_from_exception(const std::exception& e, const std::string& context,
                             ErrorCode otherwise) {
  const std::string what = e.what() != nullptr ? e.what() : "";
  if (is_allocation_failure(e, what)) {
    return Status(ErrorCode::kOutOfMemory,
                  context + ": out of memory (" + first_line(what) +
                      "); lower the network's size, batch_size or max_length, or raise the "
                      "job's memory limit");
  }
  return Status(otherwise, context + ": " + first_line(what));
}

}  // namespace traind::algorithms::nn
