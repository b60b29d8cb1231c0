#include "data/table.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/ids.h"

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

std::string table_sha256(const Table& table) {
  Sha256 hash;
  const auto add_u64 = [&hash](uint64_t v) { hash.update(&v, sizeof v); };
  add_u64(table.num_columns());
  for (const Column& c : table.columns()) {
    add_u64(c.name.size());
    hash.update(c.name);
    add_u64(c.size());
    if (c.storage == StorageType::kNumber) {
      hash.update("n", 1);
      for (double v : c.numbers) {
        // Every NaN is the one missing value; -0.0 and 0.0 are the same number.
        if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
        if (v == 0.0) v = 0.0;
        hash.update(&v, sizeof v);
      }
    } else {
      hash.update("s", 1);
      for (size_t i = 0; i < c.strings.size(); ++i) {
        const bool missing = i < c.missing.size() && c.missing[i];
        hash.update(missing ? "m" : "v", 1);
        if (missing) continue;
        add_u64(c.strings[i].size());
        hash.update(c.strings[i]);
      }
    }
  }
  return hash.hex_digest();
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
