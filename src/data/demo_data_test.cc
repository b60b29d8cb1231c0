// Tests of the demo tenant's generated database: customer churn and forecasting tables.
#include "data/demo_data.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "data/sql_source.h"

namespace traind::data {
namespace {

class DemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/traind-demo-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST_F(DemoDataTest, WritesChurnTableWithDeclaredTypes) {
  const std::string path = dir_ + "/ml_features.db";
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto source = open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok()) << source.status().message();
  auto table = (*source)->load("SELECT * FROM ml_features.customer_churn", {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  ASSERT_EQ(table->num_rows(), 6000u);

  const std::map<std::string, std::string> declared = {
      {"customer_id", "TEXT"},       {"gender", "TEXT"},
      {"senior_citizen", "INTEGER"}, {"partner", "INTEGER"},
      {"dependents", "INTEGER"},     {"tenure", "INTEGER"},
      {"phone_service", "INTEGER"},  {"internet_service", "TEXT"},
      {"contract_type", "TEXT"},     {"paperless_billing", "INTEGER"},
      {"payment_method", "TEXT"},    {"monthly_charges", "REAL"},
      {"total_charges", "REAL"},     {"num_support_tickets", "INTEGER"},
      {"signup_date", "TEXT"},       {"churned", "INTEGER"}};
  ASSERT_EQ(table->num_columns(), declared.size());
  for (const auto& column : table->columns()) {
    ASSERT_TRUE(declared.count(column.name)) << column.name;
    EXPECT_EQ(column.declared_type, declared.at(column.name)) << column.name;
    const bool text = column.declared_type == "TEXT";
    EXPECT_EQ(column.storage, text ? StorageType::kString : StorageType::kNumber) << column.name;
    if (column.declared_type == "INTEGER") {
      EXPECT_TRUE(column.all_integers) << column.name;
    }
  }
  EXPECT_EQ(table->column(table->find("customer_id")).strings[0], "CUST-000001");

  const Column& churned = table->column(table->find("churned"));
  double churn = 0;
  for (double v : churned.numbers) {
    ASSERT_TRUE(v == 0 || v == 1);
    churn += v;
  }
  EXPECT_GE(churn / 6000, 0.2);
  EXPECT_LE(churn / 6000, 0.35);

  const Column& tenure = table->column(table->find("tenure"));
  const Column& total = table->column(table->find("total_charges"));
  int missing_totals = 0;
  for (size_t row = 0; row < table->num_rows(); ++row) {
    EXPECT_GE(tenure.numbers[row], 0);
    EXPECT_LE(tenure.numbers[row], 72);
    if (std::isnan(total.numbers[row])) ++missing_totals;
  }
  EXPECT_GT(missing_totals, 0);
  EXPECT_LT(missing_totals, 60);  // "a few": under 1 %

  auto dates = (*source)->load(
      "SELECT count(*) FROM ml_features.customer_churn WHERE signup_date NOT GLOB "
      "'20[0-9][0-9]-[01][0-9]-[0-3][0-9]' OR signup_date > '2026-06-30'",
      {});
  ASSERT_TRUE(dates.is_ok());
  EXPECT_EQ(dates->column(0).numbers[0], 0);
}

TEST_F(DemoDataTest, ChurnFollowsContractAndTenure) {
  const std::string path = dir_ + "/ml_features.db";
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  auto source = open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok());
  auto rates = (*source)->load(
      "SELECT avg(churned) FILTER (WHERE contract_type = 'Month-to-month'), "
      "avg(churned) FILTER (WHERE contract_type = 'Two year'), "
      "avg(churned) FILTER (WHERE tenure < 12), avg(churned) FILTER (WHERE tenure >= 48) "
      "FROM ml_features.customer_churn",
      {});
  ASSERT_TRUE(rates.is_ok()) << rates.status().message();
  EXPECT_GT(rates->column(0).numbers[0], 2 * rates->column(1).numbers[0]);
  EXPECT_GT(rates->column(2).numbers[0], 2 * rates->column(3).numbers[0]);
}

TEST_F(DemoDataTest, EveryCallWritesTheSameRows) {
  const std::string first = dir_ + "/first.db", second = dir_ + "/second.db";
  ASSERT_TRUE(write_demo_features_db(first).is_ok());
  ASSERT_TRUE(write_demo_features_db(second).is_ok());
  auto source = open_sql_source({{"a", "sqlite", first, ""}, {"b", "sqlite", second, ""}});
  ASSERT_TRUE(source.is_ok()) << source.status().message();
  auto differences = (*source)->load(
      "SELECT (SELECT count(*) FROM (SELECT * FROM a.customer_churn EXCEPT "
      "SELECT * FROM b.customer_churn)), "
      "(SELECT count(*) FROM (SELECT * FROM b.customer_churn EXCEPT "
      "SELECT * FROM a.customer_churn)), "
      "(SELECT count(DISTINCT customer_id) FROM a.customer_churn)",
      {});
  ASSERT_TRUE(differences.is_ok()) << differences.status().message();
  EXPECT_EQ(differences->column(0).numbers[0], 0);
  EXPECT_EQ(differences->column(1).numbers[0], 0);
  EXPECT_EQ(differences->column(2).numbers[0], 6000);
}

TEST_F(DemoDataTest, ReplacesAnExistingFile) {
  const std::string path = dir_ + "/ml_features.db";
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  auto source = open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok());
  auto count = (*source)->load("SELECT count(*) FROM ml_features.customer_churn", {});
  ASSERT_TRUE(count.is_ok());
  EXPECT_EQ(count->column(0).numbers[0], 6000);
}

TEST_F(DemoDataTest, WritesForecastingTablesWithDeclaredTypes) {
  const std::string path = dir_ + "/ml_features.db";
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  auto source = open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok()) << source.status().message();
  auto sales =
      (*source)->load("SELECT date, store_id, sales, promo FROM ml_features.daily_sales", {});
  ASSERT_TRUE(sales.is_ok()) << sales.status().message();
  ASSERT_EQ(sales->num_rows(), 5u * (1096 + 30));
  const std::vector<std::pair<std::string, std::string>> declared = {
      {"date", "TEXT"}, {"store_id", "TEXT"}, {"sales", "REAL"}, {"promo", "INTEGER"}};
  for (size_t i = 0; i < declared.size(); ++i) {
    EXPECT_EQ(sales->column(i).name, declared[i].first);
    EXPECT_EQ(sales->column(i).declared_type, declared[i].second) << declared[i].first;
  }
  size_t null_sales = 0;
  for (double v : sales->column(2).numbers) null_sales += std::isnan(v) ? 1 : 0;
  EXPECT_EQ(null_sales, 5u * 30);

