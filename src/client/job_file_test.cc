#include "client/job_file.h"

#include <gtest/gtest.h>

namespace traind::client {
namespace {

using nlohmann::json;

json yaml(const std::string& text) {
  Result<json> out = parse_yaml_text(text, "t.yaml");
  EXPECT_TRUE(out.is_ok()) << out.status().message();
  return out.is_ok() ? *out : json();
}

TEST(YamlToJson, PlainScalarsFollowTheCoreSchema) {
  json j = yaml(
      "int: 42\nneg: -7\nhex: 0x1F\noct: 0o17\nfloat: 0.2\nexp: 1e3\nyes: true\nno: False\n"
      "nothing: ~\nempty:\nword: hello\nversion: 1.2.3\nyes_word: yes\n");
  EXPECT_EQ(j["int"], 42);
  EXPECT_TRUE(j["int"].is_number_integer());
  EXPECT_EQ(j["neg"], -7);
  EXPECT_EQ(j["hex"], 31);
  EXPECT_EQ(j["oct"], 15);
  EXPECT_TRUE(j["float"].is_number_float());
  EXPECT_DOUBLE_EQ(j["float"].get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(j["exp"].get<double>(), 1000.0);
  EXPECT_EQ(j["yes"], true);
  EXPECT_EQ(j["no"], false);
  EXPECT_TRUE(j["nothing"].is_null());
  EXPECT_TRUE(j["empty"].is_null());
  EXPECT_EQ(j["word"], "hello");
  EXPECT_EQ(j["version"], "1.2.3");
  // YAML 1.1's yes/no booleans are plain strings in 1.2's core schema.
  EXPECT_EQ(j["yes_word"], "yes");
}

TEST(YamlToJson, QuotedScalarsStayStrings) {
  json j = yaml("a: \"42\"\nb: '0.5'\nc: \"true\"\nd: 'null'\ne: !!str 7\n");
  EXPECT_EQ(j["a"], "42");
  EXPECT_EQ(j["b"], "0.5");
  EXPECT_EQ(j["c"], "true");
  EXPECT_EQ(j["d"], "null");
  EXPECT_EQ(j["e"], "7");
}

TEST(YamlToJson, ConvertsTheSeedConfiguration) {
  json j = yaml(R"(name: churn-predictor-v2
algorithm: xgboost
dataset:
  source: sql
  query: SELECT * FROM ml_features.customer_churn
feature_columns: [tenure, monthly_charges, total_charges]
split: {strategy: stratified, test_size: 0.2, random_state: 42}
hyperparameters:
  n_estimators: 100
)");
  EXPECT_EQ(j["dataset"]["query"], "SELECT * FROM ml_features.customer_churn");
  EXPECT_EQ(j["feature_columns"], json({"tenure", "monthly_charges", "total_charges"}));
  EXPECT_EQ(j["split"]["random_state"], 42);
  EXPECT_EQ(j["hyperparameters"]["n_estimators"], 100);
}

TEST(YamlToJson, MalformedYamlNamesFileAndLine) {
  Result<json> out = parse_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml");
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kInvalidJson);
  EXPECT_NE(out.status().message().find("bad.yaml:"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("invalid YAML"), std::string::npos);
}

TEST(YamlToJson, RejectsDuplicateKeysInfinityAndSeveralDocuments) {
  Result<json> dup = parse_yaml_text("a: 1\na: 2\n", "d.yaml");
  ASSERT_FALSE(dup.is_ok());
  EXPECT_NE(dup.status().message().find("d.yaml:2:"), std::string::npos) << dup.status().message();
  EXPECT_FALSE(parse_yaml_text("a: .inf\n", "i.yaml").is_ok());
  EXPECT_FALSE(parse_yaml_text("a: 1\n---\nb: 2\n", "m.yaml").is_ok());
  EXPECT_FALSE(parse_yaml_text("", "e.yaml").is_ok());
}

TEST(JsonText, ErrorNamesLineAndColumn) {
  Result<json> out = parse_json_text("{\n  \"a\": 1,\n  \"b\": }\n", "c.json");
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("c.json:3:"), std::string::npos) << out.status().message();
}

TEST(Document, FormatFromExtensionOrFirstCharacter) {
  EXPECT_EQ(format_from_name("a/b.JSON"), FileFormat::kJson);
  EXPECT_EQ(format_from_name("x.yml"), FileFormat::kYaml);
  EXPECT_EQ(format_from_name("config"), FileFormat::kDetect);
  Result<json> j = parse_document("  {\"a\": 1}", "f", FileFormat::kDetect);
  ASSERT_TRUE(j.is_ok());
  EXPECT_EQ((*j)["a"], 1);
  Result<json> y = parse_document("a: x", "f", FileFormat::kDetect);
  ASSERT_TRUE(y.is_ok());
  EXPECT_EQ((*y)["a"], "x");
  // A .json file is parsed as JSON even when it would be valid YAML.
  EXPECT_FALSE(parse_document("a: x", "f.json", FileFormat::kJson).is_ok());
}

TEST(Document, MissingFileIsNotFound) {
  Result<json> out = load_document_file("/nonexistent/config.yaml");
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace traind::client
