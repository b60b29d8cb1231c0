// Test data for the pipeline and predictor tests: a small customer table written with
// sqlite3 into a temporary directory, plus helpers to run a training job on it.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/ids.h"
#include "train/pipeline.h"

namespace traind::train::testing {

// A fresh temporary directory, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("traind-train-" + random_hex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Table customers: 400 rows with numeric, categorical, boolean, date and free-text
// columns, a few missing values, a learnable churn label (with 6 rows missing it) and a
// numeric lifetime value.
inline void write_customers_db(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE customers (customer_id INTEGER, tenure INTEGER, "
                         "monthly_charges REAL, total_charges REAL, contract_type TEXT, "
                         "paperless TEXT, signup_date TEXT, notes TEXT, churned INTEGER, "
                         "lifetime_value REAL);"
                         "BEGIN;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO customers VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &st,
                               nullptr),
            SQLITE_OK);
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const char* contracts[] = {"Month-to-month", "One year", "Two year"};
  for (int i = 0; i < 400; ++i) {
    const int tenure = 1 + static_cast<int>(u(rng) * 72);
    const double monthly = std::round((20 + u(rng) * 90) * 100) / 100;
    const int contract = static_cast<int>(u(rng) * 3);
    const bool paperless = u(rng) < 0.5;
    const double z = 1.5 - 0.06 * tenure + 0.02 * (monthly - 60) - 1.2 * contract +
                     (paperless ? 0.4 : 0) + (u(rng) - 0.5) * 1.5;
    const int churned = z > 0 ? 1 : 0;
    sqlite3_bind_int(st, 1, i + 1);
    sqlite3_bind_int(st, 2, tenure);
    sqlite3_bind_double(st, 3, monthly);
    if (i % 37 == 5) {
      sqlite3_bind_null(st, 4);
    } else {
      sqlite3_bind_double(st, 4, monthly * tenure);
    }
    sqlite3_bind_text(st, 5, contracts[contract], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, paperless ? "yes" : "no", -1, SQLITE_TRANSIENT);
    const std::string date = "202" + std::to_string(i % 4) + "-0" + std::to_string(1 + i % 9) +
                             "-1" + std::to_string(i % 10);
    sqlite3_bind_text(st, 7, date.c_str(), -1, SQLITE_TRANSIENT);
    const std::string note = "customer " + std::to_string(i) + " said something unique";
    sqlite3_bind_text(st, 8, note.c_str(), -1, SQLITE_TRANSIENT);
    if (i % 67 == 3) {
      sqlite3_bind_null(st, 9);
    } else {
      sqlite3_bind_int(st, 9, churned);
    }
    sqlite3_bind_double(st, 10,
                        50 + 12.5 * tenure + 3 * monthly - 40 * contract + (u(rng) - 0.5) * 20);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  ASSERT_EQ(sqlite3_exec(db, "COMMIT;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// A training configuration as resolve_config would hand it over.
inline nlohmann::json classification_config() {
  return nlohmann::json::parse(R"({
    "name": "churn-test", "algorithm": "xgboost", "task_type": "classification",
    "dataset": {"source": "sql", "query": "SELECT * FROM ml.customers", "tenant_id": "t1"},
    "target_column": "churned",
    "feature_columns": ["tenure", "monthly_charges", "total_charges", "contract_type",
                        "paperless", "signup_date", "notes"],
    "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
    "hyperparameters": {"n_estimators": 20, "max_depth": 3, "learning_rate": 0.3}})");
}

// Three classes (the contract type), through liblinear with imputation and scaling.
inline nlohmann::json multiclass_config() {
  return nlohmann::json::parse(R"({
    "name": "contract-test", "algorithm": "logistic_regression", "task_type": "classification",
    "dataset": {"source": "sql", "query": "SELECT * FROM ml.customers", "tenant_id": "t1"},
    "target_column": "contract_type",
    "feature_columns": ["tenure", "monthly_charges", "total_charges", "paperless", "signup_date",
                        "lifetime_value"],
    "split": {"strategy": "stratified", "test_size": 0.3, "random_state": 3},
    "hyperparameters": {}})");
}

inline nlohmann::json regression_config() {
  return nlohmann::json::parse(R"({
    "name": "ltv-test", "algorithm": "linear_regression", "task_type": "regression",
    "dataset": {"source": "sql", "query": "SELECT * FROM ml.customers", "tenant_id": "t1"},
    "target_column": "lifetime_value",
    "feature_columns": ["tenure", "monthly_charges", "contract_type", "paperless"],
    "split": {"strategy": "random", "test_size": 0.25, "random_state": 7},
    "hyperparameters": {}})");
}

// A database, a model directory and the events run_training emitted.
struct TrainingRun {
  TempDir dir;
  std::string db_path = dir.path() + "/ml.db";
  std::string model_dir = dir.path() + "/model.tmp";
  std::vector<nlohmann::json> events;
  std::atomic<bool> stop{false};

  TrainingRun() { write_customers_db(db_path); }

  PipelineEnv env() {
    PipelineEnv e;
    e.databases.push_back({.schema = "ml", .type = "sqlite", .path = db_path, .dsn = ""});
    e.threads = 1;
    e.model_dir = model_dir;
    e.emit = [this](const nlohmann::json& ev) { events.push_back(ev); };
    e.stop_requested = &stop;
    return e;
  }
};

}  // namespace traind::train::testing
