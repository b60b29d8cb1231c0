// Leaf-wise tree growth (LightGBM SerialTreeLearner::Train, BeforeFindBestSplit,
// FindBestSplitsFromHistograms, SplitInner; Tree::Split for the node bookkeeping).
#include "engines/trees/gbdt/leaf_wise_learner.h"

#include <algorithm>
#include <cmath>

#include "engines/trees/gbdt/objective.h"

namespace traind::engines::trees::detail {
namespace {

constexpr double kMinScore = -std::numeric_limits<double>::infinity();

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
  const int64_t n = bins_.num_rows;
  const int nf = bins_.num_features;
  auto transpose = [&](const auto* rows, auto& columns) {
    columns.resize(static_cast<size_t>(n) * nf);
    for (int64_t r = 0; r < n; ++r) {
      for (int f = 0; f < nf; ++f) columns[f * n + r] = rows[r * nf + f];
    }
  };
  if (bins_.bins8 != nullptr) {
    transpose(bins_.bins8, columns8_);
  } else {
    transpose(bins_.bins16, columns16_);
  }
  layout_ = HistogramLayout::from_bin_counts(num_bins);
  buffers_.resize(max_leaves_);
  nodes_.resize(std::max(1, max_leaves_ - 1));
  splittable_.resize(max_leaves_);
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
  // Partition: every in-bag row in leaf 0.
  if (bag_rows.empty()) {
    rows_.resize(bins_.num_rows);
    for (int64_t i = 0; i < bins_.num_rows; ++i) rows_[i] = static_cast<int>(i);
  } else {
    rows_.assign(bag_rows.begin(), bag_rows.end());
  }
  scratch_.resize(rows_.size());
  num_leaves_ = 1;
  leaf_begin_[0] = 0;
  leaf_count_[0] = static_cast<int>(rows_.size());
  depth_[0] = 0;
  parent_node_[0] = -1;
  leaf_buffer_[0] = 0;
  next_buffer_ = 1;
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
  for (int leaf : {smaller_leaf_, larger_leaf_}) {
    if (leaf < 0) continue;
    auto& buffer = buffers_[leaf_buffer_[leaf]];
    if (buffer.empty()) buffer.assign(2 * static_cast<size_t>(layout_.total_bins), 0.0);
    auto& flags = splittable_[leaf_buffer_[leaf]];
    if (flags.empty()) flags.assign(num_features, 1);
  }
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
  int* right = scratch_.data();
  int n_left = 0;
  int n_right = 0;
  const char* left_bin = nodes_[num_leaves_ - 1].left_bins.data();
  // Branch-free: each row is written to both outputs and one of the counters advances
  // (rows[n_left] may be overwritten in place because n_left <= i).
  auto run = [&](const auto* column) {
    for (int i = 0; i < count; ++i) {
      const int r = rows[i];
      const int left = left_bin[column[r]];
      rows[n_left] = r;
      right[n_right] = r;
      n_left += left;
      n_right += 1 - left;
    }
  };
  const int64_t column_start = static_cast<int64_t>(split.feature) * bins_.num_rows;
  if (!columns8_.empty()) {
    run(columns8_.data() + column_start);
  } else {
    run(columns16_.data() + column_start);
  }
  std::copy(right, right + n_right, rows + n_left);
  leaf_count_[leaf] = n_left;
  leaf_begin_[new_leaf] = begin + n_left;
  leaf_count_[new_leaf] = n_right;
  return n_left;
}

void LeafWiseLearner::split(int leaf, Tree* tree, int* left_leaf, int* right_leaf) {
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
  // The larger child inherits the parent's histogram buffer (and flags); the smaller one
  // gets a fresh buffer (one per split, so max_leaves buffers suffice).
  const int parent_buffer = leaf_buffer_[leaf];
  const int fresh_buffer = next_buffer_++;
  if (s.left_count < s.right_count) {
    leaf_buffer_[right] = parent_buffer;
    leaf_buffer_[leaf] = fresh_buffer;
  } else {
    leaf_buffer_[right] = fresh_buffer;
  }
  ++num_leaves_;
  *left_leaf = leaf;
  *right_leaf = right;
}

}  // namespace traind::engines::trees::detail
