// Frequency aliases, calendar stepping and inference (spec C.1, C.2.2).
#include "train/forecast_frequency.h"

#include <gtest/gtest.h>

#include "train/forecast_timestamp.h"

namespace traind::train {
namespace {

int64_t at(const char* text) { return *parse_timestamp(text); }

std::vector<int64_t> times(std::initializer_list<const char*> texts) {
  std::vector<int64_t> out;
  for (const char* t : texts) out.push_back(at(t));
  return out;
}

TEST(ParseFrequency, ReadsTheSpecAliasesWithMultiples) {
  EXPECT_EQ(*parse_frequency("D"), (Frequency{FrequencyUnit::kDay, 1}));
  EXPECT_EQ(*parse_frequency("15min"), (Frequency{FrequencyUnit::kMinute, 15}));
  EXPECT_EQ(*parse_frequency("MS"), (Frequency{FrequencyUnit::kMonthStart, 1}));
  EXPECT_EQ(*parse_frequency("M"), (Frequency{FrequencyUnit::kMonthEnd, 1}));
  EXPECT_EQ(*parse_frequency("2QS"), (Frequency{FrequencyUnit::kQuarterStart, 2}));
  EXPECT_EQ(*parse_frequency("Q"), (Frequency{FrequencyUnit::kQuarterEnd, 1}));
  EXPECT_EQ(*parse_frequency("YS"), (Frequency{FrequencyUnit::kYearStart, 1}));
  EXPECT_EQ(*parse_frequency("Y"), (Frequency{FrequencyUnit::kYearEnd, 1}));
  EXPECT_EQ(*parse_frequency("S"), (Frequency{FrequencyUnit::kSecond, 1}));
  EXPECT_EQ(*parse_frequency("H"), (Frequency{FrequencyUnit::kHour, 1}));
  EXPECT_EQ(*parse_frequency("W"), (Frequency{FrequencyUnit::kWeek, 1}));
  EXPECT_EQ(*parse_frequency("h"), (Frequency{FrequencyUnit::kHour, 1}));
}

TEST(ParseFrequency, RefusesUnknownAliasesAndZeroMultiples) {
  for (const char* bad : {"", "d", "0D", "15", "min15", "X", "1.5H", "MS ", "99999999D"}) {
    auto f = parse_frequency(bad);
    ASSERT_FALSE(f.is_ok()) << bad;
    EXPECT_EQ(f.status().code(), ErrorCode::kInvalidConfig);
    ASSERT_EQ(f.status().details().size(), 1u);
    EXPECT_EQ(f.status().details()[0].path, "/forecast/frequency");
  }
}

TEST(FrequencyName, ReadsBackThroughParse) {
  for (const char* name :
       {"S", "min", "15min", "H", "D", "2D", "W", "MS", "M", "QS", "Q", "YS", "Y", "3MS"}) {
    EXPECT_EQ(frequency_name(*parse_frequency(name)), name);
  }
  EXPECT_EQ(frequency_name(*parse_frequency("T")), "min");
}

TEST(DefaultSeasonalPeriod, FollowsSpecTable) {
  EXPECT_EQ(default_seasonal_period(*parse_frequency("H")), 24);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("D")), 7);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("W")), 52);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("MS")), 12);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("M")), 12);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("QS")), 4);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("Y")), 1);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("min")), 1);
  EXPECT_EQ(default_seasonal_period(*parse_frequency("2H")), 1);
}

TEST(StepTimestamp, StepsFixedUnits) {
  EXPECT_EQ(step_timestamp(at("2025-01-01"), *parse_frequency("D"), 31), at("2025-02-01"));
  EXPECT_EQ(step_timestamp(at("2025-01-01"), *parse_frequency("W"), 2), at("2025-01-15"));
  EXPECT_EQ(step_timestamp(at("2025-01-01T23:45:00"), *parse_frequency("15min"), 1),
            at("2025-01-02"));
  EXPECT_EQ(step_timestamp(at("2025-01-01"), *parse_frequency("H"), -1), at("2024-12-31T23:00"));
}

