// Number formatting and parsing for the LightGBM text model format.
#include "engines/trees/gbdt/text_numbers.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace traind::engines::trees::detail {

std::string format_g17(double value) {
  char buffer[40];
  const int n = std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return std::string(buffer, n);
}

std::string format_g(double value) {
  char buffer[40];
  const int n = std::snprintf(buffer, sizeof(buffer), "%g", value);
  return std::string(buffer, n);
}

namespace {

template <typename T, typename Format>
std::string join_with(const std::vector<T>& values, Format format) {
  std::string out;
  out.reserve(values.size() * 12);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += format(static_cast<double>(values[i]));
  }
  return out;
}

}  // namespace

std::string join_g17(const std::vector<double>& values) { return join_with(values, format_g17); }
std::string join_g(const std::vector<double>& values) { return join_with(values, format_g); }
std::string join_g(const std::vector<float>& values) { return join_with(values, format_g); }

bool parse_double(std::string_view text, double* out) {
  if (text.empty()) return false;
  // strtod needs a terminated string; tokens are short.
  char buffer[64];
  std::string long_text;
  const char* begin;
  if (text.size() < sizeof(buffer)) {
    text.copy(buffer, text.size());
    buffer[text.size()] = '\0';
    begin = buffer;
  } else {
    long_text.assign(text);
    begin = long_text.c_str();
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (end != begin + text.size()) return false;
  // Underflow to a denormal or zero is fine (LightGBM reads it the same way).
  if (errno == ERANGE && std::isinf(value)) return false;
  *out = value;
  return true;
}

bool parse_int64(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;
  const auto result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start <= text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    if (space > start) tokens.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

}  // namespace traind::engines::trees::detail
