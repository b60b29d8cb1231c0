// SqliteSource: SqlSource over SQLite database files attached read-only to an in-memory
// connection. Each SqliteSource owns its connection; use one per thread.
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include "data/guarded_printf.h"
#include "data/sql_guard.h"
#include "data/sql_source.h"

namespace traind::data {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kProgressSteps = 1000;  // VM steps between deadline checks
constexpr int64_t kSizeCheckRows = 1024;
constexpr int64_t kProgressRows = 5000;
// The largest string or blob a query may make or read (SQLITE_LIMIT_LENGTH). SQLite builds
// a value such as randomblob(n) or printf('%.*c', n, 'x') in one step that neither the
// deadline nor the size limit can interrupt; its default of 1e9 bytes would let one query
// hold gigabytes of the server's memory during validation.
constexpr int kMaxValueBytes = 16 << 20;

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

// A file: URI for `path`; characters with a meaning in URIs are percent-encoded.
std::string read_only_uri(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?mode=ro";
}

std::string seconds_text(std::chrono::milliseconds ms) {
  return format_number(static_cast<double>(ms.count()) / 1000.0) + " s";
}

// Column values as they arrive: numbers until the first text, then every value as text.
struct ColumnLoader {
  Column& column;
  uint64_t& bytes;  // running Table::byte_size() of the whole table

  void add_missing() {
    if (column.storage == StorageType::kNumber) {
      column.numbers.push_back(std::numeric_limits<double>::quiet_NaN());
      bytes += sizeof(double);
    } else {
      add_string(std::string(), true);
    }
  }
  void add_integer(int64_t v) {
    if (column.storage == StorageType::kNumber) {
      column.numbers.push_back(static_cast<double>(v));
      bytes += sizeof(double);
    } else {
      add_string(std::to_string(v), false);
    }
  }
  void add_real(double v) {
    column.all_integers = false;
    if (column.storage == StorageType::kNumber) {
      column.numbers.push_back(v);
      bytes += sizeof(double);
    } else {
      add_string(format_number(v), false);
    }
  }
  void add_text(const char* data, int size) {
    if (column.storage == StorageType::kNumber) switch_to_strings();
    add_string(std::string(data, static_cast<size_t>(size)), false);
  }

 private:
  void add_string(std::string s, bool missing) {
    bytes += s.size() + sizeof(std::string) + 1;
    column.strings.push_back(std::move(s));
    column.missing.push_back(missing ? 1 : 0);
  }
  void switch_to_strings() {
    std::vector<double> numbers;
    numbers.swap(column.numbers);
    bytes -= numbers.size() * sizeof(double);
    column.storage = StorageType::kString;
    column.strings.reserve(numbers.size());
    for (double v : numbers) add_string(format_number(v), std::isnan(v));
  }
};

class SqliteSource final : public SqlSource {
 public:
  explicit SqliteSource(sqlite3* db) : db_(db) {
    sqlite3_progress_handler(db_, kProgressSteps, &SqliteSource::on_progress, this);
  }
  ~SqliteSource() override { sqlite3_close_v2(db_); }
  SqliteSource(const SqliteSource&) = delete;
  SqliteSource& operator=(const SqliteSource&) = delete;

  Status attach(const AttachedDatabase& database);
  Status install_guard() {
    printf_ = GuardedPrintf::install(db_, kMaxValueBytes);
    if (printf_ == nullptr) {
      return Status(ErrorCode::kInternal, "cannot install the guarded printf() of SQL queries");
    }
    return guard_.install(db_);
  }

  Result<std::vector<ColumnInfo>> describe(const std::string& query) override;
  Result<Table> load(const std::string& query, const QueryLimits& limits,
                     const std::function<void(int64_t)>& on_rows) override;
  Result<Table> load_columns(const std::string& query, const std::vector<std::string>& columns,
                             const QueryLimits& limits,
                             const std::function<void(int64_t)>& on_rows) override;
  Result<ColumnProfile> profile_column(const std::string& query, const std::string& column,
                                       int max_values, const QueryLimits& limits) override;
  Result<std::vector<TableInfo>> tables() override;

