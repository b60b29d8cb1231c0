// Tests of schema-context validation (layer 2) against a real SQLite file.
#include "train/context_validation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>

#include "data/demo_data.h"
#include "train/config.h"
#include "train/seed_config_for_tests.h"

namespace traind::train {
namespace {

using nlohmann::json;

constexpr int kRows = 40;

std::string all_details(const Status& status) {
  std::string out = status.message() + "\n";
  for (const ErrorDetail& d : status.details()) out += "[" + d.path + "] " + d.message + "\n";
  return out;
}

std::string detail_at(const Status& status, const std::string& path) {
  for (const ErrorDetail& d : status.details()) {
    if (d.path == path) return d.message;
  }
  return "";
}

class ContextValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("traind-context-test-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "shop.db").string();
    write_database(path);
    data::AttachedDatabase shop;
    shop.schema = "shop";
    shop.path = path;
    auto source = data::open_sql_source({shop});
    ASSERT_TRUE(source.is_ok()) << source.status().to_string();
    source_ = std::move(source.value());
  }

  void TearDown() override {
    source_.reset();
    std::filesystem::remove_all(dir_);
  }

  // 40 customers: an id, a unique e-mail, numeric and categorical features, a binary
  // target, a numeric target, a constant column, a class with a single row.
  static void write_database(const std::string& path) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // One transaction: a commit per row would make every test wait on fsync.
    std::string sql =
        "BEGIN; CREATE TABLE customers (customer_id INTEGER, email TEXT, tenure INTEGER, "
        "monthly_charges REAL, contract_type TEXT, region_id INTEGER, churned INTEGER, "
        "spend REAL, one_class INTEGER, rare_class TEXT, three_class TEXT);";
    const char* contracts[] = {"Month-to-month", "One year", "Two year"};
    const char* three[] = {"a", "b", "c"};
    for (int i = 0; i < kRows; ++i) {
      sql += fmt::format(
          "INSERT INTO customers VALUES ({}, 'user{}@example.com', {}, {}, '{}', {}, {}, {}, 1, "
          "'{}', '{}');",
          1000 + i, i, i % 24, 20 + i * 1.5, contracts[i % 3], i % 4, i % 2, i * 3.7 + i % 5,
          i == 0 ? "gold" : (i % 2 ? "silver" : "bronze"), three[i % 3]);
    }
    sql += "COMMIT;";
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }

  // A configuration resolved by layer 1, as the service hands it to layer 2.
  static json resolved(json changes) {
    json body = {{"algorithm", "xgboost"},
                 {"task_type", "classification"},
                 {"dataset", {{"source", "sql"}, {"query", "SELECT * FROM shop.customers"}}},
                 {"target_column", "churned"},
                 {"feature_columns", {"tenure", "monthly_charges", "contract_type"}}};
    body.merge_patch(changes);
    auto result = resolve_config(body, "acme-corp");
    EXPECT_TRUE(result.is_ok()) << all_details(result.status());
    return result.is_ok() ? result.value() : json();
  }

  Result<json> validate(const json& config) {
    return validate_against_data(config, *source_, data::QueryLimits{});
  }

  Status rejected(const json& config) {
    auto result = validate(config);
    EXPECT_FALSE(result.is_ok()) << result->dump();
    if (result.is_ok()) return Status::ok();
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig) << all_details(result.status());
    return result.status();
  }

  std::filesystem::path dir_;
  std::unique_ptr<data::SqlSource> source_;
};

TEST_F(ContextValidationTest, AcceptsValidConfigurationUnchanged) {
  json config = resolved(json::object());
  auto result = validate(config);
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  EXPECT_EQ(result.value(), config);
}

TEST_F(ContextValidationTest, RejectsMissingTargetColumn) {
  Status status = rejected(resolved({{"target_column", "churn"}}));
  std::string message = detail_at(status, "/target_column");
  EXPECT_NE(message.find("'churn'"), std::string::npos) << all_details(status);
  EXPECT_NE(message.find("did you mean 'churned'?"), std::string::npos);
  EXPECT_NE(message.find("customer_id, email, tenure"), std::string::npos);
}

