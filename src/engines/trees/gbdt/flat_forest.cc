// FlatForest: compact nodes, branch-free numerical routing and lock-step walking of a group
// of rows. The leaf reached by every row equals Tree::leaf_index's.
#include "engines/trees/gbdt/flat_forest.h"

#include <algorithm>
#include <cmath>

#include "engines/trees/gbdt/tree_decision.h"

namespace traind::engines::trees::detail {
namespace {

constexpr int kRowsInStep = 16;  // independent walks interleaved per step

}  // namespace

FlatForest::FlatForest(const GbdtModelData& data, int num_trees) : data_(data) {
  // Features on which some split treats NaN as missing keep their NaNs in the row buffer.
  std::vector<char> keeps_nan(static_cast<size_t>(data.max_feature_idx) + 1, 0);
  for (int t = 0; t < num_trees; ++t) {
    const Tree& tree = data.trees[t];
    for (int i = 0; i + 1 < tree.num_leaves; ++i) {
      if (Tree::missing_type(tree.decision_type[i]) == MissingType::kNaN) {
        keeps_nan[tree.split_feature[i]] = 1;
      }
    }
  }
  for (size_t f = 0; f < keeps_nan.size(); ++f) {
    if (!keeps_nan[f]) nan_as_zero_features_.push_back(static_cast<int>(f));
  }
  trees_.resize(num_trees);
  for (int t = 0; t < num_trees; ++t) {
    const Tree& tree = data.trees[t];
    TreeInfo& info = trees_[t];
    info.begin = static_cast<int64_t>(nodes_.size());
    const int internal = std::max(tree.num_leaves - 1, 0);
    info.first_leaf = internal;
    // Children of internal nodes: internal index, or first_leaf + leaf for a leaf.
    auto local = [&](int child) { return child >= 0 ? child : internal + ~child; };
    std::vector<int> depth(internal, 0);
    info.plain = true;
    for (int i = 0; i < internal; ++i) {
      const int8_t decision = tree.decision_type[i];
      const MissingType missing = Tree::missing_type(decision);
      if (decision & kCategoricalMask) info.categorical = true;
      if ((decision & kCategoricalMask) || missing != MissingType::kNone ||
          keeps_nan[tree.split_feature[i]]) {
        info.plain = false;
      }
      Node node{};
      node.threshold = tree.threshold[i];
      node.feature = tree.split_feature[i];
      node.child[0] = local(tree.right_child[i]);
      node.child[1] = local(tree.left_child[i]);
      node.nan_missing = missing != MissingType::kNone;
      node.zero_missing = missing == MissingType::kZero;
      node.default_left = (decision & kDefaultLeftMask) != 0;
      node.zero_goes_left = 0.0 <= tree.threshold[i];
      nodes_.push_back(node);
      // Children come after their parent (checked when loading; true for trained trees).
      for (int child : {tree.left_child[i], tree.right_child[i]}) {
        if (child >= 0) {
          depth[child] = depth[i] + 1;
        } else {
          info.depth = std::max(info.depth, depth[i] + 1);
        }
      }
    }
    // Leaves stay where they are: both children point back to the leaf itself.
    for (int leaf = 0; leaf < tree.num_leaves; ++leaf) {
      Node node{};
      node.child[0] = node.child[1] = internal + leaf;
      nodes_.push_back(node);
    }
  }
}

void FlatForest::prepare_rows(double* rows, int64_t num_rows, int row_stride) const {
  for (int64_t r = 0; r < num_rows; ++r) {
    double* row = rows + r * row_stride;
    for (int f : nan_as_zero_features_) {
      if (std::isnan(row[f])) row[f] = 0.0;
    }
  }
}

void FlatForest::add_categorical_tree(int t, const double* rows, int64_t num_rows, int row_stride,
                                      double* out, int out_stride) const {
  const Tree& tree = data_.trees[t];
  for (int64_t r = 0; r < num_rows; ++r) {
    const double* row = rows + r * row_stride;
    int node = 0;
    while (node >= 0) {
      const double value = row[tree.split_feature[node]];
      const bool left =
          (tree.decision_type[node] & kCategoricalMask)
              ? categorical_goes_left(tree, node, value)
              : numerical_goes_left(tree.decision_type[node], tree.threshold[node], value);
      node = left ? tree.left_child[node] : tree.right_child[node];
    }
    out[r * out_stride] += tree.leaf_value[~node];
  }
}

void FlatForest::add_tree(int t, const double* rows, int64_t num_rows, int row_stride, double* out,
                          int out_stride) const {
  const TreeInfo& info = trees_[t];
  const double* leaf_values = data_.trees[t].leaf_value.data();
  if (info.categorical) {
    add_categorical_tree(t, rows, num_rows, row_stride, out, out_stride);
    return;
  }
  const Node* nodes = nodes_.data() + info.begin;
  for (int64_t first = 0; first < num_rows; first += kRowsInStep) {
    const int group = static_cast<int>(std::min<int64_t>(kRowsInStep, num_rows - first));
    const double* group_rows = rows + first * row_stride;
    int at[kRowsInStep] = {};
    if (info.plain && group == kRowsInStep) {
      // Constant trip count: the compiler unrolls the group.
      for (int step = 0; step < info.depth; ++step) {
        for (int j = 0; j < kRowsInStep; ++j) {
          const Node& n = nodes[at[j]];
          at[j] = n.child[group_rows[j * row_stride + n.feature] <= n.threshold];
        }
      }
    } else if (info.plain) {
      for (int step = 0; step < info.depth; ++step) {
        for (int j = 0; j < group; ++j) {
          const Node& n = nodes[at[j]];
          at[j] = n.child[group_rows[j * row_stride + n.feature] <= n.threshold];
        }
      }
    }
    for (int step = 0; step < (info.plain ? 0 : info.depth); ++step) {
      for (int j = 0; j < group; ++j) {
        const Node& n = nodes[at[j]];
        const double raw = group_rows[j * row_stride + n.feature];
        // tree_decision.h's numerical rule as 0/1 arithmetic: NaN reads as 0 unless the type
        // is NaN; missing values (NaN for type NaN; NaN or |v| <= kZero for type Zero) follow
        // default_left. A NaN compares false, so `raw <= threshold` is 0 for it.
        const unsigned is_nan = std::isnan(raw);
        const unsigned is_zero = (raw >= -kZeroThreshold) & (raw <= kZeroThreshold);
        const unsigned below = (raw <= n.threshold) | (is_nan & n.zero_goes_left);
        const unsigned missing = (n.nan_missing & is_nan) | (n.zero_missing & is_zero);
        const unsigned left = (missing & n.default_left) | ((missing ^ 1u) & below);
        at[j] = n.child[left];
      }
    }
    for (int j = 0; j < group; ++j) {
      out[(first + j) * out_stride] += leaf_values[at[j] - info.first_leaf];
    }
  }
}

}  // namespace traind::engines::trees::detail
