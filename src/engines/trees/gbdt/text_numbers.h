// Number <-> text conversions of LightGBM's model files: "%.17g" for doubles that must
// round-trip, "%g" (fmt's "{:g}" and iostream's default, which print the same) for the
// rest, and locale-independent parsing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace traind::engines::trees::detail {

std::string format_g17(double value);  // %.17g
std::string format_g(double value);    // %g

// Space-separated arrays, as LightGBM's ArrayToString writes them.
std::string join_g17(const std::vector<double>& values);
std::string join_g(const std::vector<double>& values);
std::string join_g(const std::vector<float>& values);
template <typename Int>
std::string join_ints(const std::vector<Int>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += std::to_string(static_cast<int64_t>(values[i]));
  }
  return out;
}

// Whole-token parsers; false when the text is not one number of that kind.
bool parse_double(std::string_view text, double* out);
bool parse_int64(std::string_view text, int64_t* out);

// Splits on single spaces (LightGBM's Split(' ') skips empty tokens).
std::vector<std::string_view> split_spaces(std::string_view text);

}  // namespace traind::engines::trees::detail
