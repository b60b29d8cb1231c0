// SqlSource: a tenant's SQL data, read-only, under a deadline and a size limit.
//
// A source is opened over the databases registered for one tenant; each is visible to
// the tenant's SQL under its schema name (e.g. `ml_features.customer_churn`). Only
// reading is allowed: writes, ATTACH/DETACH, PRAGMA, extensions and the like are refused
// at prepare time with kInvalidConfig. A query past its deadline stops with kTimeout;
// a result past the byte limit stops with kDatasetTooLarge, and so does any single string
// or blob value over 16 MiB (made by the query or read from the data). Not thread-safe: one
// source per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/table.h"

namespace traind::data {

// One database a tenant's SQL can see. type: "sqlite" (path) or "postgresql" (dsn).
struct AttachedDatabase {
  std::string schema;  // the name the tenant's SQL uses, e.g. "ml_features"
  std::string type = "sqlite";
  std::string path;  // sqlite: absolute path of the database file
  std::string dsn;   // postgresql: connection string (secret; never echoed)
};

struct QueryLimits {
  std::chrono::milliseconds deadline{30000};  // whole-statement wall clock
  uint64_t max_bytes = 10ull << 30;           // Table::byte_size() ceiling
};

// A result column as the source describes it without running the query.
struct ColumnInfo {
  std::string name;
  std::string declared_type;  // "" when the source does not say (expressions, casts)
};

// A table or view a tenant's SQL can read, e.g. ml_features.customer_churn.
struct TableInfo {
  std::string schema;
  std::string name;
  std::vector<ColumnInfo> columns;
};

// What a column holds, measured by an aggregate query over the result.
struct ColumnProfile {
  int64_t rows = 0;
  int64_t missing = 0;
  int64_t numeric = 0;   // non-missing values stored as INTEGER or REAL
  int64_t text = 0;      // non-missing values stored as TEXT or BLOB
  int64_t distinct = 0;  // distinct non-missing values (exact, or max_values + 1 when cut)
  // The most frequent values, most frequent first, at most max_values of them.
  std::vector<std::pair<std::string, int64_t>> value_counts;
};

class SqlSource {
 public:
  virtual ~SqlSource() = default;
  // Prepares the query (runs nothing) and returns its result columns.
  virtual Result<std::vector<ColumnInfo>> describe(const std::string& query) = 0;
  // Runs the query and returns every row. `on_rows` (optional) is called every few
  // thousand rows with the count so far, for progress.
  virtual Result<Table> load(const std::string& query, const QueryLimits& limits,
                             const std::function<void(int64_t)>& on_rows = {}) = 0;
  // Like load, but keeps only `columns` of the query's result, in that order: the query runs
  // as a subquery, so a wide table costs only the columns a job uses. kInvalidConfig when a
  // column is not in the result.
  virtual Result<Table> load_columns(const std::string& query,
                                     const std::vector<std::string>& columns,
                                     const QueryLimits& limits,
                                     const std::function<void(int64_t)>& on_rows = {}) = 0;
  // Every table and view of the attached databases with its columns, by schema then name
  // (SQLite's internal tables left out). Reads schemas only.
  virtual Result<std::vector<TableInfo>> tables() = 0;
  // Profiles one result column of the query with an aggregate (no rows transferred).
  virtual Result<ColumnProfile> profile_column(const std::string& query, const std::string& column,
                                               int max_values, const QueryLimits& limits) = 0;
};

// Opens the tenant's databases. Fails with kInvalidConfig naming the schema whose file is
// missing or unreadable.
Result<std::unique_ptr<SqlSource>> open_sql_source(const std::vector<AttachedDatabase>& databases);

}  // namespace traind::data
