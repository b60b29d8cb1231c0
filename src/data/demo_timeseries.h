// Demo forecasting data for the demo tenant: daily sales of five stores and a monthly
// passenger series, generated deterministically from fixed seeds (DemoRandom), so every
// call on every platform gives the same rows.
//
// daily_sales: stores store_1..store_5, every day from 2023-01-01 to 2025-12-31 with
// piecewise-linear trends whose slope changes at store-specific dates, a weekly pattern
// (weekends high), a yearly one (high around the turn of the year, low in late spring),
// holidays (Thanksgiving, New Year's Day and Christmas Day low; 4 July, Black Friday,
// Christmas Eve and the day after Christmas high), promotions in runs of days that lift sales, and
// multiplicative noise; then 30 future rows per store (2026-01-01..2026-01-30) with sales NULL and
// promo given, the future regressor values a forecast with `feature_columns: ["promo"]` needs.
// monthly_passengers: 'YYYY-MM-01' from 2014-01 to 2025-12 (144 months), exponential
// growth with multiplicative seasonality (summer peak), like R's AirPassengers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace traind::data {

struct DailySalesRow {
  std::string date;             // 'YYYY-MM-DD'
  std::string store_id;         // 'store_1' .. 'store_5'
  std::optional<double> sales;  // cents; nullopt on the future rows
  int promo = 0;                // 0 or 1
};

struct MonthlyPassengersRow {
  std::string date;       // 'YYYY-MM-01'
  double passengers = 0;  // thousands, whole numbers
};

// Ordered by store, then date.
std::vector<DailySalesRow> generate_daily_sales();
std::vector<MonthlyPassengersRow> generate_monthly_passengers();

// Creates and fills tables daily_sales (date TEXT, store_id TEXT, sales REAL,
// promo INTEGER) and monthly_passengers (date TEXT, passengers REAL) in `db`, in one
// transaction. kInternal with SQLite's message when that fails.
Status write_demo_timeseries_tables(sqlite3* db);

}  // namespace traind::data
