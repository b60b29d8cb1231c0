// Timestamps of forecasting data: ISO-8601 text <-> whole seconds since the Unix epoch (UTC).
//
// A time column holds dates or date-times as text (SQLite has no date type; PostgreSQL's
// dates and timestamps arrive as their ISO text). Times with a UTC offset are converted to
// UTC, times without one are read as UTC (spec C.1), dates are midnight UTC (as R prophet
// reads `ds`). Whole seconds suffice: the finest frequency is one second. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace traind::train {

// Parses 'YYYY-MM-DD', optionally followed by ' ' or 'T' and 'HH:MM' or 'HH:MM:SS' (a
// fraction of zeros allowed, e.g. '.000'), optionally followed by 'Z' or an offset '+HH',
// '+HH:MM' or '+HHMM' (or '-'). Returns seconds since 1970-01-01T00:00:00Z, or nullopt for
// anything else: an invalid date, a fraction of a second, a bare number.
std::optional<int64_t> parse_timestamp(std::string_view text);

// 'YYYY-MM-DD' when `date_only` (the time of day must then be midnight to read back the
// same), else 'YYYY-MM-DDTHH:MM:SSZ'.
std::string format_timestamp(int64_t seconds, bool date_only);

// 'YYYY-MM-DD' at midnight, else 'YYYY-MM-DDTHH:MM:SSZ': for error messages.
std::string describe_timestamp(int64_t seconds);

// A timestamp split into its UTC calendar date and the seconds into that day.
struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int64_t seconds_of_day = 0;
};

CivilTime to_civil(int64_t seconds);
// `civil` must hold a valid date.
int64_t from_civil(const CivilTime& civil);
// Days in the month of that year (28..31).
int days_in_month(int year, int month);

}  // namespace traind::train
