#ifndef VALIJSON_USE_EXCEPTIONS
#define VALIJSON_USE_EXCEPTIONS 1
#endif
#include "tracking/training_bom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

#include "tracking/pydantic_json.h"
#include "tracking/training_bom_builder.h"

namespace traind::tracking {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const std::filesystem::path kFixtures = TRAIND_TRACKING_FIXTURES;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Names of the fixture cases: every NAME with a NAME.input.json.
std::vector<std::string> fixture_cases() {
  std::vector<std::string> names;
  const std::string suffix = ".input.json";
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
    const std::string file = entry.path().filename().string();
    if (file.size() > suffix.size() && file.ends_with(suffix)) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Run run_from_fixture(const ordered_json& r) {
  Run run;
  run.info.run_id = r.at("run_id").get<std::string>();
  run.info.start_time = r.at("start_time").get<int64_t>();
  if (r.contains("end_time")) run.info.end_time = r.at("end_time").get<int64_t>();
  for (const auto& p : r.at("params")) {
    run.params.push_back({p.at("key").get<std::string>(), p.at("value").get<std::string>()});
  }
  for (const auto& m : r.at("metrics")) {
    run.metrics.push_back({m.at("key").get<std::string>(), m.at("value").get<double>(), 0, 0});
  }
  return run;
}

// The BOM of a fixture case, built by traind's code from the case's input.
Result<TrainingBom> bom_from_fixture_input(const std::string& name) {
  const ordered_json input = ordered_json::parse(read_file(kFixtures / (name + ".input.json")));
  if (input.contains("run")) return bom_from_run(run_from_fixture(input.at("run")));
  return TrainingBom::from_json(input);
}

// valijson's verdict on `doc` against training_bom_schema(); `why` lists the failures.
bool schema_accepts(const json& doc, std::string* why) {
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(training_bom_schema());
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter target(doc);
  valijson::ValidationResults results;
  const bool ok = validator.validate(schema, target, &results);
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const std::string& step : error.context) where += step;
    *why += where + ": " + error.description + "\n";
  }
  return ok;
}

TEST(TrainingBomFixtures, ThereAreCasesToCheck) { EXPECT_GE(fixture_cases().size(), 8u); }

TEST(TrainingBomFixtures, DumpsMatchPydanticByteForByte) {
  for (const std::string& name : fixture_cases()) {
    SCOPED_TRACE(name);
    Result<TrainingBom> bom = bom_from_fixture_input(name);
    ASSERT_TRUE(bom.is_ok()) << bom.status().to_string();
    EXPECT_EQ(bom->dump(), read_file(kFixtures / (name + ".json")));
    EXPECT_EQ(bom->dump(2), read_file(kFixtures / (name + ".indent2.json")));
  }
}

TEST(TrainingBomFixtures, DumpsReadBackToTheSameBom) {
  for (const std::string& name : fixture_cases()) {
    SCOPED_TRACE(name);
    const std::string dumped = read_file(kFixtures / (name + ".json"));
    Result<TrainingBom> bom = TrainingBom::from_json(ordered_json::parse(dumped));
    ASSERT_TRUE(bom.is_ok()) << bom.status().to_string();
    EXPECT_EQ(bom->dump(), dumped);
  }
}

TEST(TrainingBomSchema, EveryFixtureValidates) {
  for (const std::string& name : fixture_cases()) {
    for (const char* suffix : {".json", ".indent2.json"}) {
      SCOPED_TRACE(name + suffix);
      std::string why;
      EXPECT_TRUE(schema_accepts(json::parse(read_file(kFixtures / (name + suffix))), &why)) << why;
    }
  }
}

TEST(TrainingBomSchema, HasPydanticsShape) {
  const json& schema = training_bom_schema();
  ASSERT_TRUE(schema.is_object());
  EXPECT_EQ(schema.at("title"), "TrainingBOM");
  EXPECT_EQ(schema.at("type"), "object");
  EXPECT_EQ(schema.at("description"), "Represent a Bill of Materials for model training.");
  EXPECT_EQ(schema.at("required"),
            json({"id", "start_time", "end_time", "dataset_info", "feature_info", "model_info",
                  "mlflow_params", "mlflow_metrics"}));
  EXPECT_EQ(schema.at("properties").at("dataset_info"), json({{"$ref", "#/$defs/DatasetInfo"}}));
  EXPECT_EQ(schema.at("properties").at("start_time"),
            json({{"title", "Start Time"}, {"type", "string"}}));
  EXPECT_EQ(schema.at("properties").at("mlflow_params"),
            json({{"additionalProperties", true}, {"title", "Mlflow Params"}, {"type", "object"}}));
  const json& defs = schema.at("$defs");
  EXPECT_EQ(defs.size(), 3u);
  EXPECT_EQ(defs.at("DatasetInfo").at("required"), json({"origin"}));
  EXPECT_EQ(defs.at("DatasetInfo").at("properties").at("size"),
            json({{"default", 0}, {"title", "Size"}, {"type", "integer"}}));
  EXPECT_FALSE(defs.at("FeatureInfo").contains("required"));
  EXPECT_EQ(defs.at("FeatureInfo").at("properties").at("original_features"),
            json({{"default", json::array()},
                  {"items", {{"type", "string"}}},
                  {"title", "Original Features"},
                  {"type", "array"}}));
  EXPECT_EQ(defs.at("ModelInfo").at("required"), json({"type", "architecture"}));
  EXPECT_EQ(defs.at("ModelInfo").at("title"), "ModelInfo");
}

