// Time-ordered hold-out sizes and counts (spec C.3).
#include "train/forecast_split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace traind::train {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

TEST(ForecastTestSize, ReadsFractionsAndWholePeriods) {
  auto fraction = forecast_test_size(0.1);
  ASSERT_TRUE(fraction.is_ok());
  EXPECT_FALSE(fraction->periods.has_value());
  EXPECT_EQ(fraction->fraction, 0.1);
  auto periods = forecast_test_size(12);
  ASSERT_TRUE(periods.is_ok());
  EXPECT_EQ(periods->periods, 12);
  EXPECT_EQ(forecast_test_size(1.0)->periods, 1);
  for (double bad : {0.0, -1.0, 1.5, 2.25, std::nan("")}) {
    auto size = forecast_test_size(bad);
    ASSERT_FALSE(size.is_ok()) << bad;
    EXPECT_EQ(size.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_EQ(size.status().details().at(0).path, "/split/test_size");
  }
}

TEST(SplitSeriesHoldout, HoldsOutTheLastCeilFractionOfGridPeriods) {
  // N = 10 periods, one missing in each part: ceil(0.25 * 10) = 3 test periods.
  const std::vector<double> y = {1, 2, kNull, 4, 5, 6, 7, 8, kNull, 10};
  ForecastTestSize size;
  size.fraction = 0.25;
  auto h = split_series_holdout(y, size, "series 'a'");
  ASSERT_TRUE(h.is_ok()) << h.status().message();
  EXPECT_EQ(h->train_periods, 7u);
  EXPECT_EQ(h->test_periods, 3u);
  EXPECT_EQ(h->train_samples, 6u);
  EXPECT_EQ(h->test_samples, 2u);
}

TEST(SplitSeriesHoldout, HoldsOutAWholeNumberOfPeriods) {
  const std::vector<double> y(30, 1.0);
  ForecastTestSize size;
  size.periods = 7;
  auto h = split_series_holdout(y, size, "series 'a'");
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->train_periods, 23u);
  EXPECT_EQ(h->test_periods, 7u);
  size = ForecastTestSize{};
  size.fraction = 0.1;
  EXPECT_EQ(split_series_holdout(y, size, "series 'a'")->test_periods, 3u);
}

TEST(SplitSeriesHoldout, RefusesAHoldOutThatLeavesNoTrainingPart) {
  ForecastTestSize size;
  size.periods = 4;
  auto h = split_series_holdout({1, 2, 3, 4}, size, "series 'a'");
  ASSERT_FALSE(h.is_ok());
  EXPECT_EQ(h.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(h.status().message(),
            "series 'a' has 4 periods, so a hold-out of 4 would leave no training part; lower "
            "split.test_size");
}

TEST(SplitSeriesHoldout, RefusesAHoldOutWithoutObservedTargets) {
  ForecastTestSize size;
  size.periods = 2;
  auto h = split_series_holdout({1, 2, kNull, kNull}, size, "the series");
  ASSERT_FALSE(h.is_ok());
  EXPECT_EQ(h.status().code(), ErrorCode::kDataError);
  EXPECT_NE(h.status().message().find("no observed target in its hold-out"), std::string::npos);
}

TEST(ForecastSampleCounts, SumsObservedPeriodsOverSeries) {
  SeriesHoldout a{8, 2, 7, 2}, b{5, 1, 5, 1};
  const nlohmann::json counts = forecast_sample_counts({a, b});
  EXPECT_EQ(counts["total_samples"], 15);
  EXPECT_EQ(counts["train_samples"], 12);
  EXPECT_EQ(counts["test_samples"], 3);
  EXPECT_EQ(counts["n_series"], 2);
}

}  // namespace
}  // namespace traind::train
