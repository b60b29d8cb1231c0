// Tests of the SQLite SqlSource over real database files in a temporary directory.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "data/sql_source.h"

namespace traind::data {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
}

class SqliteSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/traind-data-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/shop.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    exec(db,
         "BEGIN;"
         "CREATE TABLE items (id INTEGER, name TEXT, price REAL, mixed, note TEXT);"
         "INSERT INTO items VALUES (1, 'apple', 1.5, 1, NULL);"
         "INSERT INTO items VALUES (2, 'pear', NULL, 2.5, 'ripe');"
         "INSERT INTO items VALUES (3, 'apple', 3.0, 'abc', NULL);"
         "INSERT INTO items VALUES (4, NULL, 4.25, NULL, 'x');"
         "CREATE INDEX items_by_name ON items (name);"
         "COMMIT;");
    sqlite3_close(db);
    auto source = open_sql_source({{"shop", "sqlite", path_, ""}});
    ASSERT_TRUE(source.is_ok()) << source.status().message();
    source_ = std::move(source.value());
  }
  void TearDown() override {
    source_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<SqlSource> source_;
};

TEST_F(SqliteSourceTest, DescribeReturnsColumnNamesAndDeclaredTypes) {
  auto columns = source_->describe("SELECT id, name, price, price * 2 AS doubled FROM shop.items");
  ASSERT_TRUE(columns.is_ok()) << columns.status().message();
  ASSERT_EQ(columns->size(), 4u);
  EXPECT_EQ((*columns)[0].name, "id");
  EXPECT_EQ((*columns)[0].declared_type, "INTEGER");
  EXPECT_EQ((*columns)[1].declared_type, "TEXT");
  EXPECT_EQ((*columns)[2].declared_type, "REAL");
  EXPECT_EQ((*columns)[3].name, "doubled");
  EXPECT_EQ((*columns)[3].declared_type, "");
}

TEST_F(SqliteSourceTest, TablesListsTablesAndViewsWithTheirColumnsButNoIndexes) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  exec(db, "CREATE VIEW cheap AS SELECT id, price FROM items WHERE price < 2;");
  sqlite3_close(db);
  auto reopened = open_sql_source({{"shop", "sqlite", path_, ""}});
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().message();
  auto tables = (*reopened)->tables();
  ASSERT_TRUE(tables.is_ok()) << tables.status().message();
  ASSERT_EQ(tables->size(), 2u);  // the index and sqlite_* tables are left out
  EXPECT_EQ((*tables)[0].schema, "shop");
  EXPECT_EQ((*tables)[0].name, "cheap");
  ASSERT_EQ((*tables)[0].columns.size(), 2u);
  EXPECT_EQ((*tables)[0].columns[1].name, "price");
  EXPECT_EQ((*tables)[1].name, "items");
  ASSERT_EQ((*tables)[1].columns.size(), 5u);
  EXPECT_EQ((*tables)[1].columns[0].declared_type, "INTEGER");
  EXPECT_EQ((*tables)[1].columns[3].name, "mixed");
}

