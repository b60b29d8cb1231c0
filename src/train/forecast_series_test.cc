// C.2 data preparation on small hand-made tables.
#include "train/forecast_series.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "data/demo_data.h"
#include "data/sql_source.h"

namespace traind::train {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

data::Column text_column(const std::string& name, const std::vector<std::string>& values) {
  data::Column c;
  c.name = name;
  c.declared_type = "TEXT";
  c.storage = data::StorageType::kString;
  for (const std::string& v : values) {
    c.strings.push_back(v);
    c.missing.push_back(v == "<null>" ? 1 : 0);
  }
  return c;
}

data::Column number_column(const std::string& name, const std::vector<double>& values) {
  data::Column c;
  c.name = name;
  c.declared_type = "REAL";
  c.numbers = values;
  return c;
}

data::Table make_table(std::vector<data::Column> columns) {
  data::Table t;
  t.columns() = std::move(columns);
  return t;
}

int64_t at(const char* text) { return *parse_timestamp(text); }

ForecastDataSpec daily_spec(int64_t horizon = 2) {
  ForecastDataSpec spec;
  spec.time_column = "date";
  spec.target_column = "sales";
  spec.horizon = horizon;
  return spec;
}

TEST(PrepareForecastData, SortsAndLaysASeriesOnItsInferredDailyGrid) {
  // Out of order, 2025-01-03 missing: the grid has it as NaN.
  const auto table =
      make_table({text_column("date", {"2025-01-04", "2025-01-01", "2025-01-02", "2025-01-05"}),
                  number_column("sales", {4, 1, 2, 5})});
  auto data = prepare_forecast_data(table, daily_spec());
  ASSERT_TRUE(data.is_ok()) << data.status().message();
  EXPECT_TRUE(data->frequency_inferred);
  EXPECT_EQ(data->frequency, (Frequency{FrequencyUnit::kDay, 1}));
  EXPECT_TRUE(data->dates_only);
  ASSERT_EQ(data->series.size(), 1u);
  const PreparedSeries& s = data->series[0];
  EXPECT_EQ(s.name, "");
  ASSERT_EQ(s.timestamps.size(), 5u);
  EXPECT_EQ(s.timestamps[0], at("2025-01-01"));
  EXPECT_EQ(s.timestamps[4], at("2025-01-05"));
  EXPECT_EQ(s.y[0], 1);
  EXPECT_EQ(s.y[1], 2);
  EXPECT_TRUE(std::isnan(s.y[2]));
  EXPECT_EQ(s.y[3], 4);
  EXPECT_EQ(s.observed_count(), 4u);
  EXPECT_EQ(s.future_timestamps, (std::vector<int64_t>{at("2025-01-06"), at("2025-01-07")}));
  EXPECT_TRUE(s.future_features.empty());
  EXPECT_EQ(data->format(s.timestamps[2]), "2025-01-03");
}

TEST(PrepareForecastData, SplitsAPanelIntoSeriesInSeriesOrder) {
  const auto table = make_table(
      {text_column("date", {"2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01", "2025-03-01"}),
       text_column("store", {"b", "b", "a", "a", "a"}), number_column("sales", {20, 10, 1, 2, 3})});
  ForecastDataSpec spec = daily_spec(1);
  spec.series_column = "store";
  auto data = prepare_forecast_data(table, spec);
  ASSERT_TRUE(data.is_ok()) << data.status().message();
  EXPECT_EQ(data->frequency, (Frequency{FrequencyUnit::kMonthStart, 1}));
  ASSERT_EQ(data->series.size(), 2u);
  EXPECT_EQ(data->series[0].name, "a");
  EXPECT_EQ(data->series[0].y, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(data->series[0].future_timestamps, (std::vector<int64_t>{at("2025-04-01")}));
  EXPECT_EQ(data->series[1].name, "b");
  EXPECT_EQ(data->series[1].y, (std::vector<double>{10, 20}));
  EXPECT_EQ(data->series[1].future_timestamps, (std::vector<int64_t>{at("2025-03-01")}));
}

TEST(PrepareForecastData, OrdersANumericSeriesColumnByValue) {
  const auto table =
      make_table({text_column("date", {"2025-01-01", "2025-01-01", "2025-01-01"}),
                  number_column("store", {10, 2, 1}), number_column("sales", {1, 2, 3})});
  ForecastDataSpec spec = daily_spec(1);
  spec.series_column = "store";
  spec.frequency = Frequency{FrequencyUnit::kDay, 1};
  auto data = prepare_forecast_data(table, spec);
  ASSERT_TRUE(data.is_ok()) << data.status().message();
  ASSERT_EQ(data->series.size(), 3u);
  EXPECT_EQ(data->series[0].name, "1");
  EXPECT_EQ(data->series[1].name, "2");
  EXPECT_EQ(data->series[2].name, "10");
  EXPECT_FALSE(data->frequency_inferred);
}

TEST(PrepareForecastData, TakesFutureFeatureValuesFromRowsWithANullTarget) {
  const auto table = make_table(
      {text_column("date", {"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"}),
       number_column("sales", {kNull, 1, 2, kNull, kNull}),
       number_column("promo", {kNull, 0, 1, 1, 0})});
  ForecastDataSpec spec = daily_spec(2);
  spec.feature_columns = {"promo"};
  auto data = prepare_forecast_data(table, spec);
  ASSERT_TRUE(data.is_ok()) << data.status().message();
  const PreparedSeries& s = data->series[0];
  // The leading row without a target is left out.
  EXPECT_EQ(s.timestamps, (std::vector<int64_t>{at("2025-01-02"), at("2025-01-03")}));
  EXPECT_EQ(s.features, (std::vector<std::vector<double>>{{0, 1}}));
  EXPECT_EQ(s.future_timestamps, (std::vector<int64_t>{at("2025-01-04"), at("2025-01-05")}));
  EXPECT_EQ(s.future_features, (std::vector<std::vector<double>>{{1, 0}}));
  EXPECT_EQ(data->feature_names, (std::vector<std::string>{"promo"}));
}

TEST(PrepareForecastData, RefusesFewerFutureRowsThanTheHorizon) {
  const auto table = make_table(
      {text_column("date", {"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"}),
       text_column("store", {"s1", "s1", "s1", "s1"}), number_column("sales", {1, 2, kNull, kNull}),
       number_column("promo", {0, 1, 1, 0})});
  ForecastDataSpec spec = daily_spec(3);
  spec.series_column = "store";
  spec.feature_columns = {"promo"};
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(data.status().message(),
            "series 's1' needs feature column 'promo' for each of the 3 forecast periods after "
            "its last observed target (2025-01-02), but there is no row at 2025-01-05; add rows "
            "with a null 'sales' and the feature values");
}

TEST(PrepareForecastData, RefusesAMissingFutureFeatureValue) {
  const auto table =
      make_table({text_column("date", {"2025-01-01", "2025-01-02", "2025-01-03"}),
                  number_column("sales", {1, 2, kNull}), number_column("promo", {0, 1, kNull})});
  ForecastDataSpec spec = daily_spec(1);
  spec.feature_columns = {"promo"};
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_NE(data.status().message().find("the row at 2025-01-03 has no value"), std::string::npos)
      << data.status().message();
}

TEST(PrepareForecastData, RefusesAMissingFeatureOnAnObservedRow) {
  const auto table =
      make_table({text_column("date", {"2025-01-01", "2025-01-02", "2025-01-03"}),
                  number_column("sales", {1, 2, 3}), number_column("promo", {0, kNull, 1})});
  ForecastDataSpec spec = daily_spec(1);
  spec.feature_columns = {"promo"};
  spec.horizon = 1;
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(data.status().message(),
            "the series has no value in feature column 'promo' at 2025-01-02, a row with an "
            "observed target");
}

TEST(PrepareForecastData, RefusesADuplicateTimeNamingSeriesAndTimestamp) {
  const auto table =
      make_table({text_column("date", {"2025-01-01", "2025-01-02", "2025-01-02T00:00:00Z"}),
                  text_column("store", {"s1", "s1", "s1"}), number_column("sales", {1, 2, 3})});
  ForecastDataSpec spec = daily_spec();
  spec.series_column = "store";
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(data.status().message(),
            "series 's1' has two rows at 2025-01-02 in time_column 'date'");
}

TEST(PrepareForecastData, RefusesAMissingTime) {
  const auto table =
      make_table({text_column("date", {"2025-01-01", "<null>"}), text_column("store", {"s1", "s2"}),
                  number_column("sales", {1, 2})});
  ForecastDataSpec spec = daily_spec();
  spec.series_column = "store";
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(data.status().message(), "row 2 (series 's2') has no value in time_column 'date'");
}

TEST(PrepareForecastData, RefusesANonTimeColumnAsInvalidConfig) {
  const auto table = make_table({text_column("date", {"2025-01-01", "2025-01-02"}),
                                 text_column("store", {"s1", "s1"}), number_column("sales", {1, 2}),
                                 number_column("epoch", {1735689600, 1735776000})});
  ForecastDataSpec spec = daily_spec();
  spec.time_column = "store";
  auto text = prepare_forecast_data(table, spec);
  ASSERT_FALSE(text.is_ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(text.status().details().at(0).path, "/time_column");
  EXPECT_NE(text.status().message().find("time_column 'store' holds 's1' at row 1, which is not "
                                         "an ISO-8601 date"),
            std::string::npos)
      << text.status().message();
  spec.time_column = "epoch";
  auto numbers = prepare_forecast_data(table, spec);
  ASSERT_FALSE(numbers.is_ok());
  EXPECT_EQ(numbers.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(numbers.status().message().find("time_column 'epoch' holds numbers"),
            std::string::npos);
}

TEST(PrepareForecastData, RefusesOneBadTimeAmongGoodOnesAsDataError) {
  const auto table = make_table(
      {text_column("date", {"2025-01-01", "2025-01-32"}), number_column("sales", {1, 2})});
  auto data = prepare_forecast_data(table, daily_spec());
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_NE(data.status().message().find("'2025-01-32' at row 2"), std::string::npos);
}

TEST(PrepareForecastData, RefusesSeriesThatDisagreeOnTheFrequency) {
  const auto table = make_table(
      {text_column("date", {"2025-01-01", "2025-01-02", "2025-01-01", "2025-01-08"}),
       text_column("store", {"a", "a", "b", "b"}), number_column("sales", {1, 2, 3, 4})});
  ForecastDataSpec spec = daily_spec();
  spec.series_column = "store";
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(data.status().message(),
            "series 'a' has frequency 'D' but series 'b' has 'W'; give forecast.frequency");
  spec.frequency = Frequency{FrequencyUnit::kDay, 1};
  auto given = prepare_forecast_data(table, spec);
  ASSERT_TRUE(given.is_ok()) << given.status().message();
  EXPECT_EQ(given->series[1].y.size(), 8u);
}

TEST(PrepareForecastData, RefusesRowsOffTheGivenFrequency) {
  const auto table = make_table({text_column("date", {"2025-01-01", "2025-02-01", "2025-03-01"}),
                                 number_column("sales", {1, 2, 3})});
  ForecastDataSpec spec = daily_spec();
  spec.frequency = *parse_frequency("M");
  auto data = prepare_forecast_data(table, spec);
  ASSERT_FALSE(data.is_ok());
  EXPECT_EQ(data.status().code(), ErrorCode::kDataError);
  EXPECT_NE(data.status().message().find("the series has a row at 2025-01-01, which is not on the "
                                         "'M' grid"),
            std::string::npos)
      << data.status().message();
  spec.frequency = *parse_frequency("MS");
  EXPECT_TRUE(prepare_forecast_data(table, spec).is_ok());
}

TEST(PrepareForecastData, KeepsTimesOfDayOnSubDailyGrids) {
  const auto table =
      make_table({text_column("date", {"2025-01-01T00:00:00+01:00", "2024-12-31T23:15:00Z",
                                       "2025-01-01 00:30:00Z"}),
                  text_column("y", {"1.5", "2", "<null>"})});
  ForecastDataSpec spec = daily_spec(1);
  spec.target_column = "y";
  auto data = prepare_forecast_data(table, spec);
  ASSERT_TRUE(data.is_ok()) << data.status().message();
  EXPECT_EQ(data->frequency, *parse_frequency("15min"));
  EXPECT_FALSE(data->dates_only);
  const PreparedSeries& s = data->series[0];
  EXPECT_EQ(s.y, (std::vector<double>{1.5, 2}));  // 23:00Z (the +01:00 row), then 23:15Z
  EXPECT_EQ(data->format(s.future_timestamps[0]), "2024-12-31T23:30:00Z");
}

TEST(PrepareForecastData, RefusesUnknownColumnsAndBadHorizonAsInvalidConfig) {
  const auto table = make_table({text_column("date", {"2025-01-01"}), number_column("sales", {1})});
  ForecastDataSpec spec = daily_spec();
  spec.feature_columns = {"promo"};
  auto missing = prepare_forecast_data(table, spec);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(missing.status().details().at(0).path, "/feature_columns/0");
  EXPECT_EQ(missing.status().message(),
            "feature column 'promo' is not a column of the dataset's result");
  spec.feature_columns = {"sales"};
  auto twice = prepare_forecast_data(table, spec);
  ASSERT_FALSE(twice.is_ok());
  EXPECT_EQ(twice.status().code(), ErrorCode::kInvalidConfig);
  spec = daily_spec(0);
  auto horizon = prepare_forecast_data(table, spec);
  ASSERT_FALSE(horizon.is_ok());
  EXPECT_EQ(horizon.status().details().at(0).path, "/forecast/horizon");
}

TEST(PrepareForecastData, RefusesASeriesWithoutObservedTargetOrWithTextTarget) {
  const auto table = make_table(
      {text_column("date", {"2025-01-01", "2025-01-02"}), text_column("store", {"a", "b"}),
       number_column("sales", {1, kNull}), text_column("label", {"1", "high"})});
  ForecastDataSpec spec = daily_spec();
  spec.series_column = "store";
  spec.frequency = Frequency{};
  auto empty = prepare_forecast_data(table, spec);
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().message(), "series 'b' has no observed value in target_column 'sales'");
  spec.target_column = "label";
  auto text = prepare_forecast_data(table, spec);
  ASSERT_FALSE(text.is_ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kDataError);
  EXPECT_EQ(text.status().message(),
            "target_column 'label' holds 'high' at row 2, which is not a finite number");
}

// The demo tenant's tables go through preparation as the spec's example job would take them.
TEST(PrepareForecastData, PreparesTheDemoTablesOutOfTheBox) {
  char dir[] = "/tmp/traind-forecast-series-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/ml_features.db";
  ASSERT_TRUE(data::write_demo_features_db(path).is_ok());
  auto source = data::open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok()) << source.status().message();
  auto sales =
      (*source)->load("SELECT date, store_id, sales, promo FROM ml_features.daily_sales", {});
  auto passengers =
      (*source)->load("SELECT date, passengers FROM ml_features.monthly_passengers", {});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(sales.is_ok()) << sales.status().message();
  ASSERT_TRUE(passengers.is_ok()) << passengers.status().message();

  ForecastDataSpec spec = daily_spec(30);
  spec.series_column = "store_id";
  spec.feature_columns = {"promo"};
  auto daily = prepare_forecast_data(*sales, spec);
  ASSERT_TRUE(daily.is_ok()) << daily.status().message();
  EXPECT_EQ(frequency_name(daily->frequency), "D");
  EXPECT_EQ(default_seasonal_period(daily->frequency), 7);
  ASSERT_EQ(daily->series.size(), 5u);
  for (const PreparedSeries& s : daily->series) {
    EXPECT_EQ(s.observed_count(), 1096u) << s.name;
    EXPECT_EQ(daily->format(s.timestamps.back()), "2025-12-31");
    EXPECT_EQ(daily->format(s.future_timestamps.back()), "2026-01-30");
    ASSERT_EQ(s.future_features.size(), 1u);
    EXPECT_EQ(s.future_features[0].size(), 30u);
  }
  spec.horizon = 31;  // one more period than the table has future rows for
  auto too_far = prepare_forecast_data(*sales, spec);
  ASSERT_FALSE(too_far.is_ok());
  EXPECT_NE(too_far.status().message().find("series 'store_1' needs feature column 'promo'"),
            std::string::npos)
      << too_far.status().message();

  ForecastDataSpec monthly_spec;
  monthly_spec.time_column = "date";
  monthly_spec.target_column = "passengers";
  monthly_spec.horizon = 12;
  auto monthly = prepare_forecast_data(*passengers, monthly_spec);
  ASSERT_TRUE(monthly.is_ok()) << monthly.status().message();
  EXPECT_EQ(frequency_name(monthly->frequency), "MS");
  EXPECT_EQ(monthly->series.at(0).y.size(), 144u);
  EXPECT_EQ(monthly->format(monthly->series[0].future_timestamps.back()), "2026-12-01");
}

}  // namespace
}  // namespace traind::train
