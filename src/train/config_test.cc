// Tests of the configuration schema, shape validation and resolution (layer 1).
#define VALIJSON_USE_EXCEPTIONS 1
#include "train/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "train/json_pointer.h"
#include "train/seed_config_for_tests.h"

namespace traind::train {
namespace {

using nlohmann::json;

using testing::kSeedConfig;

json seed() { return json::parse(kSeedConfig); }

json minimal(const std::string& algorithm, const std::string& task) {
  return {{"algorithm", algorithm},
          {"task_type", task},
          {"dataset", {{"source", "sql"}, {"query", "SELECT * FROM ml_features.customer_churn"}}},
          {"target_column", "churned"}};
}

// The message of the detail at `path`, or "" when there is none.
std::string detail_at(const Status& status, const std::string& path) {
  for (const ErrorDetail& d : status.details()) {
    if (d.path == path) return d.message;
  }
  return "";
}

std::string all_details(const Status& status) {
  std::string out;
  for (const ErrorDetail& d : status.details()) out += "[" + d.path + "] " + d.message + "\n";
  return out;
}

Status rejected(const json& body) {
  auto result = resolve_config(body, "acme-corp");
  EXPECT_FALSE(result.is_ok()) << result->dump();
  if (result.is_ok()) return Status::ok();
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig);
  return result.status();
}

TEST(ResolveConfig, ResolvesSeedConfigurationVerbatimWithDefaults) {
  auto result = resolve_config(seed(), "acme-corp");
  ASSERT_TRUE(result.is_ok()) << result.status().to_string() << "\n"
                              << all_details(result.status());
  const json& r = result.value();
  EXPECT_EQ(r["name"], "churn-predictor-v2");
  EXPECT_EQ(r["algorithm"], "xgboost");
  EXPECT_EQ(r["task_type"], "classification");
  EXPECT_EQ(r["dataset"]["tenant_id"], "acme-corp");
  EXPECT_EQ(r["dataset"]["query"], "SELECT * FROM ml_features.customer_churn");
  EXPECT_EQ(r["target_column"], "churned");
  EXPECT_EQ(r["feature_columns"], json({"tenure", "monthly_charges", "total_charges"}));
  EXPECT_EQ(r["split"],
            json({{"strategy", "stratified"}, {"test_size", 0.2}, {"random_state", 42}}));
  const json& hp = r["hyperparameters"];
  EXPECT_EQ(hp["n_estimators"], 100);
  EXPECT_EQ(hp["max_depth"], 6);
  EXPECT_DOUBLE_EQ(hp["learning_rate"].get<double>(), 0.1);
  // Declared defaults filled in; a parameter without a default is present as null.
  EXPECT_DOUBLE_EQ(hp["subsample"].get<double>(), 1.0);
  EXPECT_EQ(hp["tree_method"], "hist");
  ASSERT_TRUE(hp.contains("early_stopping_rounds"));
  EXPECT_TRUE(hp["early_stopping_rounds"].is_null());
  EXPECT_FALSE(r.contains("hyperparameter_aliases"));
}

TEST(ResolveConfig, ResolvedConfigurationResolvesToItself) {
  auto once = resolve_config(seed(), "acme-corp");
  ASSERT_TRUE(once.is_ok());
  auto twice = resolve_config(once.value(), "acme-corp");
  ASSERT_TRUE(twice.is_ok()) << all_details(twice.status());
  EXPECT_EQ(twice.value(), once.value());
}

TEST(ResolveConfig, FillsNameTenantAndSplitDefaults) {
  auto result = resolve_config(minimal("logistic", "classification"), "acme-corp");
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  const json& r = result.value();
  EXPECT_EQ(r["algorithm"], "logistic_regression");
  EXPECT_EQ(r["name"], "logistic_regression-classification");
  EXPECT_EQ(r["dataset"]["tenant_id"], "acme-corp");
  EXPECT_EQ(r["split"]["strategy"], "stratified");
  EXPECT_DOUBLE_EQ(r["split"]["test_size"].get<double>(), 0.2);
  EXPECT_EQ(r["split"]["random_state"], 42);
  EXPECT_FALSE(r.contains("feature_columns"));
  EXPECT_FALSE(r.contains("description"));
}

TEST(ResolveConfig, RegressionDefaultsToRandomSplit) {
  auto result = resolve_config(minimal("linear", "regression"), "acme-corp");
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  EXPECT_EQ(result.value()["algorithm"], "linear_regression");
  EXPECT_EQ(result.value()["split"]["strategy"], "random");
}

TEST(ResolveConfig, KeepsGivenTenantId) {
  json body = seed();
  body["dataset"]["tenant_id"] = "globex";
  auto result = resolve_config(body, "acme-corp");
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result.value()["dataset"]["tenant_id"], "globex");
}

