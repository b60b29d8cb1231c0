// Single trees without randomness (bootstrap=False, max_features=None) equal scikit-learn
// 1.2.1's trees node for node (trees.md §B.6.1): fixtures from make_forest_fixtures.py.
#include <gtest/gtest.h>

#include <cmath>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_test_data.h"

namespace traind::engines::trees {
namespace {

using nlohmann::json;

void expect_close(double expected, double actual, double scale, const std::string& what) {
  EXPECT_LE(std::fabs(expected - actual), 1e-12 * std::max(std::fabs(expected), scale))
      << what << ": expected " << expected << " got " << actual;
}

TEST(ForestExactTree, SingleTreesMatchScikitLearnNodeForNode) {
  const json fixture = testing::read_fixture_json("exact_trees.json");
  ASSERT_TRUE(fixture.is_object());
  ASSERT_GE(fixture["cases"].size(), 10u);
  for (const json& c : fixture["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const testing::Table table = testing::read_fixture_csv(c["data"].get<std::string>());
    const ForestTask task =
        c["task"] == "classification" ? ForestTask::kClassification : ForestTask::kRegression;
    json params = c["params"];
    params["random_state"] = 0;
    auto config = parse_forest_config(task, params.dump());
    ASSERT_TRUE(config) << config.status().to_string();
    auto model = train_forest(*config, table.matrix(), table.y);
    ASSERT_TRUE(model) << model.status().to_string();
    ASSERT_EQ(model->num_trees(), 1);
    const detail::ForestTree& ours = model->data().trees[0];
    const json& ref = c["tree"];
    ASSERT_EQ(ours.node_count(), ref["node_count"].get<int>());
    EXPECT_EQ(ours.max_depth, ref["max_depth"].get<int>());
    const double impurity_scale = std::fabs(ref["impurity"][0].get<double>());
    for (int node = 0; node < ours.node_count(); ++node) {
      SCOPED_TRACE("node " + std::to_string(node));
      ASSERT_EQ(ours.children_left[node], ref["children_left"][node].get<int>());
      ASSERT_EQ(ours.children_right[node], ref["children_right"][node].get<int>());
      ASSERT_EQ(ours.feature[node], ref["feature"][node].get<int>());
      // Bit-exact thresholds (float32 midpoints computed in double).
      ASSERT_EQ(ours.threshold[node], ref["threshold"][node].get<double>());
      EXPECT_EQ(ours.n_node_samples[node], ref["n_node_samples"][node].get<int64_t>());
      // Bootstrap-free weights are integers here (exact) except under class_weight, where
      // the sum of fractional weights depends on summation order (1e-12).
      const double weighted = ref["weighted_n_node_samples"][node].get<double>();
      if (weighted == std::floor(weighted)) {
        EXPECT_EQ(ours.weighted_n_node_samples[node], weighted);
      } else {
        expect_close(weighted, ours.weighted_n_node_samples[node], 1e-300, "weighted count");
      }
      expect_close(ref["impurity"][node].get<double>(), ours.impurity[node], impurity_scale,
                   "impurity");
      const json& value = ref["value"][node];
      ASSERT_EQ(static_cast<int>(value.size()), ours.value_width);
      for (int k = 0; k < ours.value_width; ++k) {
        expect_close(value[k].get<double>(), ours.node_value(node)[k], 1e-300, "value");
      }
    }
  }
}

}  // namespace
}  // namespace traind::engines::trees
