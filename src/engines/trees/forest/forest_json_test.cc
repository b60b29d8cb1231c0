// The .rf.json artifact: deterministic round trip and a loader that rejects damaged files
// (trees.md §C).
#include <gtest/gtest.h>

#include <functional>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_test_data.h"

namespace traind::engines::trees {
namespace {

using nlohmann::json;

std::string trained_json(ForestTask task, const char* data) {
  const testing::Table t = testing::read_fixture_csv(data);
  ForestConfig config = ForestConfig::defaults(task);
  config.n_estimators = 5;
  config.random_state = 7;
  config.oob_score = true;
  config.max_depth = 6;
  auto model = train_forest(config, t.matrix(), t.y);
  EXPECT_TRUE(model) << model.status().to_string();
  return model->to_json();
}

TEST(ForestJson, WriteReadWriteIsByteIdenticalAndPredictsTheSame) {
  for (auto [task, data] : {std::pair{ForestTask::kClassification, "wine.csv"},
                            std::pair{ForestTask::kRegression, "diabetes.csv"}}) {
    const std::string text = trained_json(task, data);
    auto loaded = ForestModel::from_json(text);
    ASSERT_TRUE(loaded) << loaded.status().to_string();
    EXPECT_EQ(loaded->to_json(), text);
    const testing::Table t = testing::read_fixture_csv(data);
    auto again = ForestModel::from_json(loaded->to_json());
    ASSERT_TRUE(again);
    EXPECT_EQ(*loaded->predict(t.matrix()), *again->predict(t.matrix()));
    EXPECT_EQ(loaded->num_trees(), 5);
    EXPECT_TRUE(loaded->oob_score().has_value());
    const json doc = json::parse(text);
    EXPECT_EQ(doc["format"], "traind-rf");
    EXPECT_EQ(doc["params"]["max_features"],
              task == ForestTask::kClassification ? json("sqrt") : json(1.0));
    EXPECT_EQ(doc.contains("classes"), task == ForestTask::kClassification);
  }
}

TEST(ForestJson, ThresholdsRoundTripBitExactly) {
  const std::string text = trained_json(ForestTask::kRegression, "synthetic_regression.csv");
  auto loaded = ForestModel::from_json(text);
  ASSERT_TRUE(loaded);
  const json doc = json::parse(text);
  const json& thresholds = doc["trees"][0]["threshold"];
  for (size_t i = 0; i < thresholds.size(); ++i) {
    EXPECT_EQ(thresholds[i].get<double>(), loaded->data().trees[0].threshold[i]);
  }
}

Status load_modified(const std::function<void(json&)>& edit) {
  json doc = json::parse(trained_json(ForestTask::kClassification, "iris.csv"));
  edit(doc);
  return ForestModel::from_json(doc.dump()).status();
}

TEST(ForestJson, LoaderRejectsDamagedDocuments) {
  EXPECT_TRUE(load_modified([](json&) {}).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["format_version"] = 2; }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d.erase("trees"); }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["trees"][0]["feature"].erase(0); }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["trees"][0]["value"][0].erase(0); }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["feature_names"].erase(0); }).is_ok());
  // A child pointing back to the root is a cycle.
  EXPECT_FALSE(load_modified([](json& d) { d["trees"][0]["children_left"][0] = 0; }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["trees"][0]["children_right"][0] = 100000; }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["trees"][0]["feature"][0] = 4; }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["task"] = "ranking"; }).is_ok());
  EXPECT_FALSE(load_modified([](json& d) { d["params"]["max_depth"] = 0; }).is_ok());
  const Status status = load_modified([](json& d) { d["format_version"] = 9; });
  EXPECT_NE(status.message().find("format_version"), std::string::npos);

  std::string text = trained_json(ForestTask::kClassification, "iris.csv");
  const size_t at = text.find("\"threshold\": [") + 14;
  EXPECT_FALSE(ForestModel::from_json(text.substr(0, at) + "NaN, " + text.substr(at)).is_ok());
  EXPECT_FALSE(ForestModel::from_json("{").is_ok());
}

}  // namespace
}  // namespace traind::engines::trees
