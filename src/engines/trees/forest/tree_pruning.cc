// Cost-complexity pruning with scikit-learn 1.2's rules (sklearn/tree/_tree.pyx).
#include "engines/trees/forest/tree_pruning.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace traind::engines::trees::detail {

ForestTree prune_tree(const ForestTree& tree, double ccp_alpha) {
  const int n_nodes = tree.node_count();
  const double total_weight = tree.weighted_n_node_samples[0];
  std::vector<int> parent(n_nodes, -1);
  std::vector<double> r_node(n_nodes), r_branch(n_nodes, 0.0);
  std::vector<int64_t> n_leaves(n_nodes, 0);
  std::vector<char> candidate(n_nodes, 0), in_subtree(n_nodes, 1), leaf_in_subtree(n_nodes, 0);
  for (int i = 0; i < n_nodes; ++i) {
    r_node[i] = tree.weighted_n_node_samples[i] * tree.impurity[i] / total_weight;
    if (!tree.is_leaf(i)) {
      parent[tree.children_left[i]] = i;
      parent[tree.children_right[i]] = i;
      candidate[i] = 1;
    }
  }
  // Risk of each branch = sum of the risks of its leaves.
  for (int i = 0; i < n_nodes; ++i) {
    if (!tree.is_leaf(i)) continue;
    leaf_in_subtree[i] = 1;
    for (int node = i; node != -1; node = parent[node]) {
      r_branch[node] += r_node[i];
      n_leaves[node] += 1;
    }
  }
  while (candidate[0]) {
    double effective_alpha = std::numeric_limits<double>::max();
    int weakest = -1;
    for (int i = 0; i < n_nodes; ++i) {
      if (!candidate[i]) continue;
      const double alpha = (r_node[i] - r_branch[i]) / static_cast<double>(n_leaves[i] - 1);
      if (alpha < effective_alpha) {
        effective_alpha = alpha;
        weakest = i;
      }
    }
    if (ccp_alpha < effective_alpha) break;
    // Collapse the weakest branch into a leaf.
    std::vector<int> stack{weakest};
    while (!stack.empty()) {
      const int node = stack.back();
      stack.pop_back();
      if (node != weakest) in_subtree[node] = 0;
      candidate[node] = 0;
      leaf_in_subtree[node] = 0;
      if (!tree.is_leaf(node)) {
        stack.push_back(tree.children_left[node]);
        stack.push_back(tree.children_right[node]);
      }
    }
    leaf_in_subtree[weakest] = 1;
    const int64_t pruned_leaves = n_leaves[weakest] - 1;
    const double r_diff = r_node[weakest] - r_branch[weakest];
    n_leaves[weakest] = 1;
    r_branch[weakest] = r_node[weakest];
    for (int node = parent[weakest]; node != -1; node = parent[node]) {
      n_leaves[node] -= pruned_leaves;
      r_branch[node] += r_diff;
    }
  }

  ForestTree pruned;
  pruned.seed = tree.seed;
  pruned.value_width = tree.value_width;
  struct Record {
    int original, depth, parent;
    bool is_left;
  };
  std::vector<Record> stack{{0, 0, -1, false}};
  while (!stack.empty()) {
    const Record record = stack.back();
    stack.pop_back();
    const int old = record.original;
    const bool is_leaf = leaf_in_subtree[old] != 0;
    const int node = pruned.node_count();
    if (record.parent >= 0) {
      (record.is_left ? pruned.children_left : pruned.children_right)[record.parent] = node;
    }
    pruned.children_left.push_back(kTreeLeaf);
    pruned.children_right.push_back(kTreeLeaf);
    pruned.feature.push_back(is_leaf ? kTreeUndefined : tree.feature[old]);
    pruned.threshold.push_back(is_leaf ? kUndefinedThreshold : tree.threshold[old]);
    pruned.impurity.push_back(tree.impurity[old]);
    pruned.n_node_samples.push_back(tree.n_node_samples[old]);
    pruned.weighted_n_node_samples.push_back(tree.weighted_n_node_samples[old]);
    const double* value = tree.node_value(old);
    pruned.value.insert(pruned.value.end(), value, value + tree.value_width);
    pruned.max_depth = std::max(pruned.max_depth, record.depth);
    if (!is_leaf) {
      stack.push_back({tree.children_right[old], record.depth + 1, node, false});
      stack.push_back({tree.children_left[old], record.depth + 1, node, true});
    }
  }
  return pruned;
}

}  // namespace traind::engines::trees::detail
