// The read-only authorizer and the one-statement prepare of a tenant's SQLite connection.
#include "data/sql_guard.h"

#include <cctype>
#include <string_view>

namespace traind::data {
namespace {

// Functions that reach outside the database. Most are absent from the library build
// (readfile, writefile and edit come with the sqlite3 shell) but are refused by name in
// case a future build or extension registers them.
constexpr const char* kRefusedFunctions[] = {"load_extension", "readfile", "writefile", "edit",
                                             "fts3_tokenizer"};

// What a person would call the statement the authorizer refused.
std::string refused_action(int action, const char* arg2) {
  switch (action) {
    case SQLITE_INSERT:
      return "INSERT";
    case SQLITE_UPDATE:
      return "UPDATE";
    case SQLITE_DELETE:
      return "DELETE";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE:
      return "CREATE";
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_VTABLE:
      return "DROP";
    case SQLITE_PRAGMA:
      return "PRAGMA";
    case SQLITE_TRANSACTION:
      return "BEGIN/COMMIT/ROLLBACK";
    case SQLITE_SAVEPOINT:
      return "SAVEPOINT";
    case SQLITE_ATTACH:
      return "ATTACH";
    case SQLITE_DETACH:
      return "DETACH";
    case SQLITE_ALTER_TABLE:
      return "ALTER TABLE";
    case SQLITE_REINDEX:
      return "REINDEX";
    case SQLITE_ANALYZE:
      return "ANALYZE";
    case SQLITE_FUNCTION:
      return std::string("the function ") + (arg2 ? arg2 : "?") + "()";
    default:
      return "this kind of statement";
  }
}

bool is_refused_function(const char* name) {
  if (name == nullptr) return true;
  for (const char* refused : kRefusedFunctions) {
    if (sqlite3_stricmp(name, refused) == 0) return true;
  }
  return false;
}

// Skips whitespace, semicolons and comments; SQLite reads an unterminated /* to the end.
const char* skip_separators(const char* p, const char* end) {
  while (p < end) {
    if (std::isspace(static_cast<unsigned char>(*p)) || *p == ';') {
      ++p;
    } else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
      while (p < end && *p != '\n') ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      std::string_view rest(p + 2, end - p - 2);
      size_t close = rest.find("*/");
      p = close == std::string_view::npos ? end : p + 2 + close + 2;
    } else {
      break;
    }
  }
  return p;
}

}  // namespace

Status SqlGuard::install(sqlite3* db) {
  db_ = db;
  // query_only first: once the authorizer is in place, PRAGMA itself is refused.
  char* error = nullptr;
  if (sqlite3_exec(db, "PRAGMA query_only=1", nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status(ErrorCode::kInternal, "cannot make the SQL connection read-only: " + message);
  }
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  if (sqlite3_set_authorizer(db, &SqlGuard::authorize, this) != SQLITE_OK) {
    return Status(ErrorCode::kInternal, "cannot install the SQL authorizer");
  }
  return Status::ok();
}

int SqlGuard::authorize(void* self, int action, const char* arg1, const char* arg2,
                        const char* schema, const char* /*trigger*/) {
  const bool main_schema_table = arg1 != nullptr && schema != nullptr &&
                                 sqlite3_stricmp(arg1, "sqlite_master") == 0 &&
                                 sqlite3_stricmp(schema, "main") == 0;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:  // WITH RECURSIVE only reads; the deadline stops endless ones
      return SQLITE_OK;
    case SQLITE_READ:
      // Table-valued PRAGMAs (pragma_database_list, ...) reveal server paths and settings.
      if (arg1 == nullptr || sqlite3_strnicmp(arg1, "pragma_", 7) != 0) return SQLITE_OK;
      action = SQLITE_PRAGMA;
      break;
    case SQLITE_UPDATE:
      // Connecting a table-valued function (json_each, ...) declares its columns, which
      // SQLite authorizes as an update of the empty in-memory main schema. Nothing can be
      // written there: query_only, defensive mode and the read-only check in prepare().
      if (main_schema_table) return SQLITE_OK;
      break;
    case SQLITE_FUNCTION:
      if (!is_refused_function(arg2)) return SQLITE_OK;
      break;
    default:
      break;
  }
  auto* guard = static_cast<SqlGuard*>(self);
  if (guard->refused_.empty()) {
    guard->refused_ = refused_action(action, arg2);
    // CREATE and DROP first write the schema table, and that refusal ends the prepare.
    guard->refused_schema_table_ = (action == SQLITE_INSERT || action == SQLITE_DELETE) &&
                                   arg1 != nullptr &&
                                   (sqlite3_stricmp(arg1, "sqlite_master") == 0 ||
                                    sqlite3_stricmp(arg1, "sqlite_temp_master") == 0);
  }
  return SQLITE_DENY;
}

Result<Statement> SqlGuard::prepare(const std::string& sql, std::string* statement_text) {
  const char* end = sql.data() + sql.size();
  const char* start = skip_separators(sql.data(), end);
  if (start == end) {
    return Status(ErrorCode::kInvalidConfig, "the query is empty: give one SELECT statement");
  }
  refused_.clear();
  refused_schema_table_ = false;
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, start, static_cast<int>(end - start), &raw, &tail);
  Statement stmt(raw);
  if (rc != SQLITE_OK) {
    if (refused_schema_table_) {
      // Name the statement the person wrote rather than its step.
      std::string keyword;
      for (const char* p = start; p < end && std::isalpha(static_cast<unsigned char>(*p)); ++p) {
        keyword += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
      }
      if (keyword == "CREATE" || keyword == "DROP") refused_ = keyword;
    }
    if (!refused_.empty()) {
      return Status(ErrorCode::kInvalidConfig,
                    "the query may only read data: " + refused_ + " is not allowed");
    }
    return Status(ErrorCode::kInvalidConfig,
                  std::string("the query is not valid SQL: ") + sqlite3_errmsg(db_));
  }
  if (stmt == nullptr) {
    return Status(ErrorCode::kInvalidConfig, "the query is empty: give one SELECT statement");
  }
  if (skip_separators(tail, end) != end) {
    return Status(ErrorCode::kInvalidConfig,
                  "the query must be a single SQL statement: remove everything after the "
                  "first statement's semicolon");
  }
  // A second line of defence: a statement that could write (VACUUM, say) is refused even
  // when no authorizer action covers it.
  if (!sqlite3_stmt_readonly(stmt.get())) {
    return Status(ErrorCode::kInvalidConfig,
                  "the query may only read data: this statement would write");
  }
  if (statement_text != nullptr) {
    const char* text_end = tail;
    while (text_end > start &&
           (text_end[-1] == ';' || std::isspace(static_cast<unsigned char>(text_end[-1])))) {
      --text_end;
    }
    statement_text->assign(start, text_end);
  }
  return stmt;
}

}  // namespace traind::data
