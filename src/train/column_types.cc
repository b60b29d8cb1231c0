// Column type inference and the value parsers it shares with encoding.
#include "train/column_types.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <unordered_set>

namespace traind::train {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// Reads exactly `width` digits at `pos`; -1 when they are not all digits.
int read_digits(std::string_view s, size_t pos, size_t width) {
  if (pos + width > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

const char* column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric:
      return "numeric";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kCategorical:
      return "categorical";
    case ColumnType::kDatetime:
      return "datetime";
    case ColumnType::kText:
      return "text";
  }
  return "numeric";
}

std::optional<ColumnType> column_type_from_name(const std::string& name) {
  for (ColumnType t : {ColumnType::kNumeric, ColumnType::kBoolean, ColumnType::kCategorical,
                       ColumnType::kDatetime, ColumnType::kText}) {
    if (name == column_type_name(t)) return t;
  }
  return std::nullopt;
}

std::optional<double> parse_boolean_text(std::string_view text) {
  if (equals_ignoring_case(text, "true") || equals_ignoring_case(text, "yes")) return 1.0;
  if (equals_ignoring_case(text, "false") || equals_ignoring_case(text, "no")) return 0.0;
  return std::nullopt;
}

std::optional<DateTimeParts> parse_iso_datetime(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = read_digits(s, 0, 4), mo = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return std::nullopt;
  double seconds_of_day = 0;
  if (s.size() > 10) {
    if ((s[10] != ' ' && s[10] != 'T') || s.size() < 19 || s[13] != ':' || s[16] != ':') {
      return std::nullopt;
    }
    const int h = read_digits(s, 11, 2), mi = read_digits(s, 14, 2), sec = read_digits(s, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
    double fraction = 0;
    size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      double scale = 0.1;
      ++pos;
      const size_t digits_start = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        fraction += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == digits_start) return std::nullopt;
    }
    if (pos < s.size() && s[pos] == 'Z') ++pos;
    if (pos != s.size()) return std::nullopt;
    seconds_of_day = h * 3600.0 + mi * 60.0 + sec + fraction;
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const sys_days days{ymd};
  DateTimeParts parts;
  parts.days_since_epoch = days.time_since_epoch().count() + seconds_of_day / 86400.0;
  parts.year = y;
  parts.month = mo;
  // iso_encoding: Monday = 1 .. Sunday = 7.
  parts.day_of_week = static_cast<int>(weekday{days}.iso_encoding()) - 1;
  return parts;
}

ColumnType infer_column_type(const data::Column& column) {
  const size_t n = column.size();
  if (column.storage == data::StorageType::kNumber) {
    bool zero_one = true;
    size_t present = 0;
    for (double v : column.numbers) {
      if (std::isnan(v)) continue;
      ++present;
      if (v != 0.0 && v != 1.0) {
        zero_one = false;
        break;
      }
    }
    return zero_one && present > 0 ? ColumnType::kBoolean : ColumnType::kNumeric;
  }
  size_t present = 0;
  bool all_boolean = true, all_datetime = true;
  std::unordered_set<std::string_view> distinct;
  for (size_t r = 0; r < n; ++r) {
    if (column.missing[r]) continue;
    ++present;
    const std::string& v = column.strings[r];
    if (all_boolean && !parse_boolean_text(v)) all_boolean = false;
    if (all_datetime && !parse_iso_datetime(v)) all_datetime = false;
    distinct.insert(v);
  }
  if (present == 0) return ColumnType::kCategorical;
  if (all_boolean) return ColumnType::kBoolean;
  if (all_datetime) return ColumnType::kDatetime;
  if (distinct.size() <= kMaxCategoricalDistinct || distinct.size() * 2 <= present) {
    return ColumnType::kCategorical;
  }
  return ColumnType::kText;
}

}  // namespace traind::train
