#include "data/table.h"

#include <charconv>
#include <cmath>

namespace traind::data {

bool Column::is_missing(size_t row) const {
  return storage == StorageType::kNumber ? std::isnan(numbers[row]) : missing[row] != 0;
}

std::string Column::text(size_t row) const {
  if (is_missing(row)) return "";
  return storage == StorageType::kNumber ? format_number(numbers[row]) : strings[row];
}

int Table::find(const std::string& name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t Table::byte_size() const {
  size_t bytes = 0;
  for (const auto& c : columns_) {
    bytes += c.numbers.size() * sizeof(double) + c.missing.size();
    for (const auto& s : c.strings) bytes += s.size() + sizeof(std::string);
  }
  return bytes;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, end);
}

}  // namespace traind::data
