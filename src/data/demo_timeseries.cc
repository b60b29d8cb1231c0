// The demo tenant's forecasting tables: daily store sales and monthly passengers, each
// the product of trend, seasonality, events and noise drawn from a fixed seed.
#include "data/demo_timeseries.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "data/demo_random.h"

namespace traind::data {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr uint64_t kSalesSeed = 20251231;
constexpr uint64_t kPassengersSeed = 19490101;
constexpr double kPi = 3.14159265358979323846;
constexpr int kFutureDays = 30;

// What sets one store apart: its size, how strongly it follows the week, how much a
// promotion lifts it.
struct StoreProfile {
  double base;
  double weekly_strength;
  double promo_lift;
};

constexpr std::array<StoreProfile, 5> kStores = {{
    {220.0, 1.0, 0.18},
    {310.0, 0.8, 0.22},
    {150.0, 1.2, 0.15},
    {420.0, 0.9, 0.20},
    {260.0, 1.1, 0.25},
}};

// Monday .. Sunday, scaled by the store's weekly strength.
constexpr std::array<double, 7> kWeekday = {-0.10, -0.12, -0.08, -0.02, 0.08, 0.22, 0.02};

// January .. December: a summer peak and a November trough, as in AirPassengers.
constexpr std::array<double, 12> kMonthFactor = {0.89, 0.87, 1.00, 0.96, 0.97, 1.10,
                                                 1.23, 1.22, 1.06, 0.92, 0.80, 0.90};

// The double nearest to the amount in whole cents (as SQLite prints it back).
double round_cents(double v) { return std::round(v * 100.0) / 100.0; }

std::string format_date(const year_month_day& d) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

// US retail holidays: a multiplier of that day's sales (1 on ordinary days).
double holiday_factor(const year_month_day& d) {
  using namespace std::chrono;
  const unsigned m = static_cast<unsigned>(d.month()), day = static_cast<unsigned>(d.day());
  const sys_days thanksgiving{year_month_weekday{d.year() / November / Thursday[4]}};
  const sys_days today{d};
  if (today == thanksgiving) return 0.6;
  if (today == thanksgiving + days{1}) return 1.9;  // Black Friday
  if (m == 1 && day == 1) return 0.55;
  if (m == 7 && day == 4) return 1.35;
  if (m == 12 && day == 24) return 1.6;
  if (m == 12 && day == 25) return 0.25;
  if (m == 12 && day == 26) return 1.3;
  return 1.0;
}

// Day of the year from 0, for the yearly cycle.
double day_of_year(const year_month_day& d) {
  const sys_days first{d.year() / std::chrono::January / 1};
  return static_cast<double>((sys_days{d} - first).count());
}

// A peak around the turn of the year, a low in late spring, a small summer bump.
double yearly_factor(const year_month_day& d) {
  const double t = day_of_year(d) / 365.25;
  return 1.0 + 0.10 * std::cos(2.0 * kPi * (t - 355.0 / 365.25)) +
         0.04 * std::cos(4.0 * kPi * (t - 190.0 / 365.25));
}

// A piecewise-linear trend: `slopes[i]` (relative growth per year) holds from
// changepoint i - 1 to changepoint i.
struct Trend {
  std::array<int, 3> changepoints;  // day indices, ascending
  std::array<double, 4> slopes;

  double factor(int day) const {
    double growth = 0;
    int from = 0;
    for (size_t i = 0; i < slopes.size(); ++i) {
      const int to = i < changepoints.size() ? changepoints[i] : std::max(day, from);
      if (day > from) growth += slopes[i] * (std::min(day, to) - from) / 365.25;
      from = to;
    }
    return std::max(0.3, 1.0 + growth);
  }
};

Trend draw_trend(DemoRandom& rng) {
  Trend trend;
  for (int& c : trend.changepoints) c = rng.between(150, 1000);
  std::sort(trend.changepoints.begin(), trend.changepoints.end());
  for (double& s : trend.slopes) s = -0.12 + 0.42 * rng.uniform();
  return trend;
}

Status sqlite_failure(sqlite3* db) {
  return Status(ErrorCode::kInternal,
                std::string("cannot write demo time series: ") + sqlite3_errmsg(db));
}

constexpr const char* kCreateTables = R"sql(
CREATE TABLE daily_sales (
  date TEXT NOT NULL,
  store_id TEXT NOT NULL,
  sales REAL,
  promo INTEGER NOT NULL
);
CREATE TABLE monthly_passengers (
  date TEXT NOT NULL,
  passengers REAL NOT NULL
))sql";

}  // namespace

