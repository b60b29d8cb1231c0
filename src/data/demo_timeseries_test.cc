// Tests of the demo forecasting tables: shape, dates, the patterns they promise, and that
// every call gives the same rows.
#include "data/demo_timeseries.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace traind::data {
namespace {

TEST(DemoDailySales, HasFiveStoresOfThreeYearsPlusThirtyFutureDays) {
  const auto rows = generate_daily_sales();
  ASSERT_EQ(rows.size(), 5u * (1096 + 30));  // 2023..2025 has 1096 days (2024 is leap)
  std::map<std::string, std::vector<const DailySalesRow*>> by_store;
  for (const auto& row : rows) by_store[row.store_id].push_back(&row);
  ASSERT_EQ(by_store.size(), 5u);
  for (const auto& [store, store_rows] : by_store) {
    ASSERT_EQ(store_rows.size(), 1126u) << store;
    EXPECT_EQ(store_rows.front()->date, "2023-01-01");
    EXPECT_EQ(store_rows[1095]->date, "2025-12-31");
    EXPECT_EQ(store_rows[1096]->date, "2026-01-01");
    EXPECT_EQ(store_rows.back()->date, "2026-01-30");
    for (size_t i = 0; i < store_rows.size(); ++i) {
      EXPECT_EQ(store_rows[i]->sales.has_value(), i < 1096) << store << " " << store_rows[i]->date;
      EXPECT_TRUE(store_rows[i]->promo == 0 || store_rows[i]->promo == 1);
      if (store_rows[i]->sales) {
        EXPECT_GT(*store_rows[i]->sales, 0.0);
      }
      if (i > 0) {
        EXPECT_LT(store_rows[i - 1]->date, store_rows[i]->date);
      }
    }
  }
  EXPECT_EQ(by_store.begin()->first, "store_1");
}

TEST(DemoDailySales, ShowsWeeklyPromoAndHolidayEffects) {
  const auto rows = generate_daily_sales();
  // 2023-01-01 was a Sunday: day index % 7 == 6 is a Saturday, == 2 a Tuesday.
  double saturday = 0, tuesday = 0, promo = 0, plain = 0;
  int n_promo = 0, n_plain = 0, future_promo = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const size_t day = i % 1126;
    if (!rows[i].sales) {
      future_promo += rows[i].promo;
      continue;
    }
    if (day % 7 == 6) saturday += *rows[i].sales;
    if (day % 7 == 2) tuesday += *rows[i].sales;
    (rows[i].promo ? promo : plain) += *rows[i].sales;
    ++(rows[i].promo ? n_promo : n_plain);
  }
  EXPECT_GT(saturday, 1.2 * tuesday);
  EXPECT_GT(promo / n_promo, 1.1 * plain / n_plain);
  EXPECT_GT(future_promo, 0);  // the horizon has promotions to forecast with

  std::map<std::string, double> store_1;
  for (const auto& row : rows) {
    if (row.store_id == "store_1" && row.sales) store_1[row.date] = *row.sales;
  }
  EXPECT_GT(store_1["2024-11-29"], 1.5 * store_1["2024-11-22"]);  // Black Friday vs a week before
  EXPECT_LT(store_1["2024-12-25"], 0.5 * store_1["2024-12-18"]);  // Christmas Day
}

TEST(DemoDailySales, TrendsDifferBetweenStores) {
  const auto rows = generate_daily_sales();
  std::map<std::string, std::pair<double, double>> first_and_last_year;
  for (const auto& row : rows) {
    if (!row.sales) continue;
    if (row.date < "2024-01-01") first_and_last_year[row.store_id].first += *row.sales;
    if (row.date >= "2025-01-01") first_and_last_year[row.store_id].second += *row.sales;
  }
  std::set<int> growth_percent;
  for (const auto& [store, sums] : first_and_last_year) {
    growth_percent.insert(static_cast<int>(100 * (sums.second / sums.first - 1)));
  }
  EXPECT_EQ(growth_percent.size(), 5u);
  EXPECT_GT(*growth_percent.rbegin() - *growth_percent.begin(), 20);
}

TEST(DemoMonthlyPassengers, HasTwelveYearsOfMonthStartsWithGrowingSeasonalSwing) {
  const auto rows = generate_monthly_passengers();
  ASSERT_EQ(rows.size(), 144u);
  EXPECT_EQ(rows.front().date, "2014-01-01");
  EXPECT_EQ(rows[13].date, "2015-02-01");
  EXPECT_EQ(rows.back().date, "2025-12-01");
  auto swing = [&rows](size_t year) {
    double lo = 1e9, hi = 0;
    for (size_t m = 0; m < 12; ++m) {
      lo = std::min(lo, rows[year * 12 + m].passengers);
      hi = std::max(hi, rows[year * 12 + m].passengers);
    }
    return hi - lo;
  };
  // Multiplicative seasonality: the swing grows with the level.
  EXPECT_GT(swing(11), 2 * swing(0));
  EXPECT_GT(rows[143].passengers, 2 * rows[11].passengers);
  for (size_t year = 0; year < 12; ++year) {
    EXPECT_GT(rows[year * 12 + 6].passengers, rows[year * 12 + 10].passengers);  // Jul > Nov
  }
}

TEST(DemoTimeSeries, EveryCallGivesTheSameRows) {
  const auto a = generate_daily_sales(), b = generate_daily_sales();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].sales, b[i].sales) << i;
    ASSERT_EQ(a[i].promo, b[i].promo) << i;
  }
  // Fixed values: a change to the generator shows up here.
  EXPECT_EQ(a[0].sales, 148.26);
  EXPECT_EQ(a[1].sales, 232.45);
  const auto m = generate_monthly_passengers(), n = generate_monthly_passengers();
  for (size_t i = 0; i < m.size(); ++i) ASSERT_EQ(m[i].passengers, n[i].passengers);
  EXPECT_EQ(m[0].passengers, 124.0);
  EXPECT_EQ(m[143].passengers, 371.0);
}

}  // namespace
}  // namespace traind::data
