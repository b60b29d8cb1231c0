// FlatForest: a model's trees as one compact node array for fast prediction of many rows.
// Routing is LightGBM's (tree_decision.h). Numerical trees are walked branch-free and several
// rows at a time: leaves point to themselves, so every row takes the tree's depth in steps
// and the rows' independent chains of loads overlap instead of waiting on each other.
#pragma once

#include <cstdint>
#include <vector>

#include "engines/trees/gbdt/gbdt_model_data.h"

namespace traind::engines::trees::detail {

class FlatForest {
 public:
  // The first `num_trees` trees of `data`; `data` must outlive the forest.
  FlatForest(const GbdtModelData& data, int num_trees);

  // Rewrites a row-major block in place for add_tree: NaN becomes 0 in the features where
  // every split reads NaN as 0 (all but those with a missing-type-NaN split).
  void prepare_rows(double* rows, int64_t num_rows, int row_stride) const;

  // out[r * out_stride] += tree `t`'s value for row r of `rows` (row-major, `row_stride`
  // doubles per row, at least the model's feature count), for r in [0, num_rows).
  void add_tree(int t, const double* rows, int64_t num_rows, int row_stride, double* out,
                int out_stride) const;

 private:
  struct Node {
    double threshold;
    int32_t feature;
    int32_t child[2];      // [0] right, [1] left: index within the tree; leaves come last
    uint8_t nan_missing;   // missing type NaN or Zero: a NaN value is missing
    uint8_t zero_missing;  // missing type Zero: |v| <= kZero is missing
    uint8_t default_left;
    uint8_t zero_goes_left;  // 0 <= threshold: where a NaN read as 0 goes
  };
  struct TreeInfo {
    int64_t begin = 0;   // first node in nodes_
    int first_leaf = 0;  // local index of leaf 0 (= number of internal nodes)
    int depth = 0;       // steps from the root to the deepest leaf
    bool categorical = false;
    // Every split is numerical with missing type None on a feature whose NaNs the row buffer
    // already holds as 0 (see prepare_rows): one comparison per step.
    bool plain = false;
  };
  void add_categorical_tree(int t, const double* rows, int64_t num_rows, int row_stride,
                            double* out, int out_stride) const;

  const GbdtModelData& data_;
  std::vector<Node> nodes_;
  std::vector<TreeInfo> trees_;
  std::vector<int> nan_as_zero_features_;  // features without a missing-type-NaN split
};

}  // namespace traind::engines::trees::detail
