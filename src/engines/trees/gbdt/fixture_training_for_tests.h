// Test-only helpers: retrain a LightGBM fixture config with traind and compare trees.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/fixture_csv_for_tests.h"
#include "engines/trees/gbdt/gbdt_model_data.h"

namespace traind::engines::trees::testing {

struct TrainedAndReference {
  GbdtModel trained;
  GbdtModel reference;
};

// Trains `dataset`/`config_name` as the fixture generator did (params.json, categorical
// columns, test.csv as validation set); `extra` parameters are appended (e.g. num_threads).
inline TrainedAndReference train_fixture_uncached(const std::string& dataset,
                                                  const std::string& config_name,
                                                  const GbdtParameterList& extra) {
  const auto train = read_fixture_data(lightgbm_fixture_path(dataset + "/train.csv"));
  const auto test = read_fixture_data(lightgbm_fixture_path(dataset + "/test.csv"));
  const auto params_file =
      read_params_json(lightgbm_fixture_path(dataset + "/" + config_name + "/params.json"));
  GbdtParameterList params = gbdt_parameters_from_json(params_file);
  const std::vector<int> categorical = categorical_features_from_json(params_file);
  if (!categorical.empty()) {
    std::string text;
    for (size_t i = 0; i < categorical.size(); ++i) {
      text += (i ? "," : "") + std::to_string(categorical[i]);
    }
    params.emplace_back("categorical_feature", text);
  }
  for (const auto& p : extra) params.push_back(p);
  auto config = parse_gbdt_config(params, nullptr);
  EXPECT_TRUE(config.is_ok()) << config.status().to_string();
  const std::vector<float> train_labels = train.float_labels();
  const std::vector<float> test_labels = test.float_labels();
  GbdtDataset train_set{train.matrix(), train_labels, {}};
  GbdtDataset test_set{test.matrix(), test_labels, {}};
  auto trained = train_gbdt(*config, train_set, &test_set, train.feature_names);
  EXPECT_TRUE(trained.is_ok()) << trained.status().to_string();
  auto reference = GbdtModel::from_text(
      read_text_file(lightgbm_fixture_path(dataset + "/" + config_name + "/model.txt")));
  EXPECT_TRUE(reference.is_ok()) << reference.status().to_string();
  return {*trained, *reference};
}

inline bool close_relative(double a, double b, double tolerance) {
  return std::fabs(a - b) <= tolerance * std::max(std::fabs(a), std::fabs(b)) ||
         std::fabs(a - b) < 1e-300;
}

// Differences between two trees, empty when they agree (structure exact, values 1e-9).
inline std::string tree_differences(const detail::Tree& a, const detail::Tree& b) {
  std::string out;
  auto check = [&](bool same, const char* field) {
    if (!same) out += std::string(field) + " ";
  };
  check(a.num_leaves == b.num_leaves, "num_leaves");
  if (!out.empty()) return out;
  check(a.split_feature == b.split_feature, "split_feature");
  check(a.threshold == b.threshold, "threshold");
  check(a.decision_type == b.decision_type, "decision_type");
  check(a.left_child == b.left_child, "left_child");
  check(a.right_child == b.right_child, "right_child");
  check(a.leaf_count == b.leaf_count, "leaf_count");
  check(a.internal_count == b.internal_count, "internal_count");
  check(a.num_cat == b.num_cat, "num_cat");
  check(a.cat_boundaries == b.cat_boundaries, "cat_boundaries");
  check(a.cat_threshold == b.cat_threshold, "cat_threshold");
  bool values = true;
  for (int i = 0; i < a.num_leaves && values; ++i) {
    values = close_relative(a.leaf_value[i], b.leaf_value[i], 1e-9);
  }
  check(values, "leaf_value");
  return out;
}

// model.txt of a fixture config without the Python package's trailing pandas_categorical
// line, i.e. exactly what LightGBM's C++ writer produced.
inline std::string lightgbm_model_text(const std::string& dataset, const std::string& config) {
  std::string text = read_text_file(lightgbm_fixture_path(dataset + "/" + config + "/model.txt"));
  const std::string pandas_line = "\npandas_categorical:null\n";
  if (text.size() >= pandas_line.size() &&
      text.compare(text.size() - pandas_line.size(), pandas_line.size(), pandas_line) == 0) {
    text.resize(text.size() - pandas_line.size());
  }
  return text;
}

// As train_fixture_uncached, memoised: several tests look at the same trained fixtures.
inline TrainedAndReference train_fixture(const std::string& dataset, const std::string& config_name,
                                         const GbdtParameterList& extra = {}) {
  static std::map<std::string, TrainedAndReference> cache;
  std::string key = dataset + "/" + config_name;
  for (const auto& [name, value] : extra) key += ";" + name + "=" + value;
  auto it = cache.find(key);
  if (it == cache.end()) {
    it = cache.emplace(key, train_fixture_uncached(dataset, config_name, extra)).first;
  }
  return it->second;
}

}  // namespace traind::engines::trees::testing
