// SqliteStatement: a prepared SQLite statement bound positionally, finalised when it goes
// out of scope. Shared by the stores that keep their state in SQLite (the metadata store,
// the tracking store); header-only, so only those link SQLite.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind {

// Runs SQL without results (pragmas, schema); kInternal naming `what` on failure.
inline Status sqlite_exec(sqlite3* db, const char* sql, const std::string& what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status(ErrorCode::kInternal, what + ": " + msg);
  }
  return Status::ok();
}

// A store's database: opened read-write (created when missing) for one connection used
// under the store's mutex, a 5 s busy timeout, WAL journal, the given synchronous level
// ("FULL": a change is on disk when the call returns; "NORMAL": it survives a crash of the
// process but the last commits may roll back on power loss), then `schema`.
inline Result<sqlite3*> open_sqlite_store(const std::string& path, const char* synchronous,
                                          const char* schema) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status(ErrorCode::kInternal, "cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  const std::string sync = std::string("PRAGMA synchronous=") + synchronous;
  for (const char* sql :
       {"PRAGMA journal_mode=WAL", sync.c_str(), "PRAGMA foreign_keys=ON", schema}) {
    Status st = sqlite_exec(db, sql, path);
    if (!st.is_ok()) {
      sqlite3_close(db);
      return st;
    }
  }
  return db;
}

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  SqliteStatement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql.c_str()) {}
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  // Makes the statement ready to run again with new bindings (one prepare for many rows).
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    n_ = 0;
  }
  SqliteStatement& bind(const std::string& v) {
    sqlite3_bind_text(stmt_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  SqliteStatement& bind(const char* v) { return bind(std::string(v)); }
  SqliteStatement& bind(int64_t v) {
    sqlite3_bind_int64(stmt_, ++n_, v);
    return *this;
  }
  SqliteStatement& bind(int v) { return bind(static_cast<int64_t>(v)); }
  SqliteStatement& bind(double v) {
    sqlite3_bind_double(stmt_, ++n_, v);
    return *this;
  }
  SqliteStatement& bind_null() {
    sqlite3_bind_null(stmt_, ++n_);
    return *this;
  }
  SqliteStatement& bind_json(const nlohmann::json& j) {
    return j.is_null() ? bind_null() : bind(j.dump());
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  nlohmann::json json(int col) const {
    if (is_null(col)) return nullptr;
    return nlohmann::json::parse(text(col), nullptr, false);
  }
  std::string error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int n_ = 0;
};

}  // namespace traind
