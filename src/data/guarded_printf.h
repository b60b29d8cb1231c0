// GuardedPrintf: SQLite's printf() and format() for a tenant's connection, with a guard.
// Private to the data layer.
//
// SQLite (3.40) repeats a %c conversion's character `precision` times one at a time, even once the
// result is past the length limit, so printf('%.*c', 2147483647, 'x') spends seconds in one step
// that no deadline interrupts. A call whose %c precision passes the length limit fails as too big;
// the others run SQLite's own printf on a side connection, so the results are exactly SQLite's.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>

#include "data/sql_guard.h"

namespace traind::data {

class GuardedPrintf {
 public:
  // Replaces printf() and format() on `db`; nullptr when SQLite refuses. The result must
  // outlive every statement of `db` (close `db` first).
  static std::unique_ptr<GuardedPrintf> install(sqlite3* db, int max_value_bytes);
  ~GuardedPrintf();
  GuardedPrintf(const GuardedPrintf&) = delete;
  GuardedPrintf& operator=(const GuardedPrintf&) = delete;

 private:
  explicit GuardedPrintf(int max_value_bytes) : max_value_bytes_(max_value_bytes) {}
  // The largest %c precision the format asks for, reading '*' values from the arguments.
  static int64_t largest_char_precision(int argc, sqlite3_value** argv);
  static void call(sqlite3_context* context, int argc, sqlite3_value** argv);

  int max_value_bytes_;
  sqlite3* side_ = nullptr;
  std::map<int, Statement> statements_;  // SELECT printf(?1, ...) by argument count
};

}  // namespace traind::data