TEST(ResolveConfig, RejectsNonObjectBody) {
  Status status = rejected(json::array({1, 2}));
  ASSERT_EQ(status.details().size(), 1u);
  EXPECT_EQ(status.details()[0].path, "");
  EXPECT_NE(status.details()[0].message.find("JSON object"), std::string::npos);
}

TEST(ResolveConfig, RejectsUnknownTopLevelFieldAtItsOwnPath) {
  json body = seed();
  body["foo"] = 1;
  Status status = rejected(body);
  ASSERT_EQ(status.details().size(), 1u) << all_details(status);
  EXPECT_EQ(status.details()[0].path, "/foo");
  EXPECT_NE(status.details()[0].message.find("unknown field 'foo'"), std::string::npos);
  EXPECT_NE(status.message().find("/foo"), std::string::npos);
}

TEST(ResolveConfig, SuggestsTheFieldMeantByAMisspelling) {
  json body = seed();
  body["splitt"] = body["split"];
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/splitt"), "unknown field 'splitt'; did you mean 'split'?");
}

TEST(ResolveConfig, ReportsEveryUnknownFieldOfAnObject) {
  json body = seed();
  body["dataset"]["table"] = "x";
  body["dataset"]["database"] = "y";
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/dataset/table"), "") << all_details(status);
  EXPECT_NE(detail_at(status, "/dataset/database"), "") << all_details(status);
}

TEST(ResolveConfig, RejectsWrongTypeWithPathAndValue) {
  json body = seed();
  body["split"]["test_size"] = "abc";
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/split/test_size"), "must be a number; got \"abc\"")
      << all_details(status);
}

TEST(ResolveConfig, RejectsTestSizeOutOfRange) {
  json body = seed();
  body["split"]["test_size"] = 1.5;
  Status status = rejected(body);
  ASSERT_EQ(status.details().size(), 1u) << all_details(status);
  EXPECT_EQ(status.details()[0].path, "/split/test_size");
  EXPECT_EQ(status.details()[0].message, "must be > 0 and < 1; got 1.5");
}

TEST(ResolveConfig, RejectsMissingRequiredFields) {
  Status status = rejected(json::object());
  EXPECT_EQ(detail_at(status, "/algorithm"), "'algorithm' is required") << all_details(status);
  EXPECT_EQ(detail_at(status, "/task_type"), "'task_type' is required");
  EXPECT_EQ(detail_at(status, "/dataset"), "'dataset' is required");
  EXPECT_EQ(detail_at(status, "/target_column"), "'target_column' is required");
}

TEST(ResolveConfig, RejectsUnknownAlgorithmListingAvailableOnes) {
  json body = seed();
  body["algorithm"] = "catboost";
  Status status = rejected(body);
  std::string message = detail_at(status, "/algorithm");
  EXPECT_NE(message.find("unknown algorithm 'catboost'"), std::string::npos) << all_details(status);
  EXPECT_NE(message.find("xgboost, logistic_regression, linear_regression"), std::string::npos);
  // An unknown algorithm has no declarations to check the hyperparameters against.
  EXPECT_EQ(status.details().size(), 1u) << all_details(status);
}

TEST(ResolveConfig, SuggestsAlgorithmForMisspelling) {
  json body = seed();
  body["algorithm"] = "XGBoost";
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/algorithm").find("did you mean 'xgboost'?"), std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, RejectsAlgorithmThatDoesNotSupportTheTask) {
  json body = minimal("linear_regression", "classification");
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/task_type")
                .find("linear_regression does not support classification; it supports regression"),
            std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, RejectsForecastingWithATabularAlgorithmNamingTheForecasters) {
  json body = seed();
  body["task_type"] = "forecasting";
  Status status = rejected(body);
  std::string message = detail_at(status, "/task_type");
  EXPECT_NE(
      message.find("xgboost does not support forecasting; it supports classification, regression"),
      std::string::npos)
      << all_details(status);
  EXPECT_NE(message.find("algorithms for forecasting: arima, prophet"), std::string::npos)
      << message;
}