json good_bom() {
  return json::parse(R"({
    "id": "j", "start_time": "s", "end_time": "e",
    "dataset_info": {"origin": "o", "size": 3},
    "feature_info": {"original_features": ["a"], "selected_features": []},
    "model_info": {"type": "t", "architecture": "a"},
    "mlflow_params": {"k": [1, {"x": null}]}, "mlflow_metrics": {"m": 0.5}
  })");
}

struct BadBom {
  const char* what;
  const char* pointer;  // JSON Pointer of the member to replace, or to remove when no value
  json value;
  bool remove;
  const char* detail_path;  // what from_json names
};

std::vector<BadBom> bad_boms() {
  return {
      {"missing id", "/id", nullptr, true, "/id"},
      {"missing mlflow_metrics", "/mlflow_metrics", nullptr, true, "/mlflow_metrics"},
      {"missing origin", "/dataset_info/origin", nullptr, true, "/dataset_info/origin"},
      {"missing architecture", "/model_info/architecture", nullptr, true,
       "/model_info/architecture"},
      {"id a number", "/id", 7, false, "/id"},
      {"end_time null", "/end_time", nullptr, false, "/end_time"},
      {"size a string", "/dataset_info/size", "3", false, "/dataset_info/size"},
      {"size a float", "/dataset_info/size", 1.5, false, "/dataset_info/size"},
      {"size a bool", "/dataset_info/size", true, false, "/dataset_info/size"},
      {"feature not a string", "/feature_info/original_features", json({"a", 1}), false,
       "/feature_info/original_features/1"},
      {"features a string", "/feature_info/selected_features", "a,b", false,
       "/feature_info/selected_features"},
      {"feature_info a list", "/feature_info", json::array(), false, "/feature_info"},
      {"model_info null", "/model_info", nullptr, false, "/model_info"},
      {"params a list", "/mlflow_params", json::array({1}), false, "/mlflow_params"},
      {"metrics a string", "/mlflow_metrics", "{}", false, "/mlflow_metrics"},
  };
}

json apply(const BadBom& bad) {
  json doc = good_bom();
  const json::json_pointer pointer(bad.pointer);
  if (bad.remove) {
    doc.at(pointer.parent_pointer()).erase(pointer.back());
  } else {
    doc[pointer] = bad.value;
  }
  return doc;
}

TEST(TrainingBomSchema, AcceptsTheGoodOneAndRefusesHandMadeBadOnes) {
  std::string why;
  ASSERT_TRUE(schema_accepts(good_bom(), &why)) << why;
  for (const BadBom& bad : bad_boms()) {
    SCOPED_TRACE(bad.what);
    std::string ignored;
    EXPECT_FALSE(schema_accepts(apply(bad), &ignored));
  }
}

TEST(TrainingBomFromJson, RefusesWhatPydanticRefusesWithThePath) {
  ASSERT_TRUE(TrainingBom::from_json(good_bom()).is_ok());
  for (const BadBom& bad : bad_boms()) {
    SCOPED_TRACE(bad.what);
    Result<TrainingBom> bom = TrainingBom::from_json(apply(bad));
    ASSERT_FALSE(bom.is_ok());
    EXPECT_EQ(bom.status().code(), ErrorCode::kInvalidConfig);
    ASSERT_EQ(bom.status().details().size(), 1u) << bom.status().to_string();
    EXPECT_EQ(bom.status().details()[0].path, bad.detail_path);
  }
}

TEST(TrainingBomFromJson, ReportsEveryProblemAtOnce) {
  json doc = good_bom();
  doc.erase("id");
  doc["dataset_info"]["size"] = "big";
  doc["model_info"] = json::object();
  Result<TrainingBom> bom = TrainingBom::from_json(doc);
  ASSERT_FALSE(bom.is_ok());
  std::vector<std::string> paths;
  for (const ErrorDetail& d : bom.status().details()) paths.push_back(d.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/id", "/dataset_info/size", "/model_info/type",
                                             "/model_info/architecture"}));
  EXPECT_EQ(bom.status().details()[0].message, "Field required");
  EXPECT_NE(bom.status().message().find("/dataset_info/size"), std::string::npos);
}

