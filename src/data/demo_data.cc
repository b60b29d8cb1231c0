// The demo tenant's database: the customer churn table, generated here deterministically
// from a fixed seed with a churn rule a model can learn but not perfectly (label noise),
// the forecasting tables of data/demo_timeseries.h and the tickets of data/demo_text.h.
#include "data/demo_data.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "data/demo_random.h"
#include "data/demo_text.h"
#include "data/demo_timeseries.h"

namespace traind::data {
namespace {

constexpr int kCustomers = 6000;
constexpr uint64_t kSeed = 20260630;

using Random = DemoRandom;

struct Customer {
  std::string id;
  const char* gender;
  int senior_citizen, partner, dependents, tenure, phone_service;
  const char* internet_service;
  const char* contract_type;
  int paperless_billing;
  const char* payment_method;
  double monthly_charges;
  std::optional<double> total_charges;
  int num_support_tickets;
  std::string signup_date;
  int churned;
};

double round_cents(double v) { return std::round(v * 100.0) / 100.0; }

// The day `days_ago` days before the reference date 2026-06-30, as YYYY-MM-DD.
std::string date_before_reference(int days_ago) {
  using namespace std::chrono;
  const year_month_day day{sys_days{year{2026} / June / 30} - days{days_ago}};
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

Customer draw_customer(Random& rng, int number) {
  Customer c;
  c.id = fmt::format("CUST-{:06d}", number);
  c.gender = rng.chance(0.5) ? "Female" : "Male";
  c.senior_citizen = rng.chance(0.16);
  c.partner = rng.chance(0.48);
  c.dependents = rng.chance(c.partner ? 0.45 : 0.12);

  // Many new customers, many loyal ones, the rest spread out; a few signed up this month.
  const double shape = rng.uniform();
  if (rng.chance(0.0015)) {
    c.tenure = 0;
  } else if (shape < 0.3) {
    c.tenure = rng.between(1, 12);
  } else if (shape < 0.5) {
    c.tenure = rng.between(55, 72);
  } else {
    c.tenure = rng.between(1, 72);
  }

  // Long-standing customers hold longer contracts.
  const double loyalty = c.tenure / 72.0;
  const double month_to_month = 0.8 - 0.6 * loyalty, two_year = 0.05 + 0.45 * loyalty;
  const double contract = rng.uniform();
  c.contract_type = contract < month_to_month              ? "Month-to-month"
                    : contract < month_to_month + two_year ? "Two year"
                                                           : "One year";

  const double internet = rng.uniform();
  c.internet_service = internet < 0.34 ? "DSL" : internet < 0.78 ? "Fiber optic" : "No";
  const bool has_internet = internet < 0.78, fiber = internet >= 0.34 && has_internet;
  c.phone_service = has_internet ? rng.chance(0.9) : 1;
  c.paperless_billing = rng.chance(0.59);
  const double payment = rng.uniform();
  c.payment_method = payment < 0.34   ? "Electronic check"
                     : payment < 0.57 ? "Mailed check"
                     : payment < 0.79 ? "Bank transfer"
                                      : "Credit card";

  // Charges follow the services: phone 20, DSL 25, fiber 50, plus add-ons and noise.
  double monthly = (c.phone_service ? 20.0 : 0.0) + (fiber ? 50.0 : has_internet ? 25.0 : 0.0);
  if (has_internet) monthly += 30.0 * rng.uniform();
  monthly += 2.0 * rng.normal();
  c.monthly_charges = round_cents(std::max(monthly, 18.25));
  const bool total_unknown = rng.chance(0.001);
  const double total = c.tenure * c.monthly_charges * (1.0 + 0.04 * rng.normal());
  if (c.tenure > 0 && !total_unknown) c.total_charges = round_cents(std::max(total, 0.0));

  c.num_support_tickets = rng.poisson(0.8 + (fiber ? 0.6 : 0.0) + (c.tenure < 12 ? 0.4 : 0.0));
  c.signup_date = date_before_reference(static_cast<int>(c.tenure * 30.4375) + rng.between(0, 29));

  // The churn rule: a logistic model plus unobserved taste (the normal term), so even
  // the true model cannot separate the classes perfectly.
  double contract_effect = 0.0;  // one year
  if (contract < month_to_month) {
    contract_effect = 1.1;
  } else if (contract < month_to_month + two_year) {
    contract_effect = -1.2;
  }
  double z = -1.35 - 0.05 * c.tenure + contract_effect + 0.015 * (c.monthly_charges - 65.0) +
             (fiber ? 0.5 : 0.0) + (payment < 0.34 ? 0.5 : 0.0) + 0.3 * c.num_support_tickets +
             0.3 * c.senior_citizen + 0.2 * c.paperless_billing - 0.15 * c.partner +
             0.6 * rng.normal();
  c.churned = rng.chance(1.0 / (1.0 + std::exp(-z)));
  return c;
}

constexpr const char* kCreateTable = R"sql(
CREATE TABLE customer_churn (
  customer_id TEXT NOT NULL,
  gender TEXT NOT NULL,
  senior_citizen INTEGER NOT NULL,
  partner INTEGER NOT NULL,
  dependents INTEGER NOT NULL,
  tenure INTEGER NOT NULL,
  phone_service INTEGER NOT NULL,
  internet_service TEXT NOT NULL,
  contract_type TEXT NOT NULL,
  paperless_billing INTEGER NOT NULL,
  payment_method TEXT NOT NULL,
  monthly_charges REAL NOT NULL,
  total_charges REAL,
  num_support_tickets INTEGER NOT NULL,
  signup_date TEXT NOT NULL,
  churned INTEGER NOT NULL
))sql";

constexpr const char* kInsert =
    "INSERT INTO customer_churn VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, ?14, ?15, ?16)";

Status write_rows(sqlite3* db) {
  auto exec = [db](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
  if (exec(kCreateTable) != SQLITE_OK || exec("BEGIN") != SQLITE_OK) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot write demo data: ") + sqlite3_errmsg(db));
  }
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db, kInsert, -1, &insert, nullptr) != SQLITE_OK) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot write demo data: ") + sqlite3_errmsg(db));
  }
  Random rng(kSeed);
  int rc = SQLITE_DONE;
  for (int i = 1; i <= kCustomers && rc == SQLITE_DONE; ++i) {
    const Customer c = draw_customer(rng, i);
    int p = 0;
    auto text = [&](const std::string& s) {
      sqlite3_bind_text(insert, ++p, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    };
    auto integer = [&](int v) { sqlite3_bind_int(insert, ++p, v); };
    text(c.id);
    text(c.gender);
    integer(c.senior_citizen);
    integer(c.partner);
    integer(c.dependents);
    integer(c.tenure);
    integer(c.phone_service);
    text(c.internet_service);
    text(c.contract_type);
    integer(c.paperless_billing);
    text(c.payment_method);
    sqlite3_bind_double(insert, ++p, c.monthly_charges);
    if (c.total_charges) {
      sqlite3_bind_double(insert, ++p, *c.total_charges);
    } else {
      sqlite3_bind_null(insert, ++p);
    }
    integer(c.num_support_tickets);
    text(c.signup_date);
    integer(c.churned);
    rc = sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  if (rc != SQLITE_DONE || exec("COMMIT") != SQLITE_OK) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot write demo data: ") + sqlite3_errmsg(db));
  }
  return Status::ok();
}

}  // namespace

