// SqlGuard: keeps a tenant's SQLite connection read-only and one statement at a time.
//
// install() sets `PRAGMA query_only` and an authorizer that allows only reading (SELECT,
// column reads, ordinary functions, WITH RECURSIVE); prepare() accepts exactly one
// statement and turns SQLite's refusals into kInvalidConfig messages a person can act on.
// Private to the data layer. Not thread-safe: it belongs to one connection.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace traind::data {

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class SqlGuard {
 public:
  // Call once, after every ATTACH: the authorizer refuses ATTACH from then on.
  Status install(sqlite3* db);

  // Prepares the single statement in `sql`. `statement_text` (optional) receives the
  // statement without surrounding comments' trailing semicolons, ready to nest as a
  // subquery.
  Result<Statement> prepare(const std::string& sql, std::string* statement_text = nullptr);

 private:
  static int authorize(void* self, int action, const char* arg1, const char* arg2,
                       const char* schema, const char* trigger);

  sqlite3* db_ = nullptr;
  std::string refused_;  // what the authorizer refused first during the current prepare
  bool refused_schema_table_ = false;  // refused_ is a write of sqlite_master (a step of
                                       // CREATE or DROP)
};

}  // namespace traind::data
