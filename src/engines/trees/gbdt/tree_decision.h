// LightGBM's per-node routing rules (include/LightGBM/tree.h NumericalDecision,
// CategoricalDecision), shared by Tree::leaf_index and the flat prediction forest.
#pragma once

#include <cmath>

#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

// static_cast<int> as LightGBM's x86-64 build does it: truncation toward zero, and INT_MIN
// (a negative, hence "missing" category) for NaN and values outside the int range.
inline int truncate_to_category(double value) {
  if (value > -2147483649.0 && value < 2147483648.0) return static_cast<int>(value);
  return -2147483647 - 1;
}

// Numerical node: NaN is an ordinary zero unless the node learnt where NaN goes; missing
// values (NaN for type NaN, |v| <= kZero for type Zero) follow default_left.
inline bool numerical_goes_left(int8_t decision_type, double threshold, double value) {
  const MissingType missing = Tree::missing_type(decision_type);
  if (std::isnan(value) && missing != MissingType::kNaN) value = 0.0;
  if ((missing == MissingType::kZero && value >= -kZeroThreshold && value <= kZeroThreshold) ||
      (missing == MissingType::kNaN && std::isnan(value))) {
    return (decision_type & kDefaultLeftMask) != 0;
  }
  return value <= threshold;
}

// Categorical node: NaN and negative categories go right; otherwise left iff the category's
// bit is set in the node's bitset (bits beyond the bitset are unset).
inline bool categorical_goes_left(const Tree& tree, int node, double value) {
  if (std::isnan(value)) return false;
  const int category = truncate_to_category(value);
  if (category < 0) return false;
  const int index = static_cast<int>(tree.threshold[node]);
  const int begin = tree.cat_boundaries[index];
  const int words = tree.cat_boundaries[index + 1] - begin;
  const int word = category / 32;
  if (word >= words) return false;
  return ((tree.cat_threshold[begin + word] >> (category % 32)) & 1u) != 0;
}

}  // namespace traind::engines::trees::detail