  auto passengers =
      (*source)->load("SELECT date, passengers FROM ml_features.monthly_passengers", {});
  ASSERT_TRUE(passengers.is_ok()) << passengers.status().message();
  ASSERT_EQ(passengers->num_rows(), 144u);
  EXPECT_EQ(passengers->column(0).strings.front(), "2014-01-01");
  EXPECT_EQ(passengers->column(1).declared_type, "REAL");
}

TEST_F(DemoDataTest, AddsTheForecastingTablesToADatabaseOfAnEarlierVersion) {
  const std::string path = dir_ + "/ml_features.db";
  ASSERT_TRUE(write_demo_features_db(path).is_ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE daily_sales; DROP TABLE monthly_passengers; "
                         "DELETE FROM customer_churn WHERE rowid > 10",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  ASSERT_TRUE(add_missing_demo_tables(path).is_ok());
  ASSERT_TRUE(add_missing_demo_tables(path).is_ok());  // nothing missing: a no-op
  auto source = open_sql_source({{"ml_features", "sqlite", path, ""}});
  ASSERT_TRUE(source.is_ok());
  auto sales = (*source)->load("SELECT * FROM ml_features.daily_sales", {});
  ASSERT_TRUE(sales.is_ok()) << sales.status().message();
  EXPECT_EQ(sales->num_rows(), 5630u);
  auto monthly = (*source)->load("SELECT * FROM ml_features.monthly_passengers", {});
  ASSERT_TRUE(monthly.is_ok());
  EXPECT_EQ(monthly->num_rows(), 144u);
  // What was there stays as it was.
  auto churn = (*source)->load("SELECT * FROM ml_features.customer_churn", {});
  ASSERT_TRUE(churn.is_ok());
  EXPECT_EQ(churn->num_rows(), 10u);
  EXPECT_EQ(add_missing_demo_tables(dir_ + "/absent.db").code(), ErrorCode::kInternal);
}

TEST_F(DemoDataTest, FailsInADirectoryThatDoesNotExist) {
  EXPECT_FALSE(write_demo_features_db(dir_ + "/no/such/dir/ml_features.db").is_ok());
}

}  // namespace
}  // namespace traind::data