TEST(TrainingBomFromJson, RefusesANonObjectAndAHugeSize) {
  EXPECT_EQ(TrainingBom::from_json(json::array()).status().details().at(0).path, "");
  json doc = good_bom();
  doc["dataset_info"]["size"] = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(TrainingBom::from_json(doc).status().details().at(0).path, "/dataset_info/size");
  doc["dataset_info"]["size"] = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(TrainingBom::from_json(doc).is_ok());
  EXPECT_EQ(TrainingBom::from_json(doc)->dataset_info.size, std::numeric_limits<int64_t>::min());
}

TEST(TrainingBomFromJson, FillsDefaultsAndIgnoresExtraFields) {
  json doc = good_bom();
  doc["dataset_info"].erase("size");
  doc["feature_info"] = json::object();
  doc["extra"] = "ignored";
  doc["model_info"]["extra"] = 1;
  Result<TrainingBom> bom = TrainingBom::from_json(doc);
  ASSERT_TRUE(bom.is_ok()) << bom.status().to_string();
  EXPECT_EQ(bom->dataset_info.size, 0);
  EXPECT_TRUE(bom->feature_info.original_features.empty());
  EXPECT_EQ(bom->dump().find("extra"), std::string::npos);
  EXPECT_EQ(bom->dump(),
            R"({"id":"j","start_time":"s","end_time":"e","dataset_info":{"origin":"o","size":0},)"
            R"("feature_info":{"original_features":[],"selected_features":[]},)"
            R"("model_info":{"type":"t","architecture":"a"},"mlflow_params":{"k":[1,{"x":null}]},)"
            R"("mlflow_metrics":{"m":0.5}})");
}

TEST(TrainingBomFromJson, OrderedInputKeepsTheOrderOfTheDicts) {
  ordered_json doc = ordered_json::parse(good_bom().dump());
  doc["mlflow_params"] = ordered_json::parse(R"({"z":1,"a":2})");
  Result<TrainingBom> bom = TrainingBom::from_json(doc);
  ASSERT_TRUE(bom.is_ok());
  EXPECT_NE(bom->dump().find(R"("mlflow_params":{"z":1,"a":2})"), std::string::npos);
}

// Expected texts checked with CPython 3.11: (datetime(1970, 1, 1, tzinfo=timezone.utc) +
// timedelta(milliseconds=ms)).isoformat().
TEST(Iso8601Utc, WritesWhatPythonIsoformatWrites) {
  EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(iso8601_utc(1795974015123), "2026-11-29T17:40:15.123000+00:00");
  EXPECT_EQ(iso8601_utc(1795974015000), "2026-11-29T17:40:15+00:00");
  EXPECT_EQ(iso8601_utc(1795974015001), "2026-11-29T17:40:15.001000+00:00");
  EXPECT_EQ(iso8601_utc(-1), "1969-12-31T23:59:59.999000+00:00");
  EXPECT_EQ(iso8601_utc(951782400000), "2000-02-29T00:00:00+00:00");
  EXPECT_EQ(iso8601_utc(-62135596800000), "0001-01-01T00:00:00+00:00");
}

TEST(TrainingBomBuilder, FinalizesWhatTheSeedsTrackerBuilds) {
  TrainingBomBuilder builder;
  builder.start_training("fraud-detection-v3.2", "2026-11-23T17:40:15.123000+00:00");
  builder.register_dataset("s3://fraud-data/transactions-2024.parquet", 2500000);
  builder.register_features(
      {"amount", "merchant", "timestamp", "location", "card_type", "user_age"},
      {"amount", "merchant", "timestamp", "location"});
  builder.register_model("GradientBoostingClassifier", "tree_ensemble");
  builder.log_parameter("n_estimators", 200);
  builder.log_parameter("learning_rate", 0.1);
  builder.log_parameter("max_depth", 8);
  builder.log_metric("accuracy", 0.94);
  builder.log_metric("precision", 0.91);
  builder.log_metric("recall", 0.96);
  Result<TrainingBom> bom = builder.finalize("2026-11-23T17:52:01+00:00");
  ASSERT_TRUE(bom.is_ok()) << bom.status().to_string();
  EXPECT_EQ(bom->dump(2), read_file(kFixtures / "seed_tracker.indent2.json"));
}

TEST(TrainingBomBuilder, ALoggedKeyKeepsItsPlaceAndTakesTheNewValue) {
  TrainingBomBuilder builder;
  builder.log_parameter("a", 1);
  builder.log_parameter("b", "x");
  builder.log_parameter("a", 2.5);
  builder.log_metric("m", 1.0);
  builder.log_metric("m", 2.0);
  const TrainingBom bom = builder.partial("end");
  EXPECT_EQ(dump_pydantic_json(bom.mlflow_params), R"({"a":2.5,"b":"x"})");
  EXPECT_EQ(dump_pydantic_json(bom.mlflow_metrics), R"({"m":2.0})");
}

