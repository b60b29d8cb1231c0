// Leaf-wise tree growth (LightGBM SerialTreeLearner::Train, BeforeFindBestSplit,
// FindBestSplitsFromHistograms, SplitInner; Tree::Split for the node bookkeeping).
#include "engines/trees/gbdt/leaf_wise_learner.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engines/trees/gbdt/objective.h"

namespace traind::engines::trees::detail {
namespace {

constexpr double kMinScore = -std::numeric_limits<double>::infinity();
// Below this many histograms, rebuilding dropped ones would cost more than it saves.
constexpr int kMinHistogramBudget = 8;

// Whether a row with bin `bin` goes left (LightGBM DenseBin::SplitInner semantics).
bool goes_left_numerical(uint32_t bin, const FeatureMeta& meta, uint32_t threshold,
                         bool default_left) {
  if (meta.missing_type == MissingType::kNaN && bin == static_cast<uint32_t>(meta.num_bins - 1)) {
    return default_left;
  }
  if (meta.missing_type == MissingType::kZero && bin == meta.default_bin) return default_left;
  return bin <= threshold;
}

// Common::ConstructBitset: bit v%32 of word v/32 for every value.
std::vector<uint32_t> make_bitset(const std::vector<int>& values) {
  std::vector<uint32_t> bits;
  for (int v : values) {
    const size_t word = static_cast<size_t>(v) / 32;
    if (bits.size() < word + 1) bits.resize(word + 1, 0);
    bits[word] |= (1u << (v % 32));
  }
  return bits;
}

// Reads the split feature of row r from the row-major bins (one cache line per row, so rows
// are prefetched ahead; they ascend) and says whether the row goes left.
template <typename BinT>
struct RowSide {
  const BinT* feature_bins;  // the split feature's entry of row 0
  int64_t stride;
  const char* left_bin;
  int left(int r) const { return left_bin[feature_bins[r * stride]]; }
  void prefetch(int r) const { __builtin_prefetch(feature_bins + r * stride); }
};

// Stable partition of rows[0, count) (ascending): left rows first, then right rows, each in
// ascending order; returns the number of left rows. `buffer` holds capacity + 1 ints, with
// capacity >= count / 2, so that the partition needs half a row index per row, not one.
// Forward pass: left rows are compacted in place, right rows buffered. If the right rows
// overflow the buffer, the left rows are the minority: the buffered right rows go back in
// place and a backward pass over the rest compacts right rows at the end and buffers the
// remaining left rows, which then take their place before the first right rows.
// The loops are branch-free: each row is written to both outputs and one counter advances.
template <typename BinT>
int partition_rows(const BinT* feature_bins, int64_t stride, const char* left_bin, int* rows,
                   int count, int* buffer, int capacity) {
  constexpr int kPrefetchDistance = 16;
  const RowSide<BinT> side{feature_bins, stride, left_bin};
  int n_left = 0;
  int n_right = 0;
  int i = 0;
  for (; i < count && n_right < capacity; ++i) {
    if (i + kPrefetchDistance < count) side.prefetch(rows[i + kPrefetchDistance]);
    const int r = rows[i];
    const int left = side.left(r);
    rows[n_left] = r;  // n_left <= i: never a row still to be read
    buffer[n_right] = r;
    n_left += left;
    n_right += 1 - left;
  }
  if (i == count) {
    std::copy(buffer, buffer + n_right, rows + n_left);
    return n_left;
  }
  // Overflow: rows[n_left, i) is free and exactly n_right long.
  std::copy(buffer, buffer + n_right, rows + n_left);
  int write = count - 1;  // next right row's place (>= j: never a row still to be read)
  int n_tail_left = 0;    // left rows of rows[i, count), buffered in descending order
  for (int j = count - 1; j >= i; --j) {
    if (j - kPrefetchDistance >= i) side.prefetch(rows[j - kPrefetchDistance]);
    const int r = rows[j];
    const int left = side.left(r);
    rows[write] = r;
    buffer[n_tail_left] = r;
    write -= 1 - left;
    n_tail_left += left;
  }
  // rows: [left A][right B: n_right][free: n_tail_left][right D]. Shift B over the free
  // part, then put the buffered left rows, ascending, after A.
  std::copy_backward(rows + n_left, rows + n_left + n_right, rows + n_left + n_right + n_tail_left);
  std::reverse_copy(buffer, buffer + n_tail_left, rows + n_left);
  return n_left + n_tail_left;
}
}  // namespace

LeafWiseLearner::LeafWiseLearner(BinMatrixView bins, std::vector<LearnerFeature> features,
                                 const GbdtConfig& config, ThreadPool* pool)
    : bins_(bins),
      features_(std::move(features)),
      params_(SplitParams::from_config(config)),
      max_leaves_(config.num_leaves),
      max_depth_(config.max_depth),
      pool_(pool) {
  std::vector<int> num_bins;
  for (const auto& f : features_) num_bins.push_back(f.meta.num_bins);
  layout_ = HistogramLayout::from_bin_counts(num_bins);
  buffers_.reserve(max_leaves_);
  free_buffers_.reserve(max_leaves_);
  splittable_.assign(max_leaves_, std::vector<char>(features_.size(), 1));
  direct_histogram_.resize(max_leaves_);
  // Histograms kept at once: at most a quarter of the binned data's size (at least
  // kMinHistogramBudget), so that on large data the pool stays small next to the bins.
  const double binned_bytes = static_cast<double>(bins_.num_rows) * bins_.num_features *
                              (bins_.bins8 != nullptr ? 1.0 : 2.0);
  const double histogram_bytes = 2.0 * sizeof(double) * std::max(1, layout_.total_bins);
  histogram_budget_ = static_cast<int>(std::min<double>(
      max_leaves_,
      std::max<double>(kMinHistogramBudget, std::ceil(binned_bytes / (4.0 * histogram_bytes)))));
  nodes_.resize(std::max(1, max_leaves_ - 1));
  leaf_begin_.resize(max_leaves_);
  leaf_count_.resize(max_leaves_);
  sum_gradient_.resize(max_leaves_);
  sum_hessian_.resize(max_leaves_);
  depth_.resize(max_leaves_);
  parent_node_.resize(max_leaves_);
  best_split_.resize(max_leaves_);
  leaf_buffer_.resize(max_leaves_);
}

Tree LeafWiseLearner::train(const float* grad, const float* hess, std::span<const int> bag_rows,
                            const std::vector<char>& feature_used) {
  grad_ = grad;
  hess_ = hess;
  feature_used_ = &feature_used;
  // Partition: every in-bag row in leaf 0.
  if (bag_rows.empty()) {
    rows_.resize(bins_.num_rows);
    for (int64_t i = 0; i < bins_.num_rows; ++i) rows_[i] = static_cast<int>(i);
  } else {
    rows_.assign(bag_rows.begin(), bag_rows.end());
  }
  // partition_rows needs half a row index per in-bag row (+1 for its branch-free writes).
  scratch_.resize((rows_.size() + 1) / 2 + 1);
  num_leaves_ = 1;
  leaf_begin_[0] = 0;
  leaf_count_[0] = static_cast<int>(rows_.size());
  depth_[0] = 0;
  parent_node_[0] = -1;
  // Every buffer is free at the start of a tree; the root takes one.
  free_buffers_.clear();
  for (int b = static_cast<int>(buffers_.size()) - 1; b >= 0; --b) free_buffers_.push_back(b);
  std::fill(leaf_buffer_.begin(), leaf_buffer_.end(), -1);
  leaf_buffer_[0] = acquire_buffer(0);
  direct_histogram_[0] = 1;
  for (auto& best : best_split_) best = SplitCandidate();

  // Root sums in row order (LightGBM LeafSplits::Init, deterministic mode).
  double sum_g = 0.0;
  double sum_h = 0.0;
  for (int r : rows_) {
    sum_g += grad[r];
    sum_h += hess[r];
  }
  sum_gradient_[0] = sum_g;
  sum_hessian_[0] = sum_h;

  Tree tree;
  const int n_internal = max_leaves_ - 1;
  tree.split_feature.assign(n_internal, 0);
  tree.split_gain.assign(n_internal, 0.0f);
  tree.threshold.assign(n_internal, 0.0);
  tree.decision_type.assign(n_internal, 0);
  tree.left_child.assign(n_internal, 0);
  tree.right_child.assign(n_internal, 0);
  tree.internal_value.assign(n_internal, 0.0);
  tree.internal_weight.assign(n_internal, 0.0);
  tree.internal_count.assign(n_internal, 0);
  tree.leaf_value.assign(max_leaves_, 0.0);
  tree.leaf_weight.assign(max_leaves_, 0.0);
  tree.leaf_count.assign(max_leaves_, 0);
  tree.leaf_value[0] =
      leaf_output(sum_g, sum_h, params_.lambda_l1, params_.lambda_l2, params_.max_delta_step);
  // LightGBM never sets the root's weight: a tree without splits keeps 0.
  tree.leaf_count[0] = leaf_count_[0];

  int left_leaf = 0;
  int right_leaf = -1;
  for (int s = 0; s < max_leaves_ - 1; ++s) {
    if (prepare_leaves(left_leaf, right_leaf)) find_best_splits(feature_used);
    int best_leaf = 0;
    // LightGBM's ArgMax over the leaves: ties keep the lower leaf id.
    for (int l = 1; l < num_leaves_; ++l) {
      if (best_split_[l].better_than(best_split_[best_leaf])) best_leaf = l;
    }
    if (best_split_[best_leaf].gain <= 0.0) break;
    split(best_leaf, &tree, &left_leaf, &right_leaf);
  }

  const int n = num_leaves_;
  tree.num_leaves = n;
  tree.split_feature.resize(n - 1);
  tree.split_gain.resize(n - 1);
  tree.threshold.resize(n - 1);
  tree.decision_type.resize(n - 1);
  tree.left_child.resize(n - 1);
  tree.right_child.resize(n - 1);
  tree.internal_value.resize(n - 1);
  tree.internal_weight.resize(n - 1);
  tree.internal_count.resize(n - 1);
  tree.leaf_value.resize(n);
  tree.leaf_weight.resize(n);
  tree.leaf_count.resize(n);
  return tree;
}

int LeafWiseLearner::leaf_of(const BinMatrixView& bins, int64_t row) const {
  if (num_leaves_ <= 1) return 0;
  int node = 0;
  while (node >= 0) {
    const BinnedNode& n = nodes_[node];
    const int64_t i = row * bins.num_features + n.feature;
    const uint32_t bin = bins.bins8 != nullptr ? bins.bins8[i] : bins.bins16[i];
    node = n.left_bins[bin] ? n.left : n.right;
  }
  return ~node;
}

// BeforeFindBestSplit: depth and minimum-data checks, then which child is built.
bool LeafWiseLearner::prepare_leaves(int left_leaf, int right_leaf) {
  auto disable = [&] {
    best_split_[left_leaf].gain = kMinScore;
    if (right_leaf >= 0) best_split_[right_leaf].gain = kMinScore;
  };
  if (max_depth_ > 0 && depth_[left_leaf] >= max_depth_) {
    disable();
    return false;
  }
  const int n_left = leaf_count_[left_leaf];
  const int n_right = right_leaf >= 0 ? leaf_count_[right_leaf] : 0;
  if (n_right < params_.min_data_in_leaf * 2 && n_left < params_.min_data_in_leaf * 2) {
    disable();
    return false;
  }
  if (right_leaf < 0) {
    smaller_leaf_ = left_leaf;
    larger_leaf_ = -1;
    use_subtract_ = false;
  } else if (n_left < n_right) {
    smaller_leaf_ = left_leaf;
    larger_leaf_ = right_leaf;
    use_subtract_ = true;
  } else {
    smaller_leaf_ = right_leaf;
    larger_leaf_ = left_leaf;
    use_subtract_ = true;
  }
  return true;
}

void LeafWiseLearner::find_best_splits(const std::vector<char>& feature_used) {
  const int num_features = static_cast<int>(features_.size());
  // The larger child holds the parent's histogram and flags: a feature the parent could not
  // split is not looked at in either child.
  std::vector<char>& smaller_flags = leaf_splittable(smaller_leaf_);
  const std::vector<char>* parent_flags = use_subtract_ ? &leaf_splittable(larger_leaf_) : nullptr;
  std::vector<int> evaluated;
  for (int f = 0; f < num_features; ++f) {
    if (!feature_used[f]) continue;
    if (parent_flags != nullptr && !(*parent_flags)[f]) {
      smaller_flags[f] = 0;
      continue;
    }
    evaluated.push_back(f);
  }

  double* smaller_hist = leaf_histogram(smaller_leaf_);
  const int64_t n_smaller = leaf_count_[smaller_leaf_];
  const bool all_rows = n_smaller == bins_.num_rows;
  construct_histograms(bins_, layout_, evaluated,
                       all_rows ? nullptr : rows_.data() + leaf_begin_[smaller_leaf_], n_smaller,
                       grad_, hess_, smaller_hist, *pool_);
  double* larger_hist = larger_leaf_ >= 0 ? leaf_histogram(larger_leaf_) : nullptr;
  std::vector<char>* larger_flags = larger_leaf_ >= 0 ? &leaf_splittable(larger_leaf_) : nullptr;

  // Evaluate every feature for both leaves; reduce in feature order afterwards.
  const int num_eval = static_cast<int>(evaluated.size());
  std::vector<SplitCandidate> smaller_best(num_eval), larger_best(num_eval);
  std::vector<char> smaller_ok(num_eval), larger_ok(num_eval);
  auto evaluate = [&](int k) {
    const int f = evaluated[k];
    const LearnerFeature& feature = features_[f];
    const int num_bins = feature.meta.num_bins;
    double* hs = smaller_hist + 2 * layout_.offset[f];
    fix_most_frequent_bin(hs, num_bins, static_cast<int>(feature.meta.most_freq_bin),
                          sum_gradient_[smaller_leaf_], sum_hessian_[smaller_leaf_]);
    smaller_ok[k] =
        find_best_split(hs, feature.meta, params_, sum_gradient_[smaller_leaf_],
                        sum_hessian_[smaller_leaf_], leaf_count_[smaller_leaf_], &smaller_best[k]);
    smaller_best[k].feature = f;
    smaller_best[k].column = feature.meta.column;
    if (larger_hist == nullptr) return;
    double* hl = larger_hist + 2 * layout_.offset[f];
    subtract_feature_histogram(hs, hl, num_bins);
    larger_ok[k] =
        find_best_split(hl, feature.meta, params_, sum_gradient_[larger_leaf_],
                        sum_hessian_[larger_leaf_], leaf_count_[larger_leaf_], &larger_best[k]);
    larger_best[k].feature = f;
    larger_best[k].column = feature.meta.column;
  };
  const int tasks = std::min(pool_->num_threads(), num_eval);
  if (tasks <= 1 || static_cast<int64_t>(num_eval) * layout_.total_bins / num_features < 512) {
    for (int k = 0; k < num_eval; ++k) evaluate(k);
  } else {
    pool_->run(tasks, [&](int t) {
      for (int k = t; k < num_eval; k += tasks) evaluate(k);
    });
  }

  SplitCandidate best_small, best_large;
  for (int k = 0; k < num_eval; ++k) {
    const int f = evaluated[k];
    smaller_flags[f] = smaller_ok[k];
    if (smaller_best[k].better_than(best_small)) best_small = std::move(smaller_best[k]);
    if (larger_hist != nullptr) {
      (*larger_flags)[f] = larger_ok[k];
      if (larger_best[k].better_than(best_large)) best_large = std::move(larger_best[k]);
    }
  }
  best_split_[smaller_leaf_] = std::move(best_small);
  if (larger_leaf_ >= 0) best_split_[larger_leaf_] = std::move(best_large);
}

// Stable partition of the leaf's rows: left rows keep the leaf, right rows go to new_leaf.
int LeafWiseLearner::partition(int leaf, const SplitCandidate& split, int new_leaf) {
  const int begin = leaf_begin_[leaf];
  const int count = leaf_count_[leaf];
  int* rows = rows_.data() + begin;
  const char* left_bin = nodes_[num_leaves_ - 1].left_bins.data();
  const int64_t stride = bins_.num_features;
  const int capacity = static_cast<int>(scratch_.size()) - 1;
  const int n_left = bins_.bins8 != nullptr
                         ? partition_rows(bins_.bins8 + split.feature, stride, left_bin, rows,
                                          count, scratch_.data(), capacity)
                         : partition_rows(bins_.bins16 + split.feature, stride, left_bin, rows,
                                          count, scratch_.data(), capacity);
  leaf_count_[leaf] = n_left;
  leaf_begin_[new_leaf] = begin + n_left;
  leaf_count_[new_leaf] = count - n_left;
  return n_left;
}

void LeafWiseLearner::split(int leaf, Tree* tree, int* left_leaf, int* right_leaf) {
  if (leaf_buffer_[leaf] < 0) rebuild_histogram(leaf);
  SplitCandidate& s = best_split_[leaf];
  const LearnerFeature& feature = features_[s.feature];
  const int right = num_leaves_;
  const int node = num_leaves_ - 1;
  // Bin-space copy of the node, for partitioning and for leaf_of().
  BinnedNode& bn = nodes_[node];
  bn.feature = s.feature;
  bn.left_bins.assign(feature.meta.num_bins, 0);
  if (feature.meta.categorical) {
    for (uint32_t b : s.cat_bins) bn.left_bins[b] = 1;
  } else {
    for (int b = 0; b < feature.meta.num_bins; ++b) {
      bn.left_bins[b] = goes_left_numerical(b, feature.meta, s.threshold, s.default_left);
    }
  }
  bn.left = ~leaf;
  bn.right = ~right;
  if (parent_node_[leaf] >= 0) {
    BinnedNode& pn = nodes_[parent_node_[leaf]];
    if (pn.left == ~leaf) {
      pn.left = node;
    } else {
      pn.right = node;
    }
  }
  partition(leaf, s, right);
  s.left_count = leaf_count_[leaf];
  s.right_count = leaf_count_[right];

  // Tree::Split bookkeeping.
  const int parent = parent_node_[leaf];
  if (parent >= 0) {
    if (tree->left_child[parent] == ~leaf) {
      tree->left_child[parent] = node;
    } else {
      tree->right_child[parent] = node;
    }
  }
  tree->split_feature[node] = feature.meta.column;
  tree->split_gain[node] = static_cast<float>(s.gain + params_.min_gain_to_split);
  tree->left_child[node] = ~leaf;
  tree->right_child[node] = ~right;
  parent_node_[leaf] = node;
  parent_node_[right] = node;
  tree->internal_weight[node] = s.left_sum_hessian + s.right_sum_hessian;
  tree->internal_value[node] = tree->leaf_value[leaf];
  tree->internal_count[node] = s.left_count + s.right_count;
  tree->leaf_value[leaf] = std::isnan(s.left_output) ? 0.0 : s.left_output;
  tree->leaf_weight[leaf] = s.left_sum_hessian;
  tree->leaf_count[leaf] = s.left_count;
  tree->leaf_value[right] = std::isnan(s.right_output) ? 0.0 : s.right_output;
  tree->leaf_weight[right] = s.right_sum_hessian;
  tree->leaf_count[right] = s.right_count;
  depth_[right] = depth_[leaf] + 1;
  depth_[leaf] += 1;

  const int8_t missing_bits = static_cast<int8_t>(static_cast<int>(feature.meta.missing_type) << 2);
  if (feature.meta.categorical) {
    std::vector<int> categories;
    for (uint32_t b : s.cat_bins) categories.push_back(feature.bin_categories[b]);
    const std::vector<uint32_t> bits = make_bitset(categories);
    tree->decision_type[node] = static_cast<int8_t>(kCategoricalMask | missing_bits);
    tree->threshold[node] = tree->num_cat;
    if (tree->cat_boundaries.empty()) tree->cat_boundaries.push_back(0);
    tree->cat_boundaries.push_back(tree->cat_boundaries.back() + static_cast<int>(bits.size()));
    tree->cat_threshold.insert(tree->cat_threshold.end(), bits.begin(), bits.end());
    tree->num_cat += 1;
  } else {
    tree->decision_type[node] =
        static_cast<int8_t>((s.default_left ? kDefaultLeftMask : 0) | missing_bits);
    tree->threshold[node] = feature.bin_upper_bounds[s.threshold];
  }

  sum_gradient_[leaf] = s.left_sum_gradient;
  sum_hessian_[leaf] = s.left_sum_hessian;
  sum_gradient_[right] = s.right_sum_gradient;
  sum_hessian_[right] = s.right_sum_hessian;
  // The larger child inherits the parent's histogram buffer and flags; the smaller one gets
  // a free buffer, after the leaves that can no longer be split have returned theirs, and
  // its histogram is built directly.
  release_unsplittable_leaves(max_leaves_ - 1 - num_leaves_, leaf);
  const int parent_buffer = leaf_buffer_[leaf];
  const int fresh_buffer = acquire_buffer(leaf);
  if (s.left_count < s.right_count) {
    leaf_buffer_[right] = parent_buffer;
    leaf_buffer_[leaf] = fresh_buffer;
    splittable_[right] = splittable_[leaf];
    direct_histogram_[right] = 0;
    direct_histogram_[leaf] = 1;
  } else {
    leaf_buffer_[right] = fresh_buffer;
    direct_histogram_[right] = 1;
    direct_histogram_[leaf] = 0;
  }
  ++num_leaves_;
  *left_leaf = leaf;
  *right_leaf = right;
}

int LeafWiseLearner::acquire_buffer(int except) {
  // Over the budget, the directly built histogram with the fewest rows goes first: it is the
  // cheapest to rebuild should its leaf be split after all.
  while (static_cast<int>(buffers_.size() - free_buffers_.size()) >= histogram_budget_) {
    int victim = -1;
    for (int l = 0; l < num_leaves_; ++l) {
      if (l == except || leaf_buffer_[l] < 0 || !direct_histogram_[l]) continue;
      if (victim < 0 || leaf_count_[l] < leaf_count_[victim]) victim = l;
    }
    if (victim < 0) break;
    free_buffers_.push_back(leaf_buffer_[victim]);
    leaf_buffer_[victim] = -1;
  }
  if (free_buffers_.empty()) {
    buffers_.emplace_back(2 * static_cast<size_t>(layout_.total_bins), 0.0);
    return static_cast<int>(buffers_.size()) - 1;
  }
  const int b = free_buffers_.back();
  free_buffers_.pop_back();
  return b;
}

// The histogram of a leaf about to be split whose buffer went to the budget: rebuilt over the
// leaf's rows for the features its children will evaluate (used, and splittable in this leaf),
// with the most frequent bin fixed as when it was first built. Each bin is again the sum over
// the same rows in the same order, so the rebuilt histogram equals the dropped one bit for bit.
void LeafWiseLearner::rebuild_histogram(int leaf) {
  if (!direct_histogram_[leaf]) {
    throw std::logic_error("GBDT learner: split leaf has no histogram");
  }
  release_unsplittable_leaves(max_leaves_ - 1 - num_leaves_, leaf);
  leaf_buffer_[leaf] = acquire_buffer(leaf);
  const std::vector<char>& flags = splittable_[leaf];
  std::vector<int> features;
  for (int f = 0; f < static_cast<int>(features_.size()); ++f) {
    if ((*feature_used_)[f] && flags[f]) features.push_back(f);
  }
  double* hist = leaf_histogram(leaf);
  const int64_t count = leaf_count_[leaf];
  construct_histograms(bins_, layout_, features,
                       count == bins_.num_rows ? nullptr : rows_.data() + leaf_begin_[leaf], count,
                       grad_, hess_, hist, *pool_);
  for (int f : features) {
    const FeatureMeta& meta = features_[f].meta;
    fix_most_frequent_bin(hist + 2 * layout_.offset[f], meta.num_bins,
                          static_cast<int>(meta.most_freq_bin), sum_gradient_[leaf],
                          sum_hessian_[leaf]);
  }
  ++num_rebuilds_;
}

// A leaf is split only when it is the ArgMax of the leaves (train()); a leaf L ranks behind
// every leaf whose best split is better_than L's (also across ties, since better_than is a
// strict order on the non-NaN gains, and a NaN gain is never better than anything). Those
// leaves keep their best split until they are split themselves, and each split of them takes
// one of the remaining splits: with `remaining_splits` or more of them ahead, L is never
// split, so its histogram (needed only for the subtraction when L is split) is never read.
// Leaves with gain <= 0 are never split either (train() stops at a best gain <= 0).
void LeafWiseLearner::release_unsplittable_leaves(int remaining_splits, int except) {
  for (int l = 0; l < num_leaves_; ++l) {
    if (l == except || leaf_buffer_[l] < 0) continue;
    bool release = best_split_[l].gain <= 0.0;
    if (!release) {
      int ahead = 0;
      for (int m = 0; m < num_leaves_ && ahead < remaining_splits; ++m) {
        if (m != l && m != except && best_split_[m].better_than(best_split_[l])) ++ahead;
      }
      release = ahead >= remaining_splits;
    }
    if (release) {
      free_buffers_.push_back(leaf_buffer_[l]);
      leaf_buffer_[l] = -1;
    }
  }
}

}  // namespace traind::engines::trees::detail