 private:
  // Arms the deadline for the statements run while it lives.
  class DeadlineScope {
   public:
    DeadlineScope(SqliteSource& source, std::chrono::milliseconds deadline) : source_(source) {
      source_.deadline_ = Clock::now() + deadline;
      source_.timed_out_ = false;
    }
    ~DeadlineScope() { source_.deadline_.reset(); }

   private:
    SqliteSource& source_;
  };

  static int on_progress(void* self) {
    auto* source = static_cast<SqliteSource*>(self);
    if (source->deadline_ && Clock::now() >= *source->deadline_) source->timed_out_ = true;
    return source->timed_out_ ? 1 : 0;  // nonzero interrupts the statement
  }

  // The Status of a statement that stopped with `rc` while running.
  Status run_error(int rc, const QueryLimits& limits) const {
    if (rc == SQLITE_INTERRUPT && timed_out_) {
      return Status(ErrorCode::kTimeout,
                    "the query ran longer than its deadline of " + seconds_text(limits.deadline));
    }
    if (rc == SQLITE_TOOBIG) {
      return Status(ErrorCode::kDatasetTooLarge,
                    "the query made a string or blob larger than the limit of " +
                        std::to_string(kMaxValueBytes) + " bytes for one value");
    }
    return Status(ErrorCode::kDataError,
                  std::string("the query failed while running: ") + sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  SqlGuard guard_;
  std::unique_ptr<GuardedPrintf> printf_;  // outlives db_: ~SqliteSource closes db_ first
  std::vector<std::string> schemas_;       // attached, in registration order
  std::optional<Clock::time_point> deadline_;
  bool timed_out_ = false;
};

Status SqliteSource::attach(const AttachedDatabase& database) {
  const std::string& schema = database.schema;
  if (!is_identifier(schema) || sqlite3_stricmp(schema.c_str(), "main") == 0 ||
      sqlite3_stricmp(schema.c_str(), "temp") == 0) {
    return Status(ErrorCode::kInvalidConfig,
                  "the schema name \"" + schema +
                      "\" is not usable: use letters, digits and _ (not main or temp)");
  }
  if (database.type == "postgresql") {
    return Status(
        ErrorCode::kInvalidConfig,
        "PostgreSQL data sources are not available in this build yet (schema \"" + schema + "\")");
  }
  if (database.type != "sqlite") {
    return Status(ErrorCode::kInvalidConfig, "the data source type \"" + database.type +
                                                 "\" of schema \"" + schema +
                                                 "\" is unknown: use \"sqlite\"");
  }
  auto fail = [&](const char* why) {
    return Status(ErrorCode::kInvalidConfig,
                  "the database of schema \"" + schema + "\" cannot be read: " + why);
  };
  if (database.path.empty()) return fail("no file path is registered");
  sqlite3_stmt* raw = nullptr;
  sqlite3_prepare_v2(db_, "ATTACH DATABASE ?1 AS ?2", -1, &raw, nullptr);
  Statement attach(raw);
  if (attach == nullptr) return fail(sqlite3_errmsg(db_));
  std::string uri = read_only_uri(database.path);
  sqlite3_bind_text(attach.get(), 1, uri.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(attach.get(), 2, schema.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(attach.get()) != SQLITE_DONE) return fail(sqlite3_errmsg(db_));
  // ATTACH opens files lazily; reading the schema catches a file that is not a database.
  std::string probe = "SELECT count(*) FROM " + quote_identifier(schema) + ".sqlite_master";
  if (sqlite3_exec(db_, probe.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail(sqlite3_errmsg(db_));
  }
  schemas_.push_back(schema);
  return Status::ok();
}

Result<std::vector<TableInfo>> SqliteSource::tables() {
  std::vector<TableInfo> tables;
  std::vector<std::string> schemas = schemas_;
  std::sort(schemas.begin(), schemas.end());
  for (const std::string& schema : schemas) {
    auto names = guard_.prepare("SELECT name FROM " + quote_identifier(schema) +
                                ".sqlite_master WHERE type IN ('table', 'view') AND name NOT "
                                "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    if (!names) return names.status();
    int rc;
    while ((rc = sqlite3_step(names->get())) == SQLITE_ROW) {
      const char* name = reinterpret_cast<const char*>(sqlite3_column_text(names->get(), 0));
      TableInfo table{schema, name ? name : "", {}};
      auto columns = describe("SELECT * FROM " + quote_identifier(schema) + "." +
                              quote_identifier(table.name));
      // A view that no longer compiles (a dropped table under it) is listed without columns.
      if (columns) table.columns = std::move(columns).value();
      tables.push_back(std::move(table));
    }
    if (rc != SQLITE_DONE) {
      return Status(ErrorCode::kDataError,
                    "cannot list the tables of schema \"" + schema + "\": " + sqlite3_errmsg(db_));
    }
  }
  return tables;
}

Result<std::vector<ColumnInfo>> SqliteSource::describe(const std::string& query) {
  auto stmt = guard_.prepare(query);
  if (!stmt) return stmt.status();
  std::vector<ColumnInfo> columns;
  int n = sqlite3_column_count(stmt->get());
  for (int i = 0; i < n; ++i) {
    const char* decl = sqlite3_column_decltype(stmt->get(), i);
    columns.push_back({sqlite3_column_name(stmt->get(), i), decl ? decl : ""});
  }
  return columns;
}

Result<Table> SqliteSource::load(const std::string& query, const QueryLimits& limits,
                                 const std::function<void(int64_t)>& on_rows) {
  auto prepared = guard_.prepare(query);
  if (!prepared) return prepared.status();
  sqlite3_stmt* stmt = prepared->get();
  const int n = sqlite3_column_count(stmt);
  Table table;
  auto& columns = table.columns();
  for (int i = 0; i < n; ++i) {
    Column column;
    column.name = sqlite3_column_name(stmt, i);
    const char* decl = sqlite3_column_decltype(stmt, i);
    column.declared_type = decl ? decl : "";
    columns.push_back(std::move(column));
  }
  uint64_t bytes = 0;
  std::vector<ColumnLoader> loaders;
  for (auto& column : columns) loaders.push_back({column, bytes});
  auto too_large = [&] {
    return Status(ErrorCode::kDatasetTooLarge,
                  "the query's result exceeds the tenant's dataset size limit of " +
                      std::to_string(limits.max_bytes) + " bytes");
  };

  DeadlineScope scope(*this, limits.deadline);
  int64_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      ColumnLoader& loader = loaders[i];
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL:
          loader.add_missing();
          break;
        case SQLITE_INTEGER:
          loader.add_integer(sqlite3_column_int64(stmt, i));
          break;
        case SQLITE_FLOAT:
          loader.add_real(sqlite3_column_double(stmt, i));
          break;
        case SQLITE_TEXT:
          loader.add_text(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                          sqlite3_column_bytes(stmt, i));
          break;
        default:  // SQLITE_BLOB
          loader.add_text(static_cast<const char*>(sqlite3_column_blob(stmt, i)),
                          sqlite3_column_bytes(stmt, i));
          break;
      }
    }
    ++rows;
    // Every row: with values of up to kMaxValueBytes, a thousand rows could be gigabytes.
    if (bytes > limits.max_bytes) return too_large();
    if (rows % kSizeCheckRows == 0) {
      // Time spent here between VM steps counts too.
      if (Clock::now() >= *deadline_) {
        timed_out_ = true;
        return run_error(SQLITE_INTERRUPT, limits);
      }
    }
    if (on_rows && rows % kProgressRows == 0) on_rows(rows);
  }
  if (rc != SQLITE_DONE) return run_error(rc, limits);
  if (bytes > limits.max_bytes) return too_large();
  if (on_rows) on_rows(rows);
  return table;
}

Result<Table> SqliteSource::load_columns(const std::string& query,
                                         const std::vector<std::string>& columns,
                                         const QueryLimits& limits,
                                         const std::function<void(int64_t)>& on_rows) {
  std::string text;
  auto user = guard_.prepare(query, &text);
  if (!user) return user.status();
  std::string select;
  for (const auto& name : columns) {
    bool found = false;
    for (int i = 0; i < sqlite3_column_count(user->get()); ++i) {
      found = found || sqlite3_stricmp(sqlite3_column_name(user->get(), i), name.c_str()) == 0;
    }
    if (!found) {
      return Status(ErrorCode::kInvalidConfig, "the query has no column named \"" + name + "\"");
    }
    select += (select.empty() ? "SELECT " : ", ") + quote_identifier(name);
  }
  if (select.empty()) return Status(ErrorCode::kInvalidConfig, "no columns to load");
  // The newline ends a trailing -- comment of the user's statement.
  return load(select + " FROM (\n" + text + "\n) AS projected", limits, on_rows);
}

Result<ColumnProfile> SqliteSource::profile_column(const std::string& query,
                                                   const std::string& column, int max_values,
                                                   const QueryLimits& limits) {
  std::string text;
  auto user = guard_.prepare(query, &text);
  if (!user) return user.status();
  bool found = false;
  for (int i = 0; i < sqlite3_column_count(user->get()); ++i) {
    found = found || sqlite3_stricmp(sqlite3_column_name(user->get(), i), column.c_str()) == 0;
  }
  if (!found) {
    return Status(ErrorCode::kInvalidConfig, "the query has no column named \"" + column + "\"");
  }
  // The newline ends a trailing -- comment of the user's statement.
  const std::string from = " FROM (\n" + text + "\n) AS profiled";
  const std::string c = quote_identifier(column);

  DeadlineScope scope(*this, limits.deadline);
  ColumnProfile profile;
  auto counts = guard_.prepare("SELECT count(*), count(*) - count(" + c + "), " +
                               "coalesce(sum(typeof(" + c + ") IN ('integer', 'real')), 0), " +
                               "coalesce(sum(typeof(" + c + ") IN ('text', 'blob')), 0)" + from);
  if (!counts) return counts.status();
  int rc = sqlite3_step(counts->get());
  if (rc != SQLITE_ROW) return run_error(rc, limits);
  profile.rows = sqlite3_column_int64(counts->get(), 0);
  profile.missing = sqlite3_column_int64(counts->get(), 1);
  profile.numeric = sqlite3_column_int64(counts->get(), 2);
  profile.text = sqlite3_column_int64(counts->get(), 3);

  // count(*) OVER () counts the groups, i.e. the exact number of distinct values.
  auto values = guard_.prepare("SELECT " + c + ", count(*), count(*) OVER ()" + from + " WHERE " +
                               c + " IS NOT NULL GROUP BY " + c + " ORDER BY 2 DESC, 1 LIMIT " +
                               std::to_string(std::max(max_values, 1)));
  if (!values) return values.status();
  sqlite3_stmt* stmt = values->get();
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    profile.distinct = sqlite3_column_int64(stmt, 2);
    if (static_cast<int>(profile.value_counts.size()) >= max_values) continue;
    std::string value;
    switch (sqlite3_column_type(stmt, 0)) {
      case SQLITE_INTEGER:
        value = std::to_string(sqlite3_column_int64(stmt, 0));
        break;
      case SQLITE_FLOAT:
        value = format_number(sqlite3_column_double(stmt, 0));
        break;
      default:
        value.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                     static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    }
    profile.value_counts.emplace_back(std::move(value), sqlite3_column_int64(stmt, 1));
  }
  if (rc != SQLITE_DONE) return run_error(rc, limits);
  return profile;
}

}  // namespace

Result<std::unique_ptr<SqlSource>> open_sql_source(const std::vector<AttachedDatabase>& databases) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      ":memory:", &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  auto source = std::make_unique<SqliteSource>(db);  // owns db even when opening failed
  if (rc != SQLITE_OK) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot open an SQLite connection: ") + sqlite3_errstr(rc));
  }
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, kMaxValueBytes);
  for (const auto& database : databases) {
    for (const auto& other : databases) {
      if (&other != &database &&
          sqlite3_stricmp(other.schema.c_str(), database.schema.c_str()) == 0) {
        return Status(ErrorCode::kInvalidConfig,
                      "the schema name \"" + database.schema + "\" is registered twice");
      }
    }
    TRAIND_RETURN_IF_ERROR(source->attach(database));
  }
  TRAIND_RETURN_IF_ERROR(source->install_guard());
  return std::unique_ptr<SqlSource>(std::move(source));
}

}  // namespace traind::data
