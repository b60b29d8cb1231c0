// ISO-8601 parsing and formatting of forecasting timestamps, against hand-computed epochs.
#include "train/forecast_timestamp.h"

#include <gtest/gtest.h>

namespace traind::train {
namespace {

TEST(ParseTimestamp, ReadsDatesAsMidnightUtc) {
  EXPECT_EQ(parse_timestamp("1970-01-01"), 0);
  EXPECT_EQ(parse_timestamp("1970-01-02"), 86400);
  // 2025-01-01: 55 years, 14 leap days (1972..2024) -> 20089 days.
  EXPECT_EQ(parse_timestamp("2025-01-01"), int64_t{20089} * 86400);
  EXPECT_EQ(parse_timestamp("1969-12-31"), -86400);
}

TEST(ParseTimestamp, ReadsTimesWithOrWithoutSecondsAndZ) {
  const int64_t day = int64_t{20089} * 86400;
  EXPECT_EQ(parse_timestamp("2025-01-01T08:30:15"), day + 8 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(parse_timestamp("2025-01-01 08:30:15"), day + 8 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(parse_timestamp("2025-01-01T08:30"), day + 8 * 3600 + 30 * 60);
  EXPECT_EQ(parse_timestamp("2025-01-01T08:30:15Z"), day + 8 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(parse_timestamp("2025-01-01T08:30:15.000Z"), day + 8 * 3600 + 30 * 60 + 15);
}

TEST(ParseTimestamp, ConvertsOffsetsToUtc) {
  const int64_t day = int64_t{20089} * 86400;
  EXPECT_EQ(parse_timestamp("2025-01-01T12:00:00+02:00"), day + 10 * 3600);
  EXPECT_EQ(parse_timestamp("2025-01-01 12:00:00+0200"), day + 10 * 3600);
  EXPECT_EQ(parse_timestamp("2025-01-01 12:00:00+02"), day + 10 * 3600);  // PostgreSQL's text
  EXPECT_EQ(parse_timestamp("2025-01-01T01:00:00-05:30"), day + 6 * 3600 + 30 * 60);
  EXPECT_EQ(parse_timestamp("2025-01-01T01:00:00+03:00"), day - 2 * 3600);
}

TEST(ParseTimestamp, RefusesWhatIsNotADateOrTime) {
  for (const char* bad : {"", "20250101", "1735689600", "2025-02-29", "2025-13-01", "2025-1-01",
                          "2025-01-01T25:00:00", "2025-01-01T10:00:00.5", "2025-01-01T10:00:60",
                          "2025-01-01X", "2025-01-01T10:00:00+25:00", "store_1", "2025-01-01T"}) {
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
  }
  EXPECT_TRUE(parse_timestamp("2024-02-29").has_value());
}

TEST(FormatTimestamp, WritesDatesOrUtcDateTimes) {
  const int64_t t = int64_t{20089} * 86400 + 8 * 3600 + 5 * 60 + 9;
  EXPECT_EQ(format_timestamp(t, false), "2025-01-01T08:05:09Z");
  EXPECT_EQ(format_timestamp(int64_t{20089} * 86400, true), "2025-01-01");
  EXPECT_EQ(describe_timestamp(-86400), "1969-12-31");
  EXPECT_EQ(describe_timestamp(t), "2025-01-01T08:05:09Z");
  EXPECT_EQ(parse_timestamp(format_timestamp(t, false)), t);
}

TEST(Civil, SplitsAndJoinsDatesBeforeAndAfterTheEpoch) {
  const CivilTime c = to_civil(-1);
  EXPECT_EQ(c.year, 1969);
  EXPECT_EQ(c.month, 12);
  EXPECT_EQ(c.day, 31);
  EXPECT_EQ(c.seconds_of_day, 86399);
  EXPECT_EQ(from_civil(c), -1);
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2025, 2), 28);
  EXPECT_EQ(days_in_month(2025, 12), 31);
}

}  // namespace
}  // namespace traind::train
