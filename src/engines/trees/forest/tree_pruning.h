// Minimal cost-complexity pruning (ccp_alpha), as scikit-learn 1.2's _cost_complexity_prune
// and _build_pruned_tree: collapse the weakest link while its effective alpha <= ccp_alpha,
// then rebuild the tree in depth-first preorder.
#pragma once

#include "engines/trees/forest/forest_model_data.h"

namespace traind::engines::trees::detail {

// Returns the pruned tree (always rebuilt in preorder, as scikit-learn does for alpha > 0).
ForestTree prune_tree(const ForestTree& tree, double ccp_alpha);

}  // namespace traind::engines::trees::detail