TEST_F(SqliteSourceTest, LoadKeepsStorageTypesAndMissingValues) {
  auto table = source_->load("SELECT * FROM shop.items ORDER BY id", {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  ASSERT_EQ(table->num_rows(), 4u);
  ASSERT_EQ(table->num_columns(), 5u);

  const Column& id = table->column(0);
  EXPECT_EQ(id.storage, StorageType::kNumber);
  EXPECT_TRUE(id.all_integers);
  EXPECT_EQ(id.numbers, (std::vector<double>{1, 2, 3, 4}));

  const Column& name = table->column(1);
  EXPECT_EQ(name.storage, StorageType::kString);
  EXPECT_EQ(name.declared_type, "TEXT");
  EXPECT_EQ(name.strings[2], "apple");
  EXPECT_TRUE(name.is_missing(3));
  EXPECT_FALSE(name.is_missing(0));

  const Column& price = table->column(2);
  EXPECT_EQ(price.storage, StorageType::kNumber);
  EXPECT_FALSE(price.all_integers);
  EXPECT_TRUE(std::isnan(price.numbers[1]));
  EXPECT_DOUBLE_EQ(price.numbers[3], 4.25);

  // Numbers seen before the first text become text, as Column::text would show them.
  const Column& mixed = table->column(3);
  EXPECT_EQ(mixed.storage, StorageType::kString);
  EXPECT_EQ(mixed.declared_type, "");
  EXPECT_EQ(mixed.strings[0], "1");
  EXPECT_EQ(mixed.strings[1], "2.5");
  EXPECT_EQ(mixed.strings[2], "abc");
  EXPECT_TRUE(mixed.is_missing(3));
  EXPECT_EQ(table->byte_size() > 0, true);
}

TEST_F(SqliteSourceTest, LoadColumnsKeepsOnlyTheNamedColumnsInTheirOrder) {
  auto table = source_->load_columns("SELECT * FROM shop.items ORDER BY id -- newest last;",
                                     {"price", "id"}, {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  ASSERT_EQ(table->num_columns(), 2u);
  EXPECT_EQ(table->column(0).name, "price");
  EXPECT_EQ(table->column(0).declared_type, "REAL");
  EXPECT_EQ(table->column(1).numbers, (std::vector<double>{1, 2, 3, 4}));

  auto unknown = source_->load_columns("SELECT id FROM shop.items", {"id", "colour"}, {});
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(unknown.status().message().find("colour"), std::string::npos);
  auto write = source_->load_columns("DELETE FROM shop.items", {"id"}, {});
  EXPECT_EQ(write.status().code(), ErrorCode::kInvalidConfig);
}

TEST_F(SqliteSourceTest, AcceptsTrailingSemicolonsAndComments) {
  auto table = source_->load("  -- lead\nSELECT id FROM shop.items; /* end */ ;\n-- done", {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  EXPECT_EQ(table->num_rows(), 4u);
}

TEST_F(SqliteSourceTest, RefusesEveryStatementThatIsNotASingleRead) {
  const std::string before = file_bytes(path_);
  const std::vector<std::string> refused = {
      "INSERT INTO shop.items (id) VALUES (99)",
      "UPDATE shop.items SET price = 0",
      "DELETE FROM shop.items",
      "CREATE TABLE shop.extra (x)",
      "CREATE TEMP TABLE extra (x)",
      "DROP TABLE shop.items",
      "ATTACH DATABASE '" + dir_ + "/other.db' AS other",
      "DETACH DATABASE shop",
      "PRAGMA writable_schema=ON",
      "PRAGMA query_only=0",
      "PRAGMA shop.journal_mode=DELETE",
      "SELECT load_extension('x')",
      "SELECT * FROM pragma_table_info('items')",
      "UPDATE sqlite_master SET sql = ''",
      "SELECT 1; SELECT 2",
      "SELECT 1; DROP TABLE shop.items",
      "BEGIN",
      "VACUUM",
      "VACUUM shop INTO '" + dir_ + "/copy.db'",
      "ALTER TABLE shop.items ADD COLUMN extra",
      "ANALYZE",
      "REINDEX",  // refused because the file has an index; a bare REINDEX of none is a no-op
      "REINDEX shop.items_by_name",
      "WITH x AS (SELECT 1) INSERT INTO shop.items (id) SELECT * FROM x",
      "",
      "  ; -- nothing here",
  };
  for (const auto& sql : refused) {
    auto described = source_->describe(sql);
    EXPECT_EQ(described.status().code(), ErrorCode::kInvalidConfig) << sql;
    auto loaded = source_->load(sql, {});
    EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidConfig) << sql;
    auto profiled = source_->profile_column(sql, "id", 5, {});
    EXPECT_EQ(profiled.status().code(), ErrorCode::kInvalidConfig) << sql;
  }
  EXPECT_EQ(file_bytes(path_), before);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/other.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/copy.db"));
  // The source still reads after all those refusals.
  EXPECT_TRUE(source_->load("SELECT * FROM shop.items", {}).is_ok());
}

TEST_F(SqliteSourceTest, AllowsTableValuedFunctionsButNotPragmaTables) {
  auto json = source_->load("SELECT value FROM json_each('[3, 4]') ORDER BY value", {});
  ASSERT_TRUE(json.is_ok()) << json.status().message();
  EXPECT_EQ(json->column(0).numbers, (std::vector<double>{3, 4}));
  auto schema = source_->load("SELECT name FROM shop.sqlite_master WHERE type = 'table'", {});
  ASSERT_TRUE(schema.is_ok()) << schema.status().message();
  EXPECT_EQ(schema->column(0).strings, (std::vector<std::string>{"items"}));
  // pragma_database_list would show the server's file paths.
  auto paths = source_->load("SELECT file FROM pragma_database_list", {});
  EXPECT_EQ(paths.status().message(), "the query may only read data: PRAGMA is not allowed");
}

TEST_F(SqliteSourceTest, RefusalMessagesNameWhatIsNotAllowed) {
  auto insert = source_->load("INSERT INTO shop.items (id) VALUES (99)", {});
  EXPECT_EQ(insert.status().message(), "the query may only read data: INSERT is not allowed");
  auto attach = source_->load("ATTACH DATABASE ':memory:' AS other", {});
  EXPECT_NE(attach.status().message().find("ATTACH is not allowed"), std::string::npos);
  auto extension = source_->load("SELECT load_extension('x')", {});
  EXPECT_NE(extension.status().message().find("load_extension"), std::string::npos);
  auto two = source_->load("SELECT 1; SELECT 2", {});
  EXPECT_NE(two.status().message().find("single SQL statement"), std::string::npos);
  auto typo = source_->load("SELECT * FROM shop.missing_table", {});
  EXPECT_EQ(typo.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(typo.status().message().find("no such table"), std::string::npos);
}

TEST_F(SqliteSourceTest, StopsEndlessRecursiveQueryAtDeadline) {
  const std::string endless =
      "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter) "
      "SELECT count(*) FROM counter";
  QueryLimits limits;
  limits.deadline = std::chrono::milliseconds(200);
  auto table = source_->load(endless, limits);
  EXPECT_EQ(table.status().code(), ErrorCode::kTimeout);
  EXPECT_EQ(table.status().message(), "the query ran longer than its deadline of 0.2 s");

  auto profile = source_->profile_column(
      "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter) "
      "SELECT x FROM counter",
      "x", 10, limits);
  EXPECT_EQ(profile.status().code(), ErrorCode::kTimeout);
  // The deadline belongs to one call: the next query runs normally.
  EXPECT_TRUE(source_->load("SELECT * FROM shop.items", {}).is_ok());
}

TEST_F(SqliteSourceTest, StopsLargeResultAtSizeLimit) {
  QueryLimits limits;
  limits.max_bytes = 100000;
  auto table = source_->load(
      "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter "
      "WHERE x < 1000000) SELECT x, 'row ' || x AS label FROM counter",
      limits);
  EXPECT_EQ(table.status().code(), ErrorCode::kDatasetTooLarge);
  EXPECT_EQ(table.status().message(),
            "the query's result exceeds the tenant's dataset size limit of 100000 bytes");
}

TEST_F(SqliteSourceTest, ReportsProgressWhileLoading) {
  std::vector<int64_t> reported;
  auto table = source_->load(
      "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter "
      "WHERE x < 12000) SELECT x FROM counter",
      {}, [&](int64_t rows) { reported.push_back(rows); });
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  EXPECT_EQ(table->num_rows(), 12000u);
  EXPECT_EQ(reported, (std::vector<int64_t>{5000, 10000, 12000}));
}

TEST_F(SqliteSourceTest, ProfileColumnCountsValues) {
  auto name = source_->profile_column("SELECT * FROM shop.items;", "name", 5, {});
  ASSERT_TRUE(name.is_ok()) << name.status().message();
  EXPECT_EQ(name->rows, 4);
  EXPECT_EQ(name->missing, 1);
  EXPECT_EQ(name->numeric, 0);
  EXPECT_EQ(name->text, 3);
  EXPECT_EQ(name->distinct, 2);
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(name->value_counts, (Counts{{"apple", 2}, {"pear", 1}}));

  auto mixed =
      source_->profile_column("SELECT mixed FROM shop.items -- no semicolon", "mixed", 1, {});
  ASSERT_TRUE(mixed.is_ok()) << mixed.status().message();
  EXPECT_EQ(mixed->numeric, 2);
  EXPECT_EQ(mixed->text, 1);
  EXPECT_EQ(mixed->distinct, 3);  // exact even though only one value is listed
  EXPECT_EQ(mixed->value_counts.size(), 1u);
}

TEST_F(SqliteSourceTest, ProfileColumnQuotesTheColumnName) {
  auto odd = source_->profile_column("SELECT price AS \"odd \"\"name\"\"\" FROM shop.items",
                                     "odd \"name\"", 10, {});
  ASSERT_TRUE(odd.is_ok()) << odd.status().message();
  EXPECT_EQ(odd->numeric, 3);
  EXPECT_EQ(odd->missing, 1);
  EXPECT_EQ(odd->value_counts.front().first, "1.5");

  auto unknown = source_->profile_column("SELECT id FROM shop.items", "nope", 10, {});
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidConfig);
}

TEST_F(SqliteSourceTest, MissingDatabaseFileIsInvalidConfigNamingTheSchema) {
  auto source = open_sql_source(
      {{"shop", "sqlite", path_, ""}, {"ghost", "sqlite", dir_ + "/does-not-exist.db", ""}});
  EXPECT_EQ(source.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(source.status().message().find("\"ghost\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/does-not-exist.db"));
}

TEST_F(SqliteSourceTest, FileThatIsNotADatabaseIsInvalidConfig) {
  std::ofstream(dir_ + "/notes.db") << "this is not a database, just some text to read";
  auto source = open_sql_source({{"notes", "sqlite", dir_ + "/notes.db", ""}});
  EXPECT_EQ(source.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(source.status().message().find("\"notes\""), std::string::npos);
}

TEST_F(SqliteSourceTest, RefusesPostgresqlAndBadSchemaNames) {
  auto postgres = open_sql_source({{"warehouse", "postgresql", "", "host=db"}});
  EXPECT_EQ(postgres.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(postgres.status().message().find("PostgreSQL data sources are not available"),
            std::string::npos);
  EXPECT_EQ(open_sql_source({{"main", "sqlite", path_, ""}}).status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_EQ(open_sql_source({{"a b", "sqlite", path_, ""}}).status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_EQ(open_sql_source({{"shop", "sqlite", path_, ""}, {"SHOP", "sqlite", path_, ""}})
                .status()
                .code(),
            ErrorCode::kInvalidConfig);
}

TEST_F(SqliteSourceTest, OpensPathsWithCharactersThatMeanSomethingInUris) {
  const std::string odd = dir_ + "/odd name?#%.db";
  std::filesystem::copy_file(path_, odd);
  auto source = open_sql_source({{"odd", "sqlite", odd, ""}});
  ASSERT_TRUE(source.is_ok()) << source.status().message();
  auto table = (*source)->load("SELECT count(*) AS n FROM odd.items", {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  EXPECT_EQ(table->column(0).numbers[0], 4);
}

}  // namespace
}  // namespace traind::data

// Hostile queries (issue 9): values too large to build, rows too large to keep, joins and
// nesting meant to exhaust the server. Each stops with an error; the source keeps working.
namespace traind::data {
namespace {

TEST_F(SqliteSourceTest, RefusesHugeValuesBeforeBuildingThem) {
  // SQLite builds each of these in one step that no deadline interrupts; the default length
  // limit (1e9 bytes) would let the first ones allocate close to a gigabyte.
  const std::vector<std::string> huge = {
      "SELECT randomblob(900000000) AS v",
      "SELECT randomblob(2000000000) AS v",
      "SELECT length(zeroblob(2000000000)) AS v",
      "SELECT replace(hex(zeroblob(400000000)), '00', 'ab') AS v",
      "SELECT group_concat(printf('%.*c', 1000000, 'x')) AS v FROM "
      "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) "
      "SELECT x FROM c)",
  };
  for (const auto& sql : huge) {
    auto loaded = source_->load(sql, {});
    EXPECT_EQ(loaded.status().code(), ErrorCode::kDatasetTooLarge) << sql;
    EXPECT_NE(loaded.status().message().find("larger than the limit of 16777216 bytes"),
              std::string::npos)
        << loaded.status().message();
    auto profiled = source_->profile_column(sql, "v", 5, {});
    EXPECT_EQ(profiled.status().code(), ErrorCode::kDatasetTooLarge) << sql;
  }
  // A large value under the limit is fine, and the source still reads.
  auto fine = source_->load("SELECT randomblob(1000000) AS v", {});
  ASSERT_TRUE(fine.is_ok()) << fine.status().message();
  EXPECT_EQ(fine->column(0).strings[0].size(), 1000000u);
  EXPECT_TRUE(source_->load("SELECT * FROM shop.items", {}).is_ok());
}

TEST_F(SqliteSourceTest, StopsAtSizeLimitOnTheRowThatCrossesIt) {
  // Row 1 alone is past the limit; row 3 would fail. Checking only every thousand rows
  // reached the failure (or gigabytes of rows) first.
  QueryLimits limits;
  limits.max_bytes = 1000000;
  auto table = source_->load(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
      "SELECT CASE WHEN x < 3 THEN randomblob(4000000) "
      "ELSE abs(-9223372036854775807 - 1) END AS v FROM c",
      limits);
  EXPECT_EQ(table.status().code(), ErrorCode::kDatasetTooLarge) << table.status().message();
}

TEST_F(SqliteSourceTest, StopsCrossJoinOfBillionsOfRowsAndNestedRecursionAtDeadline) {
  QueryLimits limits;
  limits.deadline = std::chrono::milliseconds(200);
  std::string cross = "SELECT count(*) AS n FROM shop.items t0";
  for (int i = 1; i < 16; ++i) cross += ", shop.items t" + std::to_string(i);  // 4^16 rows
  const std::vector<std::string> endless = {
      cross,
      "WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a), "
      "b(y) AS (SELECT x FROM a UNION ALL SELECT y + 1 FROM b) SELECT y AS n FROM b",
      "SELECT (WITH RECURSIVE c(x) AS (SELECT id UNION ALL SELECT x + 1 FROM c) "
      "SELECT max(x) FROM c) AS n FROM shop.items",
  };
  for (const auto& sql : endless) {
    auto loaded = source_->load(sql, limits);
    EXPECT_EQ(loaded.status().code(), ErrorCode::kTimeout) << sql;
    auto profiled = source_->profile_column(sql, "n", 5, limits);
    EXPECT_EQ(profiled.status().code(), ErrorCode::kTimeout) << sql;
  }
  EXPECT_TRUE(source_->load("SELECT * FROM shop.items", {}).is_ok());
}

TEST_F(SqliteSourceTest, RefusesDeepNestingAndTheRestOfTheWriteFamily) {
  std::string deep_parens = std::string(5000, '(') + "1" + std::string(5000, ')');
  std::string deep_calls;
  for (int i = 0; i < 3000; ++i) deep_calls += "abs(";
  deep_calls += "1" + std::string(3000, ')');
  std::string deep_subqueries = "SELECT 1 AS n";
  for (int i = 0; i < 300; ++i) deep_subqueries = "SELECT n FROM (" + deep_subqueries + ")";
  const std::vector<std::string> refused = {
      "SELECT " + deep_parens + " AS n",
      "SELECT " + deep_calls + " AS n",
      deep_subqueries,
      "WITH x AS (SELECT 1) DELETE FROM shop.items",
      "WITH x AS (SELECT 1) UPDATE shop.items SET price = 0",
      "CREATE VIEW shop.v AS SELECT 1",
      "CREATE TRIGGER shop.t AFTER INSERT ON items BEGIN SELECT 1; END",
      "CREATE VIRTUAL TABLE temp.f USING fts5(x)",
      "DROP INDEX shop.items_by_name",
      "REPLACE INTO shop.items (id) VALUES (1)",
      "SELECT * FROM pragma_function_list",
      "SELECT * FROM pragma_compile_options",
      "SELECT * FROM shop.pragma_table_list",
      "SELECT * FROM pragma_query_only",
      "SELECT readfile('/etc/passwd') AS n",
      "SELECT writefile('/tmp/traind-hostile', 'x') AS n",
      "SELECT edit('x') AS n",
      "SELECT fts3_tokenizer('simple') AS n",
      "VACUUM INTO '/tmp/traind-hostile-copy.db'",
      "SAVEPOINT s",
  };
  const std::string before = file_bytes(path_);
  for (const auto& sql : refused) {
    auto loaded = source_->load(sql, {});
    EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidConfig) << sql.substr(0, 80);
    EXPECT_FALSE(loaded.status().message().empty());
  }
  EXPECT_EQ(file_bytes(path_), before);
  EXPECT_FALSE(std::filesystem::exists("/tmp/traind-hostile"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/traind-hostile-copy.db"));
  EXPECT_TRUE(source_->load("SELECT * FROM shop.items", {}).is_ok());
}

TEST_F(SqliteSourceTest, CreateAndDropAreNamedRatherThanTheirSchemaTableWrite) {
  EXPECT_EQ(source_->load("CREATE TABLE shop.extra (x)", {}).status().message(),
            "the query may only read data: CREATE is not allowed");
  EXPECT_EQ(source_->load("CREATE TEMP VIEW v AS SELECT 1", {}).status().message(),
            "the query may only read data: CREATE is not allowed");
  EXPECT_EQ(source_->load("DROP TABLE shop.items", {}).status().message(),
            "the query may only read data: DROP is not allowed");
  // A write of the schema table itself is still named as what it is.
  EXPECT_EQ(source_->load("UPDATE shop.sqlite_master SET sql = ''", {}).status().code(),
            ErrorCode::kInvalidConfig);
}

TEST_F(SqliteSourceTest, PrintfRefusesACharacterRepeatedPastTheValueLimit) {
  // SQLite repeats %c one character at a time whatever the limit: seconds in one step.
  for (const std::string sql : {"SELECT printf('%.*c', 2147483647, 'x') AS v",
                                "SELECT format('%.*c', -2147483647, 'x') AS v",
                                "SELECT printf('%d %5.2000000000c', 1, 'x') AS v",
                                "SELECT printf('%*.*c', 3, 100000000, 'x') AS v"}) {
    auto loaded = source_->load(sql, {});
    EXPECT_EQ(loaded.status().code(), ErrorCode::kDatasetTooLarge) << sql;
  }
  // Everything else is SQLite's own printf, in a query and in a view of the database.
  auto table = source_->load(
      "SELECT printf('%05d|%.3c|%s|%-4s|%.2f|%q|%%', 42, 'ab', NULL, 'x', 2.5, 'it''s') AS a, "
      "format('%*d', 4, 7) AS b, printf('%.*c', 5, 'z') AS c, printf(NULL) AS d, "
      "printf('%d %d', 1) AS e",
      {});
  ASSERT_TRUE(table.is_ok()) << table.status().message();
  EXPECT_EQ(table->column(0).strings[0], "00042|aaa||x   |2.50|it''s|%");
  EXPECT_EQ(table->column(1).strings[0], "   7");
  EXPECT_EQ(table->column(2).strings[0], "zzzzz");
  EXPECT_TRUE(table->column(3).is_missing(0));
  EXPECT_EQ(table->column(4).strings[0], "1 0");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  exec(db, "CREATE VIEW labels AS SELECT printf('item-%03d', id) AS label FROM items;");
  sqlite3_close(db);
  auto reopened = open_sql_source({{"shop", "sqlite", path_, ""}});
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().message();
  auto labels = (*reopened)->load("SELECT label FROM shop.labels ORDER BY label", {});
  ASSERT_TRUE(labels.is_ok()) << labels.status().message();
  EXPECT_EQ(labels->column(0).strings[0], "item-001");
}

}  // namespace
}  // namespace traind::data