TEST_F(ContextValidationTest, RejectsMissingFeatureColumn) {
  Status status = rejected(resolved({{"feature_columns", {"tenure", "total_charges"}}}));
  ASSERT_EQ(status.details().size(), 1u) << all_details(status);
  EXPECT_EQ(status.details()[0].path, "/feature_columns/1");
  EXPECT_NE(status.details()[0].message.find("'total_charges'"), std::string::npos);
}

TEST_F(ContextValidationTest, RejectsTargetAmongFeatures) {
  Status status = rejected(resolved({{"feature_columns", {"churned", "tenure"}}}));
  EXPECT_NE(detail_at(status, "/feature_columns/0").find("is the target column"), std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, RejectsRegressionOnTextTarget) {
  Status status =
      rejected(resolved({{"task_type", "regression"}, {"target_column", "contract_type"}}));
  EXPECT_NE(detail_at(status, "/target_column").find("regression needs a numeric target"),
            std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, AcceptsRegressionOnNumericTarget) {
  auto result = validate(resolved({{"task_type", "regression"}, {"target_column", "spend"}}));
  EXPECT_TRUE(result.is_ok()) << all_details(result.status());
}

TEST_F(ContextValidationTest, RejectsClassificationTargetWithOneClass) {
  Status status = rejected(resolved({{"target_column", "one_class"}}));
  EXPECT_NE(detail_at(status, "/target_column").find("single class ('1'"), std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, RejectsStratifiedSplitWithSingletonClass) {
  Status status = rejected(resolved({{"target_column", "rare_class"}}));
  std::string message = detail_at(status, "/split");
  EXPECT_NE(message.find("class 'gold'"), std::string::npos) << all_details(status);
  EXPECT_NE(message.find("at least 2 rows per class"), std::string::npos);
}

TEST_F(ContextValidationTest, AcceptsRandomSplitWithSingletonClass) {
  auto result =
      validate(resolved({{"target_column", "rare_class"}, {"split", {{"strategy", "random"}}}}));
  EXPECT_TRUE(result.is_ok()) << all_details(result.status());
}

TEST_F(ContextValidationTest, RejectsStratifiedTestPartSmallerThanClassCount) {
  // 10 rows, test_size 0.1: ceil(1.0) = 1 test row for 3 classes.
  Status status =
      rejected(resolved({{"target_column", "three_class"},
                         {"dataset", {{"query", "SELECT * FROM shop.customers LIMIT 10"}}},
                         {"split", {{"test_size", 0.1}}}}));
  EXPECT_NE(detail_at(status, "/split").find("the test part gets 1 of 10 rows"), std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, RejectsTooFewRowsWithTarget) {
  Status status =
      rejected(resolved({{"dataset", {{"query", "SELECT * FROM shop.customers LIMIT 5"}}}}));
  EXPECT_NE(detail_at(status, "/dataset/query").find("training needs at least 10"),
            std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, FillsOmittedFeatureColumnsWithoutIdentifiers) {
  json config = resolved(json::object());
  config.erase("feature_columns");
  auto result = validate(config);
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  // customer_id (all distinct, id name) and email (all-distinct text) are identifiers;
  // region_id repeats its values, so it stays a feature.
  EXPECT_EQ(result.value()["feature_columns"],
            json({"tenure", "monthly_charges", "contract_type", "region_id", "spend", "one_class",
                  "rare_class", "three_class"}));
}

TEST_F(ContextValidationTest, RejectsQueryThatWrites) {
  Status status = rejected(resolved({{"dataset", {{"query", "DELETE FROM shop.customers"}}}}));
  ASSERT_EQ(status.details().size(), 1u) << all_details(status);
  EXPECT_EQ(status.details()[0].path, "/dataset/query");
  EXPECT_FALSE(status.details()[0].message.empty());
}

TEST_F(ContextValidationTest, RejectsQueryThatAttaches) {
  Status status =
      rejected(resolved({{"dataset", {{"query", "ATTACH DATABASE '/tmp/x.db' AS x"}}}}));
  EXPECT_NE(detail_at(status, "/dataset/query"), "") << all_details(status);
}

TEST_F(ContextValidationTest, RejectsQueryThatDoesNotPrepare) {
  Status status =
      rejected(resolved({{"dataset", {{"query", "SELECT * FROM shop.no_such_table"}}}}));
  EXPECT_NE(detail_at(status, "/dataset/query").find("no_such_table"), std::string::npos)
      << all_details(status);
}

TEST_F(ContextValidationTest, ReportsSeveralContextProblemsTogether) {
  Status status =
      rejected(resolved({{"feature_columns", {"tenure", "total_charges", "contract"}}}));
  EXPECT_EQ(status.details().size(), 2u) << all_details(status);
  EXPECT_NE(detail_at(status, "/feature_columns/1"), "");
  EXPECT_NE(detail_at(status, "/feature_columns/2").find("did you mean 'contract_type'?"),
            std::string::npos);
  EXPECT_EQ(status.message(), "the training configuration has 2 problems; see details");
}

TEST_F(ContextValidationTest, QueryPastItsDeadlineStaysInvalidConfig) {
  // describe() prepares it fine; profiling the target never ends on its own.
  json config = resolved({{"dataset",
                           {{"query",
                             "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                             "SELECT x % 2 AS churned, x AS tenure, x AS monthly_charges, "
                             "'a' AS contract_type FROM n"}}}});
  data::QueryLimits limits;
  limits.deadline = std::chrono::milliseconds(200);
  auto result = validate_against_data(config, *source_, limits);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig) << all_details(result.status());
  EXPECT_NE(detail_at(result.status(), "/dataset/query").find("deadline"), std::string::npos)
      << all_details(result.status());
}

// The seed's configuration verbatim against the demo tenant's data.
class DemoDataContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / fmt::format("traind-demo-context-{}", getpid());
    std::filesystem::create_directories(dir_);
    data::AttachedDatabase features;
    features.schema = "ml_features";
    features.path = (dir_ / "ml_features.db").string();
    ASSERT_TRUE(data::write_demo_features_db(features.path).is_ok());
    auto source = data::open_sql_source({features});
    ASSERT_TRUE(source.is_ok()) << source.status().to_string();
    source_ = std::move(source.value());
  }
  void TearDown() override {
    source_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<data::SqlSource> source_;
};

using testing::kSeedConfig;

TEST_F(DemoDataContextTest, SeedConfigurationValidatesAgainstDemoData) {
  auto resolved = resolve_config(json::parse(kSeedConfig), "acme-corp");
  ASSERT_TRUE(resolved.is_ok()) << all_details(resolved.status());
  auto checked = validate_against_data(resolved.value(), *source_, data::QueryLimits{});
  ASSERT_TRUE(checked.is_ok()) << all_details(checked.status());
  EXPECT_EQ(checked.value(), resolved.value());
}

TEST_F(DemoDataContextTest, OmittedFeaturesOfDemoDataLeaveOutCustomerId) {
  json body = json::parse(kSeedConfig);
  body.erase("feature_columns");
  auto resolved = resolve_config(body, "acme-corp");
  ASSERT_TRUE(resolved.is_ok()) << all_details(resolved.status());
  auto checked = validate_against_data(resolved.value(), *source_, data::QueryLimits{});
  ASSERT_TRUE(checked.is_ok()) << all_details(checked.status());
  const json& features = checked.value()["feature_columns"];
  auto has = [&](const char* name) {
    return std::find(features.begin(), features.end(), name) != features.end();
  };
  EXPECT_FALSE(has("customer_id")) << features.dump();
  EXPECT_FALSE(has("churned"));
  EXPECT_TRUE(has("tenure"));
  EXPECT_TRUE(has("contract_type"));
  EXPECT_TRUE(has("total_charges"));
  EXPECT_EQ(features.size(), 14u) << features.dump();
}

}  // namespace
}  // namespace traind::train