Status write_demo_features_db(const std::string& path) {
  const std::string temp = path + ".tmp";
  std::error_code ignored;
  std::filesystem::remove(temp, ignored);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(temp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Status status = rc == SQLITE_OK
                      ? write_rows(db)
                      : Status(ErrorCode::kInternal, "cannot create the demo database " + temp +
                                                         ": " + sqlite3_errstr(rc));
  // The forecasting tables follow in their own transaction (data/demo_timeseries.h).
  if (status.is_ok()) status = write_demo_timeseries_tables(db);
  if (status.is_ok()) status = write_demo_text_tables(db);  // data/demo_text.h
  if (sqlite3_close(db) != SQLITE_OK && status.is_ok()) {
    status = Status(ErrorCode::kInternal, "cannot close the demo database " + temp);
  }
  if (status.is_ok()) {
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) {
      status = Status(ErrorCode::kInternal, "cannot move the demo database into place at " + path +
                                                ": " + error.message());
    }
  }
  if (!status.is_ok()) std::filesystem::remove(temp, ignored);
  return status;
}

namespace {

// Whether `db` has a table called `name`.
Result<bool> has_table(sqlite3* db, const char* name) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              -1, &stmt, nullptr);
  bool present = false;
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) present = sqlite3_step(stmt) == SQLITE_ROW;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot read the demo database: ") + sqlite3_errmsg(db));
  }
  return present;
}

}  // namespace

Status add_missing_demo_tables(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    return Status(ErrorCode::kInternal,
                  "cannot open the demo database " + path + ": " + sqlite3_errstr(rc));
  }
  // Tables that came later than customer_churn, each group written in one transaction:
  // a database written before a group lacks all of it.
  struct LaterTables {
    const char* probe;
    Status (*write)(sqlite3*);
  };
  const LaterTables later[] = {{"daily_sales", &write_demo_timeseries_tables},
                               {"support_tickets", &write_demo_text_tables}};
  Status status = Status::ok();
  for (const LaterTables& group : later) {
    auto present = has_table(db, group.probe);
    status = !present ? present.status() : *present ? Status::ok() : group.write(db);
    if (!status.is_ok()) break;
  }
  sqlite3_close(db);
  return status;
}

}  // namespace traind::data
