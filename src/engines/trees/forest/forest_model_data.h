// The trained forest as data: per-tree arrays that mirror scikit-learn's `tree_` attributes,
// plus the resolved parameters. Shared by training, prediction and the .rf.json codec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engines/trees/forest.h"

namespace traind::engines::trees::detail {

inline constexpr int32_t kTreeLeaf = -1;       // scikit-learn's _TREE_LEAF
inline constexpr int32_t kTreeUndefined = -2;  // scikit-learn's _TREE_UNDEFINED
inline constexpr double kUndefinedThreshold = -2.0;

// One fitted tree; node 0 is the root. `value` holds value_width doubles per node: weighted
// class counts (classification, 1.2's tree_.value) or the node's mean / median (regression).
struct ForestTree {
  uint32_t seed = 0;  // 31-bit seed for the bootstrap draw and the splitter
  int max_depth = 0;
  int value_width = 1;
  std::vector<int32_t> children_left;
  std::vector<int32_t> children_right;
  std::vector<int32_t> feature;
  std::vector<double> threshold;
  std::vector<double> impurity;
  std::vector<int64_t> n_node_samples;
  std::vector<double> weighted_n_node_samples;
  std::vector<double> value;

  int node_count() const { return static_cast<int>(children_left.size()); }
  bool is_leaf(int node) const { return children_left[node] == kTreeLeaf; }
  const double* node_value(int node) const {
    return value.data() + static_cast<int64_t>(node) * value_width;
  }
  // Index of the leaf reached by a row whose float32 features are given by get(feature).
  template <class GetFeature>
  int find_leaf(const GetFeature& get) const {
    int node = 0;
    while (children_left[node] != kTreeLeaf) {
      node = static_cast<double>(get(feature[node])) <= threshold[node] ? children_left[node]
                                                                        : children_right[node];
    }
    return node;
  }
};

// Adds a leaf's contribution to one row's output: its class counts normalised to
// probabilities (scikit-learn's predict_proba per tree), or its value for regression.
inline void add_leaf_output(const ForestTree& tree, int leaf, bool classification, double* out) {
  const double* value = tree.node_value(leaf);
  if (!classification) {
    out[0] += value[0];
    return;
  }
  double normalizer = 0.0;
  for (int k = 0; k < tree.value_width; ++k) normalizer += value[k];
  if (normalizer == 0.0) normalizer = 1.0;
  for (int k = 0; k < tree.value_width; ++k) out[k] += value[k] / normalizer;
}

// Adds one tree's output for every row of x (column-major doubles, compared as float32 as
// scikit-learn does) to out (row-major, value_width per row).
void add_tree_output(const ForestTree& tree, const FeatureMatrix& x, bool classification,
                     double* out);

// Parameters after resolving scikit-learn's relative forms against the training data.
struct ResolvedForestParams {
  int max_features = 1;
  int64_t min_samples_split = 2;
  int64_t min_samples_leaf = 1;
  double min_weight_leaf = 0.0;  // of the first tree (each tree uses its own total weight)
  int64_t n_samples_fit = 0;
  int64_t n_samples_bootstrap = 0;
  int64_t random_state = 0;  // the seed actually used (drawn when random_state was none)
};

struct ForestModelData {
  ForestConfig config;
  ResolvedForestParams resolved;
  int n_features = 0;
  std::vector<std::string> feature_names;
  std::vector<double> classes;
  std::vector<double> feature_importances;
  std::optional<double> oob_score;
  std::vector<double> oob_decision;   // not serialised
  std::vector<std::string> warnings;  // not serialised
  std::vector<ForestTree> trees;
};

}  // namespace traind::engines::trees::detail
