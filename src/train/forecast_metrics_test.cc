// C.4 metrics against values worked out by hand.
#include "train/forecast_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace traind::train {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

HoldoutForecast example_holdout() {
  // e = y - yhat = {-2, 2, -1, 0}.
  HoldoutForecast h;
  h.y_test = {10, 20, 0, 40};
  h.yhat = {12, 18, 1, 40};
  h.yhat_lower = {9, 19, 0.5, 39};
  h.yhat_upper = {11, 21, 1.5, 41};
  return h;
}

TEST(ForecastMetrics, MatchesHandComputedValues) {
  const ForecastMetrics m = forecast_metrics(example_holdout(), {1, 3, 2, 6, 4}, 1);
  EXPECT_DOUBLE_EQ(*m.mae, 1.25);   // (2 + 2 + 1 + 0) / 4
  EXPECT_DOUBLE_EQ(*m.rmse, 1.5);   // sqrt((4 + 4 + 1 + 0) / 4)
  EXPECT_DOUBLE_EQ(*m.mape, 10.0);  // 100 (2/10 + 2/20 + 0/40) / 3, y = 0 skipped
  EXPECT_DOUBLE_EQ(*m.smape, 25.0 * (4.0 / 22 + 4.0 / 38 + 2.0 / 1 + 0.0));
  EXPECT_DOUBLE_EQ(*m.mase, 1.25 / 2.25);  // Q = (2 + 1 + 4 + 2) / 4
  EXPECT_DOUBLE_EQ(*m.coverage, 0.75);     // y = 0 lies below [0.5, 1.5]
}

TEST(ForecastMetrics, ScalesMaseByTheSeasonalDifference) {
  const ForecastMetrics m = forecast_metrics(example_holdout(), {1, 3, 2, 6, 4}, 2);
  EXPECT_DOUBLE_EQ(*m.mase, 1.25 / 2.0);  // Q = (|2-1| + |6-3| + |4-2|) / 3
}

TEST(ForecastMetrics, SkipsHoldOutRowsWithoutAnObservedTarget) {
  HoldoutForecast h = example_holdout();
  h.y_test[1] = kNull;
  const ForecastMetrics m = forecast_metrics(h, {1, 3}, 1);
  EXPECT_DOUBLE_EQ(*m.mae, 1.0);  // (2 + 1 + 0) / 3
  EXPECT_DOUBLE_EQ(*m.rmse, std::sqrt(5.0 / 3));
  EXPECT_DOUBLE_EQ(*m.mape, 10.0);  // 100 (2/10 + 0/40) / 2
  EXPECT_DOUBLE_EQ(*m.coverage, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*m.mase, 0.5);  // Q = |3 - 1|
}

TEST(ForecastMetrics, GivesNullsWhereAMetricIsUndefined) {
  HoldoutForecast zeros;
  zeros.y_test = {0, 0};
  zeros.yhat = {0, 1};
  const ForecastMetrics m = forecast_metrics(zeros, {5, 5, 5}, 1);
  EXPECT_FALSE(m.mape.has_value());      // no y != 0
  EXPECT_DOUBLE_EQ(*m.smape, 100.0);     // (0 + 2) * 100 / 2: y = yhat = 0 adds 0
  EXPECT_FALSE(m.mase.has_value());      // Q = 0 on a constant training part
  EXPECT_FALSE(m.coverage.has_value());  // no interval given
  EXPECT_FALSE(forecast_metrics(zeros, {1, 2}, 7).mase.has_value());  // n <= m

  HoldoutForecast unobserved;
  unobserved.y_test = {kNull};
  unobserved.yhat = {1};
  const ForecastMetrics none = forecast_metrics(unobserved, {1, 2}, 1);
  EXPECT_FALSE(none.mae.has_value());
  EXPECT_FALSE(none.smape.has_value());
}

TEST(MaseScale, UsesOnlyPairsWithBothValuesObserved) {
  EXPECT_DOUBLE_EQ(*mase_scale({1, kNull, 2, 6}, 1), 4.0);  // only |6 - 2|
  EXPECT_DOUBLE_EQ(*mase_scale({1, kNull, 2, 6}, 2), 1.0);  // only |2 - 1|
  EXPECT_DOUBLE_EQ(*mase_scale({1, 3}, 0), 2.0);            // m < 1 counts as 1
  EXPECT_FALSE(mase_scale({1, kNull, kNull, 2}, 1).has_value());
}

TEST(MeanOverSeries, AveragesEachMetricSkippingNulls) {
  ForecastMetrics a, b;
  a.mae = 1;
  b.mae = 3;
  b.mape = 10;
  a.coverage = 0.5;
  b.coverage = 1.0;
  const ForecastMetrics mean = mean_over_series({a, b});
  EXPECT_DOUBLE_EQ(*mean.mae, 2.0);
  EXPECT_DOUBLE_EQ(*mean.mape, 10.0);
  EXPECT_DOUBLE_EQ(*mean.coverage, 0.75);
  EXPECT_FALSE(mean.rmse.has_value());

  const nlohmann::json json = aggregate_forecast_metrics_json({a, b});
  EXPECT_EQ(json["n_series"], 2);
  EXPECT_DOUBLE_EQ(json["mae"].get<double>(), 2.0);
  EXPECT_TRUE(json["rmse"].is_null());
  for (const char* name : {"mae", "rmse", "mape", "smape", "mase", "coverage"}) {
    EXPECT_TRUE(json.contains(name)) << name;
  }
}

TEST(ForecastMetricsJson, WritesNullsForMissingMetrics) {
  ForecastMetrics m;
  m.rmse = 2.5;
  const nlohmann::json json = forecast_metrics_json(m);
  EXPECT_EQ(json.size(), 6u);
  EXPECT_DOUBLE_EQ(json["rmse"].get<double>(), 2.5);
  EXPECT_TRUE(json["mase"].is_null());
}

}  // namespace
}  // namespace traind::train
