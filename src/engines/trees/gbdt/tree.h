// Tree: one decision tree as LightGBM stores it, array per field, exactly the fields of the
// text model format (`Tree=<i>` blocks). Written by the learner, read by the model text
// reader/writer and by prediction.
#pragma once

#include <cstdint>
#include <vector>

#include "engines/trees/feature_matrix.h"

namespace traind::engines::trees::detail {

// Bits of decision_type (LightGBM's tree.h).
inline constexpr int8_t kCategoricalMask = 1;
inline constexpr int8_t kDefaultLeftMask = 2;
// Missing type lives in bits 2-3: 0 None, 1 Zero, 2 NaN.
enum class MissingType : int8_t { kNone = 0, kZero = 1, kNaN = 2 };

// float 1e-35 widened to double: LightGBM's threshold for "this value is zero".
inline constexpr double kZeroThreshold = 1.0000000180025095e-35;

struct Tree {
  int num_leaves = 1;
  int num_cat = 0;
  // Internal nodes (num_leaves - 1 entries each). Node i is the i-th split made.
  std::vector<int> split_feature;  // original column index
  std::vector<float> split_gain;   // gain + min_gain_to_split, as float
  std::vector<double> threshold;   // numerical: bin upper bound; categorical: cat index
  std::vector<int8_t> decision_type;
  std::vector<int> left_child;  // >= 0 internal node, < 0 leaf ~child
  std::vector<int> right_child;
  std::vector<double> internal_value;
  std::vector<double> internal_weight;
  std::vector<int> internal_count;
  // Leaves (num_leaves entries each).
  std::vector<double> leaf_value;   // already shrunk (and biased for a first tree)
  std::vector<double> leaf_weight;  // sum of hessians
  std::vector<int> leaf_count;      // in-bag rows
  // Categorical splits: the bitset of node i with threshold t spans
  // cat_threshold[cat_boundaries[t] .. cat_boundaries[t + 1]).
  std::vector<int> cat_boundaries;
  std::vector<uint32_t> cat_threshold;
  double shrinkage = 1.0;

  static MissingType missing_type(int8_t decision_type) {
    return static_cast<MissingType>((decision_type >> 2) & 3);
  }
  // The leaf a row ends in, by LightGBM's prediction rules (NaN, zero and category handling).
  int leaf_index(const FeatureMatrix& x, int64_t row) const;
  double predict(const FeatureMatrix& x, int64_t row) const {
    return leaf_value[leaf_index(x, row)];
  }
};

}  // namespace traind::engines::trees::detail
