#include "data/guarded_printf.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

namespace traind::data {

std::unique_ptr<GuardedPrintf> GuardedPrintf::install(sqlite3* db, int max_value_bytes) {
  auto guarded = std::unique_ptr<GuardedPrintf>(new GuardedPrintf(max_value_bytes));
  if (sqlite3_open_v2(":memory:", &guarded->side_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return nullptr;
  }
  sqlite3_limit(guarded->side_, SQLITE_LIMIT_LENGTH, max_value_bytes);
  for (const char* name : {"printf", "format"}) {
    if (sqlite3_create_function_v2(
            db, name, -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, guarded.get(),
            &GuardedPrintf::call, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return nullptr;
    }
  }
  return guarded;
}

GuardedPrintf::~GuardedPrintf() {
  statements_.clear();
  sqlite3_close_v2(side_);
}

int64_t GuardedPrintf::largest_char_precision(int argc, sqlite3_value** argv) {
  const char* format = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  if (format == nullptr) return 0;
  int next = 1;  // the argument the next conversion or '*' takes
  auto star = [&]() -> int64_t {
    if (next >= argc) return 0;
    // As SQLite reads it: an int, negative meaning left-justified.
    const int v = static_cast<int>(sqlite3_value_int64(argv[next++]));
    return v < 0 ? -static_cast<int64_t>(v) : v;
  };
  int64_t largest = 0;
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') continue;
    ++p;
    if (*p == '%') continue;
    while (*p != '\0' && std::strchr("-+ #0,!", *p) != nullptr) ++p;
    if (*p == '*') {
      star();
      ++p;
    } else {
      while (std::isdigit(static_cast<unsigned char>(*p))) ++p;
    }
    int64_t precision = 0;
    if (*p == '.') {
      ++p;
      if (*p == '*') {
        precision = star();
        ++p;
      } else {
        for (; std::isdigit(static_cast<unsigned char>(*p)); ++p) {
          precision = std::min<int64_t>(precision * 10 + (*p - '0'), int64_t{1} << 40);
        }
      }
    }
    while (*p == 'l') ++p;
    if (*p == '\0') break;
    if (*p == 'c') largest = std::max(largest, precision);
    ++next;
  }
  return largest;
}

void GuardedPrintf::call(sqlite3_context* context, int argc, sqlite3_value** argv) {
  auto* self = static_cast<GuardedPrintf*>(sqlite3_user_data(context));
  if (argc < 1) {
    sqlite3_result_null(context);
    return;
  }
  if (largest_char_precision(argc, argv) > self->max_value_bytes_) {
    sqlite3_result_error_toobig(context);
    return;
  }
  Statement& stmt = self->statements_[argc];
  if (stmt == nullptr) {
    std::string sql = "SELECT printf(?1";
    for (int i = 2; i <= argc; ++i) sql += ", ?" + std::to_string(i);
    sql += ")";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(self->side_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      sqlite3_result_error(context, sqlite3_errmsg(self->side_), -1);
      return;
    }
    stmt.reset(raw);
  }
  sqlite3_reset(stmt.get());
  for (int i = 0; i < argc; ++i) sqlite3_bind_value(stmt.get(), i + 1, argv[i]);
  int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    sqlite3_result_value(context, sqlite3_column_value(stmt.get(), 0));
  } else if (rc == SQLITE_TOOBIG) {
    sqlite3_result_error_toobig(context);
  } else {
    sqlite3_result_error(context, sqlite3_errmsg(self->side_), -1);
  }
  sqlite3_reset(stmt.get());
  sqlite3_clear_bindings(stmt.get());
}

}  // namespace traind::data
