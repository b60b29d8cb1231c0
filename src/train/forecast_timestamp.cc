// ISO-8601 timestamps of forecasting data as whole UTC seconds, on std::chrono's calendar.
#include "train/forecast_timestamp.h"

#include <chrono>
#include <cstdio>

namespace traind::train {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// The value of `count` digits at `pos`, or -1 when any of them is not a digit.
int read_digits(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Reads '+HH', '+HH:MM' or '+HHMM' (or '-') at `pos` through the end of `s`: the offset
// from UTC in seconds, or nullopt.
std::optional<int64_t> read_utc_offset(std::string_view s, size_t pos) {
  const char sign = s[pos];
  if (sign != '+' && sign != '-') return std::nullopt;
  const std::string_view rest = s.substr(pos + 1);
  int hours = -1, minutes = 0;
  if (rest.size() == 2) {
    hours = read_digits(rest, 0, 2);
  } else if (rest.size() == 4) {
    hours = read_digits(rest, 0, 2);
    minutes = read_digits(rest, 2, 2);
  } else if (rest.size() == 5 && rest[2] == ':') {
    hours = read_digits(rest, 0, 2);
    minutes = read_digits(rest, 3, 2);
  }
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
  const int64_t offset = hours * 3600 + minutes * 60;
  return sign == '+' ? offset : -offset;
}

}  // namespace

int days_in_month(int year, int month) {
  using namespace std::chrono;
  const year_month_day_last last{std::chrono::year{year} /
                                 std::chrono::month{static_cast<unsigned>(month)} /
                                 std::chrono::last};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

CivilTime to_civil(int64_t seconds) {
  using namespace std::chrono;
  const int64_t days = floor_div(seconds, kSecondsPerDay);
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  CivilTime civil;
  civil.year = static_cast<int>(ymd.year());
  civil.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  civil.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  civil.seconds_of_day = seconds - days * kSecondsPerDay;
  return civil;
}

int64_t from_civil(const CivilTime& civil) {
  using namespace std::chrono;
  const sys_days days{std::chrono::year{civil.year} /
                      std::chrono::month{static_cast<unsigned>(civil.month)} /
                      std::chrono::day{static_cast<unsigned>(civil.day)}};
  return static_cast<int64_t>(days.time_since_epoch().count()) * kSecondsPerDay +
         civil.seconds_of_day;
}

std::optional<int64_t> parse_timestamp(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  CivilTime civil;
  civil.year = read_digits(s, 0, 4);
  civil.month = read_digits(s, 5, 2);
  civil.day = read_digits(s, 8, 2);
  if (civil.year < 0 || civil.month < 1 || civil.month > 12 || civil.day < 1 ||
      civil.day > days_in_month(civil.year, civil.month)) {
    return std::nullopt;
  }
  size_t pos = 10;
  int64_t offset = 0;
  if (pos < s.size()) {
    if ((s[pos] != ' ' && s[pos] != 'T') || s.size() < pos + 6 || s[pos + 3] != ':') {
      return std::nullopt;
    }
    const int hours = read_digits(s, pos + 1, 2), minutes = read_digits(s, pos + 4, 2);
    int seconds = 0;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      seconds = read_digits(s, pos + 1, 2);
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        // Only a zero fraction: a finer time could not be told apart on the grid.
        const size_t first_digit = ++pos;
        while (pos < s.size() && s[pos] == '0') ++pos;
        if (pos == first_digit || (pos < s.size() && s[pos] >= '1' && s[pos] <= '9')) {
          return std::nullopt;
        }
      }
    }
    // A leap second (':60') has no place on a regular grid.
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
      return std::nullopt;
    }
    civil.seconds_of_day = hours * 3600 + minutes * 60 + seconds;
    if (pos < s.size()) {
      if (s[pos] == 'Z' && pos + 1 == s.size()) {
        pos = s.size();
      } else {
        const auto utc_offset = read_utc_offset(s, pos);
        if (!utc_offset) return std::nullopt;
        offset = *utc_offset;
        pos = s.size();
      }
    }
  }
  if (pos != s.size()) return std::nullopt;
  // 12:00+02:00 is 10:00 UTC.
  return from_civil(civil) - offset;
}

std::string format_timestamp(int64_t seconds, bool date_only) {
  const CivilTime c = to_civil(seconds);
  char text[32];
  if (date_only) {
    std::snprintf(text, sizeof(text), "%04d-%02d-%02d", c.year, c.month, c.day);
  } else {
    const int s = static_cast<int>(c.seconds_of_day);
    std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
                  s / 3600, s / 60 % 60, s % 60);
  }
  return text;
}

std::string describe_timestamp(int64_t seconds) {
  return format_timestamp(seconds, floor_div(seconds, kSecondsPerDay) * kSecondsPerDay == seconds);
}

}  // namespace traind::train