std::vector<DailySalesRow> generate_daily_sales() {
  using namespace std::chrono;
  const sys_days first{2023y / January / 1}, last_observed{2025y / December / 31};
  const sys_days last = last_observed + days{kFutureDays};
  std::vector<DailySalesRow> rows;
  DemoRandom rng(kSalesSeed);
  for (size_t s = 0; s < kStores.size(); ++s) {
    const StoreProfile& store = kStores[s];
    const std::string store_id = "store_" + std::to_string(s + 1);
    const Trend trend = draw_trend(rng);
    int promo_days_left = 0;
    for (sys_days day = first; day <= last; day += days{1}) {
      // Promotions run for 3 to 7 days and start on about one day in twenty.
      if (promo_days_left == 0 && rng.chance(0.05)) promo_days_left = rng.between(3, 7);
      DailySalesRow row;
      const year_month_day date{day};
      row.date = format_date(date);
      row.store_id = store_id;
      row.promo = promo_days_left > 0 ? 1 : 0;
      if (promo_days_left > 0) --promo_days_left;
      if (day <= last_observed) {
        const int index = static_cast<int>((day - first).count());
        const auto weekday_index = weekday{day}.iso_encoding() - 1;
        const double noise = std::max(0.2, 1.0 + 0.07 * rng.normal());
        const double sales = store.base * trend.factor(index) *
                             (1.0 + store.weekly_strength * kWeekday[weekday_index]) *
                             yearly_factor(date) * holiday_factor(date) *
                             (row.promo ? 1.0 + store.promo_lift : 1.0) * noise;
        row.sales = round_cents(sales);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<MonthlyPassengersRow> generate_monthly_passengers() {
  std::vector<MonthlyPassengersRow> rows;
  DemoRandom rng(kPassengersSeed);
  for (int i = 0; i < 144; ++i) {
    const int year = 2014 + i / 12, month = i % 12 + 1;
    // About 10 % growth a year, slowing slightly: the seasonal swing grows with the level.
    const double level = 140.0 * std::exp(0.11 * i / 12.0 - 0.0015 * (i / 12.0) * (i / 12.0));
    const double noise = 1.0 + 0.025 * rng.normal();
    char date[16];
    std::snprintf(date, sizeof(date), "%04d-%02d-01", year, month);
    rows.push_back(
        {date, std::round(level * kMonthFactor[static_cast<size_t>(month - 1)] * noise)});
  }
  return rows;
}

Status write_demo_timeseries_tables(sqlite3* db) {
  auto exec = [db](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
  if (exec("BEGIN") != SQLITE_OK || exec(kCreateTables) != SQLITE_OK) return sqlite_failure(db);
  sqlite3_stmt* sales = nullptr;
  sqlite3_stmt* passengers = nullptr;
  bool ok = sqlite3_prepare_v2(db, "INSERT INTO daily_sales VALUES (?1, ?2, ?3, ?4)", -1, &sales,
                               nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "INSERT INTO monthly_passengers VALUES (?1, ?2)", -1,
                               &passengers, nullptr) == SQLITE_OK;
  for (const DailySalesRow& row : ok ? generate_daily_sales() : std::vector<DailySalesRow>{}) {
    sqlite3_bind_text(sales, 1, row.date.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(sales, 2, row.store_id.c_str(), -1, SQLITE_TRANSIENT);
    if (row.sales) {
      sqlite3_bind_double(sales, 3, *row.sales);
    } else {
      sqlite3_bind_null(sales, 3);
    }
    sqlite3_bind_int(sales, 4, row.promo);
    ok = sqlite3_step(sales) == SQLITE_DONE;
    sqlite3_reset(sales);
    if (!ok) break;
  }
  for (const MonthlyPassengersRow& row :
       ok ? generate_monthly_passengers() : std::vector<MonthlyPassengersRow>{}) {
    sqlite3_bind_text(passengers, 1, row.date.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(passengers, 2, row.passengers);
    ok = sqlite3_step(passengers) == SQLITE_DONE;
    sqlite3_reset(passengers);
    if (!ok) break;
  }
  Status status = ok ? Status::ok() : sqlite_failure(db);
  sqlite3_finalize(sales);
  sqlite3_finalize(passengers);
  if (status.is_ok() && exec("COMMIT") != SQLITE_OK) status = sqlite_failure(db);
  if (!status.is_ok()) exec("ROLLBACK");
  return status;
}

}  // namespace traind::data
