// LeafWiseLearner: grows one tree from gradients and hessians the way LightGBM's
// SerialTreeLearner does (treelearner/serial_tree_learner.cpp): best-first by split gain,
// histograms of the smaller child built and the larger one obtained by subtraction, features
// that could not split a parent skipped in its children, max_depth and min-data limits.
//
// One learner serves every tree of a training run (it keeps its buffers). Not thread-safe;
// it uses the given ThreadPool for its parallel loops, with results independent of the
// number of threads.
//
// Memory: the learner reads the caller's row-major bins (no copy of its own), partitions
// with a buffer of half a row index per row, and keeps few leaf histograms (LightGBM keeps
// one per leaf with its default histogram_pool_size):
// - a leaf's histogram is dropped once the leaf can never be split: gain <= 0, or at least
//   as many leaves rank ahead of it as splits remain before num_leaves is reached (with 31
//   leaves at most 16 are then alive at a time);
// - beyond a budget (a quarter of the binned data's size, at least 8 histograms), directly
//   built histograms are dropped too, fewest rows first, and rebuilt if their leaf is split
//   after all. A histogram that was built directly is a sum over the leaf's rows in row
//   order, so the rebuilt one is bit-identical; histograms obtained by subtraction are kept.
// So no memory setting ever changes a model.
#pragma once

#include <algorithm>
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
  // Histogram buffers allocated so far (the most that were alive at once in any tree).
  int num_histogram_buffers() const { return static_cast<int>(buffers_.size()); }
  // Histograms rebuilt so far because the budget had dropped them.
  int64_t num_histogram_rebuilds() const { return num_rebuilds_; }
  // Overrides the budget of histograms kept at once (tests: the budget never changes a tree).
  void set_histogram_budget(int budget) { histogram_budget_ = std::max(2, budget); }

 private:
  bool prepare_leaves(int left_leaf, int right_leaf);
  void find_best_splits(const std::vector<char>& feature_used);
  void split(int leaf, Tree* tree, int* left_leaf, int* right_leaf);
  int partition(int leaf, const SplitCandidate& split, int new_leaf);
  double* leaf_histogram(int leaf) { return buffers_[leaf_buffer_[leaf]].data(); }
  std::vector<char>& leaf_splittable(int leaf) { return splittable_[leaf]; }
  // A free histogram buffer; over the budget, a directly built histogram of a leaf other than
  // `except` is dropped first (see rebuild_histogram).
  int acquire_buffer(int except);
  void rebuild_histogram(int leaf);
  // Returns the buffers of leaves (other than `except`) that can no longer be split when
  // `remaining_splits` splits are left in this tree.
  void release_unsplittable_leaves(int remaining_splits, int except);

  BinMatrixView bins_;
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
  // Histogram buffers, allocated on first need and then recycled through free_buffers_. A
  // leaf without one (leaf_buffer_ -1) either can never be split or has a directly built
  // histogram that the budget dropped (rebuilt if the leaf is split).
  std::vector<std::vector<double>> buffers_;
  std::vector<int> free_buffers_;
  std::vector<int> leaf_buffer_;
  std::vector<char> direct_histogram_;  // per leaf: built directly, so it can be rebuilt
  int histogram_budget_ = 0;
  int64_t num_rebuilds_ = 0;
  // Per leaf: the features it may still split on (a child inherits its parent's flags).
  std::vector<std::vector<char>> splittable_;
  const std::vector<char>* feature_used_ = nullptr;
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