TEST(ResolveConfig, NlpIsTextClassificationForAnAlgorithmThatReadsText) {
  auto nlp = resolve_config(minimal("nn", "nlp"), "acme-corp");
  ASSERT_TRUE(nlp.is_ok()) << nlp.status().to_string() << all_details(nlp.status());
  EXPECT_EQ((*nlp)["algorithm"], "neural_network");
  EXPECT_EQ((*nlp)["task_type"], "classification");
  EXPECT_EQ((*nlp)["split"]["strategy"], "stratified");
  EXPECT_EQ((*nlp)["hyperparameters"]["text_model"], "bag_of_embeddings");
  EXPECT_EQ((*nlp)["hyperparameters"]["hidden_layer_sizes"], json::array({64, 32}));

  Status status = rejected(minimal("xgboost", "nlp"));
  EXPECT_NE(detail_at(status, "/task_type").find("xgboost does not support nlp"), std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, ChecksNetworkSettingsThatDependOnEachOther) {
  json body = minimal("neural_network", "regression");
  body["hyperparameters"] = {
      {"class_weight", "balanced"}, {"text_model", "transformer"}, {"embedding_dim", 30}};
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/hyperparameters/class_weight").find("classification only"),
            std::string::npos)
      << all_details(status);
  EXPECT_NE(detail_at(status, "/hyperparameters/num_heads").find("must divide embedding_dim"),
            std::string::npos)
      << all_details(status);
}

json forecasting(const std::string& algorithm) {
  return {{"algorithm", algorithm},
          {"task_type", "forecasting"},
          {"dataset", {{"source", "sql"}, {"query", "SELECT * FROM ml_features.daily_sales"}}},
          {"time_column", "date"},
          {"target_column", "sales"},
          {"series_column", "store_id"},
          {"forecast", {{"horizon", 30}}}};
}

TEST(ResolveConfig, ResolvesForecastingWithEachReferencesDefaults) {
  auto arima = resolve_config(forecasting("sarimax"), "acme-corp");
  ASSERT_TRUE(arima.is_ok()) << arima.status().to_string() << all_details(arima.status());
  EXPECT_EQ((*arima)["algorithm"], "arima");
  EXPECT_EQ((*arima)["split"]["strategy"], "time");
  EXPECT_EQ((*arima)["forecast"]["interval_width"], 0.95);
  EXPECT_TRUE((*arima)["forecast"]["frequency"].is_null());
  EXPECT_TRUE((*arima)["hyperparameters"]["order"].is_null());
  EXPECT_EQ((*arima)["hyperparameters"]["max_p"], 5);
  EXPECT_EQ((*arima)["series_column"], "store_id");

  auto prophet = resolve_config(forecasting("prophet"), "acme-corp");
  ASSERT_TRUE(prophet.is_ok()) << prophet.status().to_string();
  EXPECT_EQ((*prophet)["forecast"]["interval_width"], 0.8);
  EXPECT_EQ((*prophet)["hyperparameters"]["weekly_seasonality"], "auto");

  json body = forecasting("prophet");
  body["hyperparameters"] = {{"weekly_seasonality", false}, {"yearly_seasonality", 12}};
  body["split"] = {{"test_size", 30}};
  auto given = resolve_config(body, "acme-corp");
  ASSERT_TRUE(given.is_ok()) << given.status().to_string() << all_details(given.status());
  EXPECT_EQ((*given)["hyperparameters"]["weekly_seasonality"], false);
  EXPECT_EQ((*given)["split"]["test_size"], 30);
}

