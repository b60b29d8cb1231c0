// Tree::leaf_index: LightGBM's prediction rules for one row (include/LightGBM/tree.h).
#include "engines/trees/gbdt/tree.h"

#include "engines/trees/gbdt/tree_decision.h"

namespace traind::engines::trees::detail {

int Tree::leaf_index(const FeatureMatrix& x, int64_t row) const {
  if (num_leaves <= 1) return 0;
  int node = 0;
  while (node >= 0) {
    const double value = x.at(row, split_feature[node]);
    const bool left = (decision_type[node] & kCategoricalMask)
                          ? categorical_goes_left(*this, node, value)
                          : numerical_goes_left(decision_type[node], threshold[node], value);
    node = left ? left_child[node] : right_child[node];
  }
  return ~node;
}

}  // namespace traind::engines::trees::detail
