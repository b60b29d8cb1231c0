// Frequency aliases, calendar-aware stepping and C.2.2's frequency inference.
#include "train/forecast_frequency.h"

#include <algorithm>
#include <array>
#include <utility>

#include "train/forecast_timestamp.h"

namespace traind::train {
namespace {

constexpr int64_t kMaxMultiple = 1000000;

struct FrequencyAlias {
  const char* name;
  FrequencyUnit unit;
};

// The spec's aliases first (frequency_name uses the first name of each unit), then the
// pandas spellings people also write (`T` for minutes, pandas 2.2's `h`, `ME`, `QE`, `YE`
// and the older `A`, `AS`).
constexpr std::array<FrequencyAlias, 18> kAliases = {{
    {"S", FrequencyUnit::kSecond},
    {"min", FrequencyUnit::kMinute},
    {"H", FrequencyUnit::kHour},
    {"D", FrequencyUnit::kDay},
    {"W", FrequencyUnit::kWeek},
    {"MS", FrequencyUnit::kMonthStart},
    {"M", FrequencyUnit::kMonthEnd},
    {"QS", FrequencyUnit::kQuarterStart},
    {"Q", FrequencyUnit::kQuarterEnd},
    {"YS", FrequencyUnit::kYearStart},
    {"Y", FrequencyUnit::kYearEnd},
    {"T", FrequencyUnit::kMinute},
    {"h", FrequencyUnit::kHour},
    {"ME", FrequencyUnit::kMonthEnd},
    {"QE", FrequencyUnit::kQuarterEnd},
    {"YE", FrequencyUnit::kYearEnd},
    {"A", FrequencyUnit::kYearEnd},
    {"AS", FrequencyUnit::kYearStart},
}};

// Seconds per period of a fixed unit.
int64_t unit_seconds(FrequencyUnit unit) {
  switch (unit) {
    case FrequencyUnit::kSecond:
      return 1;
    case FrequencyUnit::kMinute:
      return 60;
    case FrequencyUnit::kHour:
      return 3600;
    case FrequencyUnit::kDay:
      return 86400;
    case FrequencyUnit::kWeek:
      return 7 * 86400;
    default:
      return 0;
  }
}

// Months per period of a calendar unit.
int64_t unit_months(FrequencyUnit unit) {
  switch (unit) {
    case FrequencyUnit::kMonthStart:
    case FrequencyUnit::kMonthEnd:
      return 1;
    case FrequencyUnit::kQuarterStart:
    case FrequencyUnit::kQuarterEnd:
      return 3;
    case FrequencyUnit::kYearStart:
    case FrequencyUnit::kYearEnd:
      return 12;
    default:
      return 0;
  }
}

bool anchored_at_month_start(FrequencyUnit unit) {
  return unit == FrequencyUnit::kMonthStart || unit == FrequencyUnit::kQuarterStart ||
         unit == FrequencyUnit::kYearStart;
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t month_number(const CivilTime& c) { return int64_t{c.year} * 12 + (c.month - 1); }

bool on_anchor(const CivilTime& c, bool month_start) {
  return month_start ? c.day == 1 : c.day == days_in_month(c.year, c.month);
}

std::string describe_gap(int64_t seconds) {
  auto plural = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (seconds % 86400 == 0) return plural(seconds / 86400, "day");
  if (seconds % 3600 == 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 == 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

Status no_regular_grid(const std::string& series_label, const std::string& why) {
  return Status(ErrorCode::kDataError, series_label + " has timestamps on no regular grid (" + why +
                                           "); give forecast.frequency");
}

// Month-anchored inference: nullopt when the timestamps are not all on the anchor with one
// time of day; a Status when they are but their month gaps are irregular.
std::optional<Result<Frequency>> infer_calendar_frequency(const std::vector<int64_t>& timestamps,
                                                          bool month_start,
                                                          const std::string& series_label) {
  std::vector<CivilTime> civil;
  civil.reserve(timestamps.size());
  for (int64_t t : timestamps) {
    civil.push_back(to_civil(t));
    if (!on_anchor(civil.back(), month_start) ||
        civil.back().seconds_of_day != civil.front().seconds_of_day) {
      return std::nullopt;
    }
  }
  int64_t smallest = 0;
  for (size_t i = 1; i < civil.size(); ++i) {
    const int64_t gap = month_number(civil[i]) - month_number(civil[i - 1]);
    if (smallest == 0 || gap < smallest) smallest = gap;
  }
  for (size_t i = 1; i < civil.size(); ++i) {
    const int64_t gap = month_number(civil[i]) - month_number(civil[i - 1]);
    if (gap % smallest != 0) {
      return Result<Frequency>(
          no_regular_grid(series_label, "the gap of " + std::to_string(gap) + " months after " +
                                            describe_timestamp(timestamps[i - 1]) +
                                            " is not a whole multiple of the smallest gap of " +
                                            std::to_string(smallest) + " months"));
    }
  }
  Frequency f;
  if (smallest % 12 == 0) {
    f = {month_start ? FrequencyUnit::kYearStart : FrequencyUnit::kYearEnd, smallest / 12};
  } else if (smallest % 3 == 0) {
    f = {month_start ? FrequencyUnit::kQuarterStart : FrequencyUnit::kQuarterEnd, smallest / 3};
  } else {
    f = {month_start ? FrequencyUnit::kMonthStart : FrequencyUnit::kMonthEnd, smallest};
  }
  return Result<Frequency>(f);
}

}  // namespace

Result<Frequency> parse_frequency(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view alias = text.substr(digits);
  int64_t multiple = 1;
  bool multiple_ok = digits <= 7;
  if (digits > 0 && multiple_ok) {
    multiple = 0;
    for (size_t i = 0; i < digits; ++i) multiple = multiple * 10 + (text[i] - '0');
    multiple_ok = multiple >= 1 && multiple <= kMaxMultiple;
  }
  for (const FrequencyAlias& a : kAliases) {
    if (alias == a.name && multiple_ok) return Frequency{a.unit, multiple};
  }
  const std::string message =
      "forecast.frequency '" + std::string(text) +
      "' is not a frequency: use S, min, H, D, W, MS, M, QS, Q, YS or Y, optionally after a "
      "whole multiple from 1 to " +
      std::to_string(kMaxMultiple) + " (e.g. '15min')";
  return Status(ErrorCode::kInvalidConfig, message, {{"/forecast/frequency", message}});
}

std::string frequency_name(const Frequency& frequency) {
  std::string name;
  for (const FrequencyAlias& a : kAliases) {
    if (a.unit == frequency.unit) {
      name = a.name;
      break;
    }
  }
  return frequency.multiple == 1 ? name : std::to_string(frequency.multiple) + name;
}

bool is_calendar_unit(FrequencyUnit unit) { return unit_months(unit) != 0; }

bool is_daily_or_longer(FrequencyUnit unit) {
  return unit == FrequencyUnit::kDay || unit == FrequencyUnit::kWeek || is_calendar_unit(unit);
}

int default_seasonal_period(const Frequency& frequency) {
  if (frequency.multiple != 1) return 1;
  switch (frequency.unit) {
    case FrequencyUnit::kHour:
      return 24;
    case FrequencyUnit::kDay:
      return 7;
    case FrequencyUnit::kWeek:
      return 52;
    case FrequencyUnit::kMonthStart:
    case FrequencyUnit::kMonthEnd:
      return 12;
    case FrequencyUnit::kQuarterStart:
    case FrequencyUnit::kQuarterEnd:
      return 4;
    default:
      return 1;
  }
}

int64_t step_timestamp(int64_t origin, const Frequency& frequency, int64_t k) {
  if (!is_calendar_unit(frequency.unit)) {
    return origin + k * frequency.multiple * unit_seconds(frequency.unit);
  }
  const CivilTime from = to_civil(origin);
  const int64_t month = month_number(from) + k * frequency.multiple * unit_months(frequency.unit);
  CivilTime to;
  to.year = static_cast<int>(floor_div(month, 12));
  to.month = static_cast<int>(month - int64_t{to.year} * 12) + 1;
  to.day = anchored_at_month_start(frequency.unit) ? 1 : days_in_month(to.year, to.month);
  to.seconds_of_day = from.seconds_of_day;
  return from_civil(to);
}

std::optional<int64_t> grid_index(int64_t t, int64_t origin, const Frequency& frequency) {
  if (!is_calendar_unit(frequency.unit)) {
    const int64_t period = frequency.multiple * unit_seconds(frequency.unit);
    if ((t - origin) % period != 0) return std::nullopt;
    return (t - origin) / period;
  }
  const CivilTime at = to_civil(t), from = to_civil(origin);
  const bool month_start = anchored_at_month_start(frequency.unit);
  if (!on_anchor(at, month_start) || !on_anchor(from, month_start) ||
      at.seconds_of_day != from.seconds_of_day) {
    return std::nullopt;
  }
  const int64_t months = month_number(at) - month_number(from);
  const int64_t period = frequency.multiple * unit_months(frequency.unit);
  if (months % period != 0) return std::nullopt;
  return months / period;
}

Result<Frequency> infer_frequency(const std::vector<int64_t>& timestamps,
                                  const std::string& series_label) {
  if (timestamps.size() < 2) {
    return Status(ErrorCode::kDataError, series_label +
                                             " has a single timestamp, so its frequency cannot "
                                             "be inferred; give forecast.frequency");
  }
  for (size_t i = 1; i < timestamps.size(); ++i) {
    if (timestamps[i] <= timestamps[i - 1]) {
      return Status(ErrorCode::kDataError, series_label +
                                               " has timestamps out of order or twice at " +
                                               describe_timestamp(timestamps[i]));
    }
  }
  // Calendar units first (C.2.2): month lengths differ, so no fixed gap describes them.
  for (bool month_start : {true, false}) {
    auto calendar = infer_calendar_frequency(timestamps, month_start, series_label);
    if (calendar) return std::move(*calendar);
  }
  int64_t smallest = 0;
  for (size_t i = 1; i < timestamps.size(); ++i) {
    const int64_t gap = timestamps[i] - timestamps[i - 1];
    if (smallest == 0 || gap < smallest) smallest = gap;
  }
  for (size_t i = 1; i < timestamps.size(); ++i) {
    const int64_t gap = timestamps[i] - timestamps[i - 1];
    if (gap % smallest != 0) {
      return no_regular_grid(series_label, "the gap of " + describe_gap(gap) + " after " +
                                               describe_timestamp(timestamps[i - 1]) +
                                               " is not a whole multiple of the smallest gap of " +
                                               describe_gap(smallest));
    }
  }
  for (FrequencyUnit unit : {FrequencyUnit::kWeek, FrequencyUnit::kDay, FrequencyUnit::kHour,
                             FrequencyUnit::kMinute, FrequencyUnit::kSecond}) {
    if (smallest % unit_seconds(unit) == 0) return Frequency{unit, smallest / unit_seconds(unit)};
  }
  return Frequency{FrequencyUnit::kSecond, smallest};
}

}  // namespace traind::train