TEST(TrainingBomBuilder, FinalizeNamesWhatIsMissing) {
  TrainingBomBuilder builder;
  builder.start_training("job", "start");
  builder.register_features({}, {});
  Result<TrainingBom> bom = builder.finalize("end");
  ASSERT_FALSE(bom.is_ok());
  EXPECT_EQ(bom.status().code(), ErrorCode::kInvalidConfig);
  std::vector<std::string> paths;
  for (const ErrorDetail& d : bom.status().details()) paths.push_back(d.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/dataset_info", "/model_info"}));
  EXPECT_NE(bom.status().message().find("dataset_info"), std::string::npos);
  EXPECT_NE(bom.status().message().find("model_info"), std::string::npos);

  TrainingBomBuilder empty;
  EXPECT_EQ(empty.finalize("end").status().details().size(), 5u);
}

TEST(TrainingBomBuilder, PartialCarriesWhatWasKnown) {
  TrainingBomBuilder builder;
  builder.start_training("job-1", "2026-11-23T17:40:15+00:00");
  builder.register_dataset("iris.csv", 150);
  builder.log_parameter("max_depth", 3);
  const TrainingBom bom = builder.partial("2026-11-23T17:41:00+00:00");
  EXPECT_EQ(bom.dump(),
            R"({"id":"job-1","start_time":"2026-11-23T17:40:15+00:00",)"
            R"("end_time":"2026-11-23T17:41:00+00:00","dataset_info":{"origin":"iris.csv",)"
            R"("size":150},"feature_info":{"original_features":[],"selected_features":[]},)"
            R"("model_info":{"type":"unknown","architecture":"unknown"},)"
            R"("mlflow_params":{"max_depth":3},"mlflow_metrics":{}})");
  const TrainingBom nothing = TrainingBomBuilder().partial("e");
  EXPECT_EQ(nothing.id, "unknown");
  EXPECT_EQ(nothing.dataset_info.origin, "unknown");
  std::string why;
  EXPECT_TRUE(schema_accepts(json::parse(nothing.dump()), &why)) << why;
}

Run run_with_size(const std::string& size) {
  Run run;
  run.info.run_id = "r";
  run.info.start_time = 5;
  run.info.end_time = 9;
  run.params.push_back({"dataset_size", size});
  return run;
}

TEST(BomFromRun, ReadsDatasetSizeAsPythonsIntDoes) {
  const std::pair<const char*, int64_t> accepted[] = {
      {"150", 150},    {" 42\n", 42}, {"+7", 7}, {"-3", -3},
      {"1_000", 1000}, {"007", 7},    {"0", 0},  {"-9223372036854775808", INT64_MIN},
  };
  for (const auto& [text, value] : accepted) {
    SCOPED_TRACE(text);
    Result<TrainingBom> bom = bom_from_run(run_with_size(text));
    ASSERT_TRUE(bom.is_ok()) << bom.status().to_string();
    EXPECT_EQ(bom->dataset_info.size, value);
  }
  for (const char* text :
       {"", " ", "1.5", "1e3", "0x10", "_1", "1_", "1__0", "- 1", "abc", "9223372036854775808"}) {
    SCOPED_TRACE(text);
    Result<TrainingBom> bom = bom_from_run(run_with_size(text));
    ASSERT_FALSE(bom.is_ok());
    EXPECT_EQ(bom.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_EQ(bom.status().details().at(0).path, "/params/dataset_size");
  }
}

TEST(BomFromRun, FollowsCreateTrainingBomFromMlflow) {
  tracking::Run run;  // gtest's Test::Run hides the bare name here
  run.info.run_id = "abc";
  run.info.start_time = 1725531330123;
  run.params = {{"original_features", "x,y"}, {"selected_features", ""}, {"lr", "0.1"}};
  run.metrics = {{"loss", 0.25, 1, 0}, {"n", 3.0, 1, 0}};
  Result<TrainingBom> bom = bom_from_run(run);
  ASSERT_TRUE(bom.is_ok());
  EXPECT_EQ(bom->dump(),
            R"({"id":"mlflow-abc","start_time":"1725531330123","end_time":"None",)"
            R"("dataset_info":{"origin":"unknown","size":0},)"
            R"("feature_info":{"original_features":["x","y"],"selected_features":[]},)"
            R"("model_info":{"type":"unknown","architecture":"unknown"},)"
            R"("mlflow_params":{"original_features":"x,y","selected_features":"","lr":"0.1"},)"
            R"("mlflow_metrics":{"loss":0.25,"n":3.0}})");
}

}  // namespace
}  // namespace traind::tracking
