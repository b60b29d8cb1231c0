// Frequencies of forecasting data (spec C.1, C.2.2): the pandas-style aliases `S`, `min`,
// `H`, `D`, `W`, `MS`/`M`, `QS`/`Q`, `YS`/`Y` with an optional multiple (`15min`), stepping
// a timestamp by whole periods, placing timestamps on a grid and inferring the frequency of
// a series.
//
// Fixed units are a number of seconds (`W` = 7 days, as the spec's `7D -> W`, not pandas'
// Sunday-anchored `W-SUN`). Calendar units step whole months and keep their anchor: the
// first day of the month for `MS`/`QS`/`YS`, the last day for `M`/`Q`/`Y`, with the time of
// day of the grid's origin. Quarters and years count from the series' own first timestamp
// (pandas' `QS` means `QS-JAN`; here any month may start the cycle). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace traind::train {

enum class FrequencyUnit {
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonthStart,
  kMonthEnd,
  kQuarterStart,
  kQuarterEnd,
  kYearStart,
  kYearEnd,
};

struct Frequency {
  FrequencyUnit unit = FrequencyUnit::kDay;
  int64_t multiple = 1;  // >= 1

  bool operator==(const Frequency&) const = default;
};

// "15min" -> {kMinute, 15}; "MS", "M", "QS", "Q", "YS", "Y", "S", "min", "H", "D", "W".
// kInvalidConfig (detail path /forecast/frequency) naming the accepted aliases otherwise.
Result<Frequency> parse_frequency(std::string_view text);

// The alias that parse_frequency reads back: "D", "15min", "MS".
std::string frequency_name(const Frequency& frequency);

// True for the month-based units (MS, M, QS, Q, YS, Y).
bool is_calendar_unit(FrequencyUnit unit);

// True for D, W and the calendar units: a grid of dates when its origin is a midnight.
bool is_daily_or_longer(FrequencyUnit unit);

// forecast.seasonal_period's default (spec C.1): H -> 24, D -> 7, W -> 52, M/MS -> 12,
// Q/QS -> 4, anything else (multiples such as 2H included) -> 1.
int default_seasonal_period(const Frequency& frequency);

// `origin` moved by k periods (k may be negative). Calendar units land on their anchor day
// of the target month (so 2025-01-31 + 1 `M` = 2025-02-28) with origin's time of day.
int64_t step_timestamp(int64_t origin, const Frequency& frequency, int64_t k);

// The k with step_timestamp(origin, frequency, k) == t, or nullopt when t is not on the grid
// through origin (for calendar units origin must itself sit on the anchor).
std::optional<int64_t> grid_index(int64_t t, int64_t origin, const Frequency& frequency);

// Infers the frequency of strictly increasing timestamps (at least two) by C.2.2: month
// starts (ends) one, three or twelve months apart at the minimum give MS, QS, YS (M, Q, Y),
// other month gaps a multiple of MS (M); otherwise the smallest gap as W, D, H, min or S with
// a multiple. Every gap must be a whole multiple of the smallest. kDataError naming
// `series_label` ("series 'store_1'") and asking for forecast.frequency otherwise.
Result<Frequency> infer_frequency(const std::vector<int64_t>& timestamps,
                                  const std::string& series_label);

}  // namespace traind::train