TEST(StepTimestamp, KeepsTheMonthAnchorAcrossMonthsOfDifferentLengths) {
  const Frequency month_end = *parse_frequency("M");
  EXPECT_EQ(step_timestamp(at("2025-01-31"), month_end, 1), at("2025-02-28"));
  EXPECT_EQ(step_timestamp(at("2025-01-31"), month_end, 2), at("2025-03-31"));
  EXPECT_EQ(step_timestamp(at("2023-11-30"), month_end, 3), at("2024-02-29"));
  EXPECT_EQ(step_timestamp(at("2025-12-01"), *parse_frequency("MS"), 1), at("2026-01-01"));
  EXPECT_EQ(step_timestamp(at("2025-01-01"), *parse_frequency("MS"), -1), at("2024-12-01"));
  EXPECT_EQ(step_timestamp(at("2025-03-31"), *parse_frequency("Q"), 1), at("2025-06-30"));
  EXPECT_EQ(step_timestamp(at("2025-10-01"), *parse_frequency("QS"), 1), at("2026-01-01"));
  EXPECT_EQ(step_timestamp(at("2024-12-31"), *parse_frequency("Y"), 2), at("2026-12-31"));
  EXPECT_EQ(step_timestamp(at("2025-01-01T06:00"), *parse_frequency("YS"), 1),
            at("2026-01-01T06:00"));
}

TEST(GridIndex, FindsPeriodsOnTheGridOnly) {
  const Frequency day = *parse_frequency("D");
  EXPECT_EQ(grid_index(at("2025-01-11"), at("2025-01-01"), day), 10);
  EXPECT_EQ(grid_index(at("2024-12-31"), at("2025-01-01"), day), -1);
  EXPECT_FALSE(grid_index(at("2025-01-11T12:00"), at("2025-01-01"), day).has_value());
  const Frequency month = *parse_frequency("MS");
  EXPECT_EQ(grid_index(at("2026-03-01"), at("2025-01-01"), month), 14);
  EXPECT_FALSE(grid_index(at("2026-03-02"), at("2025-01-01"), month).has_value());
  EXPECT_FALSE(grid_index(at("2026-03-01"), at("2025-01-15"), month).has_value());
  EXPECT_EQ(grid_index(at("2026-01-01"), at("2025-01-01"), *parse_frequency("QS")), 4);
  EXPECT_FALSE(grid_index(at("2025-02-01"), at("2025-01-01"), *parse_frequency("QS")));
}

TEST(InferFrequency, RecognisesCalendarUnitsFirst) {
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-02-01", "2025-03-01"}), "s"),
            *parse_frequency("MS"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-31", "2025-02-28", "2025-03-31"}), "s"),
            *parse_frequency("M"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-04-01", "2025-10-01"}), "s"),
            *parse_frequency("QS"));
  EXPECT_EQ(*infer_frequency(times({"2025-03-31", "2025-06-30", "2025-09-30"}), "s"),
            *parse_frequency("Q"));
  EXPECT_EQ(*infer_frequency(times({"2020-01-01", "2021-01-01", "2023-01-01"}), "s"),
            *parse_frequency("YS"));
  EXPECT_EQ(*infer_frequency(times({"2020-12-31", "2021-12-31"}), "s"), *parse_frequency("Y"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-03-01", "2025-07-01"}), "s"),
            *parse_frequency("2MS"));
}

TEST(InferFrequency, UsesTheSmallestFixedGapOtherwise) {
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-01-02", "2025-01-05"}), "s"),
            *parse_frequency("D"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-01-08", "2025-01-22"}), "s"),
            *parse_frequency("W"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01", "2025-01-15", "2025-01-29"}), "s"),
            *parse_frequency("2W"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01T00:00", "2025-01-01T01:00"}), "s"),
            *parse_frequency("H"));
  EXPECT_EQ(
      *infer_frequency(times({"2025-01-01T00:00", "2025-01-01T00:15", "2025-01-01T01:00"}), "s"),
      *parse_frequency("15min"));
  EXPECT_EQ(*infer_frequency(times({"2025-01-01T00:00:00", "2025-01-01T00:00:30"}), "s"),
            *parse_frequency("30S"));
}

TEST(InferFrequency, AsksForTheFrequencyWithoutARegularGrid) {
  auto irregular =
      infer_frequency(times({"2025-01-01", "2025-01-03", "2025-01-06"}), "series 'store_1'");
  ASSERT_FALSE(irregular.is_ok());
  EXPECT_EQ(irregular.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(irregular.status().message(),
            "series 'store_1' has timestamps on no regular grid (the gap of 3 days after "
            "2025-01-03 is not a whole multiple of the smallest gap of 2 days); give "
            "forecast.frequency");
  auto single = infer_frequency(times({"2025-01-01"}), "the series");
  ASSERT_FALSE(single.is_ok());
  EXPECT_NE(single.status().message().find("forecast.frequency"), std::string::npos);
  auto months = infer_frequency(times({"2025-01-01", "2025-03-01", "2025-06-01"}), "s");
  ASSERT_FALSE(months.is_ok());
  EXPECT_NE(months.status().message().find("3 months"), std::string::npos);
}

}  // namespace
}  // namespace traind::train