TEST(ResolveConfig, RejectsForecastingConfigurationsWithTheFieldsPath) {
  json body = forecasting("arima");
  body.erase("time_column");
  body["forecast"]["horizon"] = 0;
  body["split"] = {{"strategy", "random"}, {"test_size", 2.5}};
  body["hyperparameters"] = {{"order", {1, 1}}, {"seasonal_order", {1, 0, 0, 1}}};
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/time_column"), "'time_column' is required for forecasting")
      << all_details(status);
  EXPECT_NE(detail_at(status, "/forecast/horizon"), "");
  EXPECT_NE(detail_at(status, "/split/strategy").find("use \"time\""), std::string::npos);
  EXPECT_NE(detail_at(status, "/split/test_size").find("whole number of periods"),
            std::string::npos);

  json orders = forecasting("arima");
  orders["hyperparameters"] = {{"order", {1, 1}}, {"seasonal_order", {1, 0, 0, 1}}};
  status = rejected(orders);
  EXPECT_EQ(detail_at(status, "/hyperparameters/order"), "must have 3 items: [p, d, q]")
      << all_details(status);
  EXPECT_NE(detail_at(status, "/hyperparameters/seasonal_order").find(">= 2"), std::string::npos);

  json logistic = forecasting("prophet");
  logistic["hyperparameters"] = {{"growth", "logistic"}, {"weekly_seasonality", "sometimes"}};
  status = rejected(logistic);
  EXPECT_NE(detail_at(status, "/hyperparameters/weekly_seasonality").find("true, false"),
            std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, RefusesForecastingFieldsAndTimeSplitsForOtherTasks) {
  json body = seed();
  body["time_column"] = "signup_date";
  body["forecast"] = {{"horizon", 7}};
  body["split"]["strategy"] = "time";
  body["split"]["test_size"] = 12;
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/time_column"),
            "applies to forecasting only; this is a classification")
      << all_details(status);
  EXPECT_EQ(detail_at(status, "/forecast"),
            "applies to forecasting only; this is a classification");
  EXPECT_EQ(detail_at(status, "/split/strategy"),
            "a time split is for forecasting; use \"stratified\" for classification");
  EXPECT_EQ(detail_at(status, "/split/test_size"), "must be > 0 and < 1; got 12");
}

TEST(ResolveConfig, ChecksTheShapeOfTheForecastObject) {
  json body = seed();
  body["task_type"] = "forecasting";
  body["forecast"] = {{"horizon", 0}, {"frequency", "fortnightly"}, {"extra", 1}};
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/forecast/horizon"), "") << all_details(status);
  EXPECT_NE(detail_at(status, "/forecast/frequency"), "");
  EXPECT_NE(detail_at(status, "/forecast/extra"), "");
}

TEST(ResolveConfig, RejectsUnknownTaskType) {
  json body = seed();
  body["task_type"] = "clasification";
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/task_type").find("did you mean 'classification'?"),
            std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, RejectsUnknownHyperparameterWithSuggestion) {
  json body = seed();
  body["hyperparameters"]["max_dept"] = 4;
  Status status = rejected(body);
  ASSERT_EQ(status.details().size(), 1u) << all_details(status);
  EXPECT_EQ(status.details()[0].path, "/hyperparameters/max_dept");
  EXPECT_EQ(status.details()[0].message,
            "unknown hyperparameter 'max_dept' for xgboost; did you mean 'max_depth'?");
}

TEST(ResolveConfig, RejectsOutOfRangeHyperparameter) {
  json body = seed();
  body["hyperparameters"]["max_depth"] = -1;
  body["hyperparameters"]["learning_rate"] = 0;
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/hyperparameters/max_depth"), "must be >= 0 and <= 64; got -1")
      << all_details(status);
  EXPECT_EQ(detail_at(status, "/hyperparameters/learning_rate"), "must be > 0 and <= 1; got 0");
}

TEST(ResolveConfig, RejectsHyperparameterOfWrongType) {
  json body = seed();
  body["hyperparameters"]["n_estimators"] = "many";
  body["hyperparameters"]["tree_method"] = "exactt";
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/hyperparameters/n_estimators"), "must be an integer; got \"many\"")
      << all_details(status);
  EXPECT_NE(detail_at(status, "/hyperparameters/tree_method").find("did you mean 'exact'?"),
            std::string::npos);
}

