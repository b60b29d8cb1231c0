// LeafWiseLearner: grows one tree from gradients and hessians the way LightGBM's
// SerialTreeLearner does (treelearner/serial_tree_learner.cpp): best-first by split gain,
// histograms of the smaller child built and the larger one obtained by subtraction, features
// that could not split a parent skipped in its children, max_depth and min-data limits.
//
// One learner serves every tree of a training run (it keeps its buffers). Not thread-safe;
// it uses the given ThreadPool for its parallel loops, with results independent of the
// number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/histogram.h"
#include "engines/trees/gbdt/split_finder.h"
#include "engines/trees/gbdt/thread_pool.h"
#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

// A used feature: what split finding needs plus what the tree records.
struct LearnerFeature {
  FeatureMeta meta;
  std::vector<double> bin_upper_bounds;  // numerical: threshold value of each bin
  std::vector<int> bin_categories;       // categorical: category held by each bin
};

class LeafWiseLearner {
 public:
  // `bins` columns correspond to `features` one to one.
  LeafWiseLearner(BinMatrixView bins, std::vector<LearnerFeature> features,
                  const GbdtConfig& config, ThreadPool* pool);

  // Grows a tree on `bag_rows` (ascending; empty = every row) using the features whose
  // entry in `feature_used` is non-zero. Values are unshrunk leaf outputs.
  Tree train(const float* grad, const float* hess, std::span<const int> bag_rows,
             const std::vector<char>& feature_used);

  // After train(): the in-bag rows that ended in each leaf, in ascending order.
  int num_leaves() const { return num_leaves_; }
  std::span<const int> leaf_rows(int leaf) const {
    return {rows_.data() + leaf_begin_[leaf], static_cast<size_t>(leaf_count_[leaf])};
  }
  // After train(): the leaf of the last tree that row `row` of `bins` (binned with the same
  // mappers, e.g. out-of-bag or validation rows) falls in.
  int leaf_of(const BinMatrixView& bins, int64_t row) const;

 private:
  bool prepare_leaves(int left_leaf, int right_leaf);
  void find_best_splits(const std::vector<char>& feature_used);
  void split(int leaf, Tree* tree, int* left_leaf, int* right_leaf);
  int partition(int leaf, const SplitCandidate& split, int new_leaf);
  double* leaf_histogram(int leaf) { return buffers_[leaf_buffer_[leaf]].data(); }
  std::vector<char>& leaf_splittable(int leaf) { return splittable_[leaf_buffer_[leaf]]; }

  BinMatrixView bins_;
  // Column-major copy of the bins (feature f, row r at [f * num_rows + r]): the partition
  // reads one feature of many rows, which row-major storage serves one cache line per row.
  std::vector<uint8_t> columns8_;
  std::vector<uint16_t> columns16_;
  std::vector<LearnerFeature> features_;
  HistogramLayout layout_;
  SplitParams params_;
  int max_leaves_;
  int max_depth_;
  ThreadPool* pool_;

  const float* grad_ = nullptr;
  const float* hess_ = nullptr;
  int num_leaves_ = 0;
  // Data partition: rows_ holds every in-bag row grouped by leaf.
  std::vector<int> rows_;
  std::vector<int> scratch_;
  std::vector<int> leaf_begin_, leaf_count_;
  // Per leaf.
  std::vector<double> sum_gradient_, sum_hessian_;
  std::vector<int> depth_, parent_node_;
  std::vector<SplitCandidate> best_split_;
  // Histogram buffers travel with their "is splittable" flags, as LightGBM's pool entries do.
  std::vector<std::vector<double>> buffers_;
  std::vector<std::vector<char>> splittable_;
  std::vector<int> leaf_buffer_;
  int next_buffer_ = 1;
  // The last tree's nodes in bin space, for leaf_of().
  struct BinnedNode {
    int feature = 0;
    std::vector<char> left_bins;  // per bin: 1 if its rows go left
    int left = 0, right = 0;
  };
  std::vector<BinnedNode> nodes_;
  // The pair being evaluated.
  int smaller_leaf_ = -1, larger_leaf_ = -1;
  bool use_subtract_ = false;
};

}  // namespace traind::engines::trees::detail