TEST(ResolveConfig, RejectsHyperparametersThatDoNotFitTheTask) {
  json forest = minimal("random_forest", "regression");
  forest["hyperparameters"] = {{"criterion", "gini"}, {"class_weight", "balanced"}};
  Status status = rejected(forest);
  EXPECT_NE(detail_at(status, "/hyperparameters/criterion").find("gini"), std::string::npos)
      << all_details(status);
  EXPECT_NE(detail_at(status, "/hyperparameters/class_weight").find("must be null for regression"),
            std::string::npos);

  json boosting = minimal("lightgbm", "regression");
  boosting["hyperparameters"] = {{"objective", "binary"}};
  status = rejected(boosting);
  EXPECT_EQ(detail_at(status, "/hyperparameters/objective"),
            "'binary' is for classification; this is a regression")
      << all_details(status);
  boosting = minimal("lightgbm", "classification");
  boosting["hyperparameters"] = {{"objective", "huber"}};
  EXPECT_NE(
      detail_at(rejected(boosting), "/hyperparameters/objective").find("regression objective"),
      std::string::npos);

  // The same values where they fit are accepted.
  forest["task_type"] = "classification";
  EXPECT_TRUE(resolve_config(forest, "acme-corp").is_ok());
  boosting["hyperparameters"] = {{"objective", "binary"}};
  EXPECT_TRUE(resolve_config(boosting, "acme-corp").is_ok());
}

TEST(ResolveConfig, AcceptsIntegerWrittenAsWholeNumber) {
  json body = seed();
  body["hyperparameters"]["n_estimators"] = 50.0;
  auto result = resolve_config(body, "acme-corp");
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  EXPECT_TRUE(result.value()["hyperparameters"]["n_estimators"].is_number_integer());
  EXPECT_EQ(result.value()["hyperparameters"]["n_estimators"], 50);
}

TEST(ResolveConfig, AcceptsRandomStateWrittenAsWholeNumber) {
  json body = seed();
  body["split"]["random_state"] = 7.0;
  auto result = resolve_config(body, "acme-corp");
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  EXPECT_TRUE(result.value()["split"]["random_state"].is_number_integer());
  EXPECT_EQ(result.value()["split"]["random_state"], 7);
}

TEST(ResolveConfig, ResolvesHyperparameterAliasAndRecordsIt) {
  json body = seed();
  body["hyperparameters"].erase("learning_rate");
  body["hyperparameters"]["eta"] = 0.05;
  auto result = resolve_config(body, "acme-corp");
  ASSERT_TRUE(result.is_ok()) << all_details(result.status());
  const json& r = result.value();
  EXPECT_DOUBLE_EQ(r["hyperparameters"]["learning_rate"].get<double>(), 0.05);
  EXPECT_FALSE(r["hyperparameters"].contains("eta"));
  EXPECT_EQ(r["hyperparameter_aliases"], json({{"eta", "learning_rate"}}));
}

TEST(ResolveConfig, RejectsAliasGivenWithItsCanonicalName) {
  json body = seed();
  body["hyperparameters"]["eta"] = 0.05;
  Status status = rejected(body);
  EXPECT_EQ(detail_at(status, "/hyperparameters/eta"),
            "'eta' is an alias of 'learning_rate', which is also given; give only one")
      << all_details(status);
}

TEST(ResolveConfig, RejectsStratifiedSplitForRegression) {
  json body = minimal("xgboost", "regression");
  body["split"] = {{"strategy", "stratified"}};
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/split/strategy").find("use \"random\""), std::string::npos)
      << all_details(status);
}

TEST(ResolveConfig, RejectsBadTenantIdAndDuplicateFeatures) {
  json body = seed();
  body["dataset"]["tenant_id"] = "Acme Corp";
  body["feature_columns"] = {"tenure", "monthly_charges", "tenure"};
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/dataset/tenant_id").find("\"Acme Corp\""), std::string::npos)
      << all_details(status);
  EXPECT_EQ(detail_at(status, "/feature_columns/2"), "repeats \"tenure\" (already at index 0)");
}

TEST(ResolveConfig, EscapesPointerTokensOfOddNames) {
  json body = seed();
  body["hyperparameters"]["a/b~c"] = 1;
  Status status = rejected(body);
  EXPECT_NE(detail_at(status, "/hyperparameters/a~1b~0c"), "") << all_details(status);
}

TEST(ResolveConfig, ReportsSeveralProblemsTogether) {
  json body = seed();
  body["foo"] = true;
  body["split"]["test_size"] = 1.5;
  body["hyperparameters"]["max_dept"] = 3;
  body["dataset"]["source"] = "csv";
  Status status = rejected(body);
  EXPECT_EQ(status.details().size(), 4u) << all_details(status);
  EXPECT_NE(detail_at(status, "/foo"), "");
  EXPECT_NE(detail_at(status, "/split/test_size"), "");
  EXPECT_NE(detail_at(status, "/hyperparameters/max_dept"), "");
  EXPECT_EQ(detail_at(status, "/dataset/source"), "must be one of 'sql'; got \"csv\"");
  EXPECT_EQ(status.message(), "the training configuration has 4 problems; see details");
}

TEST(JsonPointer, EscapesTildeAndSlash) {
  EXPECT_EQ(escape_pointer_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(pointer_from_tokens({"split", "test_size"}), "/split/test_size");
  EXPECT_EQ(pointer_from_tokens({}), "");
}

TEST(JsonPointer, LocatesValijsonContextThroughArraysAndKeys) {
  json doc = {{"feature_columns", {"a", "b"}}, {"[odd]", {{"1", 5}}}};
  DocumentLocation at = locate_valijson_context(doc, {"<root>", "[feature_columns]", "[1]"});
  EXPECT_EQ(pointer_from_tokens(at.tokens), "/feature_columns/1");
  ASSERT_NE(at.value, nullptr);
  EXPECT_EQ(*at.value, "b");
  DocumentLocation odd = locate_valijson_context(doc, {"<root>", "[[odd]]", "[1]"});
  ASSERT_NE(odd.value, nullptr);
  EXPECT_EQ(*odd.value, 5);
}

// valijson is run here independently of resolve_config: the served schema must stand alone.
bool schema_accepts(const json& document) {
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(config_json_schema());
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter target(document);
  return validator.validate(schema, target, nullptr);
}

TEST(ConfigJsonSchema, IsDraft7AndAcceptsTheSeedConfiguration) {
  const json& schema = config_json_schema();
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_TRUE(schema_accepts(seed()));
  auto resolved = resolve_config(seed(), "acme-corp");
  ASSERT_TRUE(resolved.is_ok());
  EXPECT_TRUE(schema_accepts(resolved.value()));
}

TEST(ConfigJsonSchema, DescribesEachAlgorithmsHyperparameters) {
  json body = seed();
  body["hyperparameters"]["max_dept"] = 3;
  EXPECT_FALSE(schema_accepts(body));
  body = seed();
  body["hyperparameters"]["max_depth"] = 65;
  EXPECT_FALSE(schema_accepts(body));
  body = seed();
  body["hyperparameters"]["eta"] = 0.1;  // together with learning_rate
  EXPECT_FALSE(schema_accepts(body));
  body = seed();
  body["task_type"] = "regression";
  body["algorithm"] = "logistic";
  EXPECT_FALSE(schema_accepts(body));
}

TEST(AlgorithmsDescription, ListsDeclarationsWithAliasesAndRanges) {
  json description = algorithms_description();
  const json& list = description["algorithms"];
  auto xgb =
      std::find_if(list.begin(), list.end(), [](const json& a) { return a["name"] == "xgboost"; });
  ASSERT_NE(xgb, list.end());
  EXPECT_EQ((*xgb)["tasks"], json({"classification", "regression"}));
  const json& params = (*xgb)["hyperparameters"];
  auto lr = std::find_if(params.begin(), params.end(),
                         [](const json& p) { return p["name"] == "learning_rate"; });
  ASSERT_NE(lr, params.end());
  EXPECT_EQ((*lr)["type"], "number");
  EXPECT_EQ((*lr)["aliases"], json({"eta"}));
  EXPECT_EQ((*lr)["exclusive_minimum"], true);
  EXPECT_DOUBLE_EQ((*lr)["maximum"].get<double>(), 1.0);
  EXPECT_FALSE((*lr)["help"].get<std::string>().empty());
}

}  // namespace
}  // namespace traind::train
