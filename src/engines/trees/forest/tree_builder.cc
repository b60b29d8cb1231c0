// Tree growth with scikit-learn 1.2's BestSplitter, DepthFirstTreeBuilder and
// BestFirstTreeBuilder semantics. The random draws are traind's own (trees.md §B.5); every
// rule that decides a split (constant features, the 1e-7 adjacency rule, min_samples_leaf,
// min_weight_leaf, float32 midpoints, stopping rules) is scikit-learn's.
#include "engines/trees/forest/tree_builder.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>
#include <thread>
#include <utility>

#include "engines/trees/forest/absolute_error_criterion.h"
#include "engines/trees/forest/forest_rng.h"
#include "engines/trees/forest/split_criteria.h"

namespace traind::engines::trees::detail {
namespace {

// scikit-learn's FEATURE_THRESHOLD: values closer than this are not split apart.
constexpr double kFeatureThreshold = 1e-7;
// Up to this many rows a comparison sort beats the radix sort's fixed cost.
constexpr int64_t kComparisonSortMaxRows = 32;
// Rows ahead whose rank is prefetched while gathering a node's keys.
constexpr int64_t kPrefetchDistance = 24;

struct SplitRecord {
  int feature = kTreeUndefined;
  int64_t pos = 0;  // rows [0, pos) of the node go left; pos == n means no split found
  double threshold = kUndefinedThreshold;
  double improvement = -kInfinity;
  double impurity_left = kInfinity;
  double impurity_right = kInfinity;
};

// Sorts 64-bit keys by their high 32 bits, all within [low, high]: LSD radix over high - low
// (digits of <= 8 bits for small inputs, <= 11 bits for large ones); comparison sort for tiny
// inputs. The order of equal high halves is free.
void sort_by_high_bits(uint64_t* keys, int64_t n, uint32_t low, uint32_t high,
                       std::vector<uint64_t>& buffer) {
  if (n <= kComparisonSortMaxRows || low == high) {
    std::sort(keys, keys + n);
    return;
  }
  const int bits = std::bit_width(high - low);
  const int max_digit_bits = n < 2048 ? 8 : 11;
  const int passes = (bits + max_digit_bits - 1) / max_digit_bits;
  const int digit_bits = (bits + passes - 1) / passes;
  const uint32_t mask = (uint32_t{1} << digit_bits) - 1;
  if (static_cast<int64_t>(buffer.size()) < n) buffer.resize(n);
  std::array<int64_t, 2049> counts;
  uint64_t* from = keys;
  uint64_t* to = buffer.data();
  for (int pass = 0; pass < passes; ++pass) {
    const int shift = pass * digit_bits;
    auto digit = [&](uint64_t key) {
      return ((static_cast<uint32_t>(key >> 32) - low) >> shift) & mask;
    };
    std::fill(counts.begin(), counts.begin() + (mask + 2), 0);
    for (int64_t i = 0; i < n; ++i) ++counts[digit(from[i]) + 1];
    for (uint32_t d = 1; d <= mask + 1; ++d) counts[d] += counts[d - 1];
    for (int64_t i = 0; i < n; ++i) to[counts[digit(from[i])]++] = from[i];
    std::swap(from, to);
  }
  if (from != keys) std::copy(from, from + n, keys);
}

// Order-preserving map of a finite float onto uint32 (negative values flipped).
uint32_t float_sort_key(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  if (v == 0.0f) bits = 0;  // -0.0 == +0.0
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

template <class Criterion>
class TreeGrower {
 public:
  TreeGrower(const TrainingColumns& columns, const TreeGrowParams& params,
             const std::vector<double>& weights, uint32_t seed, Criterion criterion)
      : columns_(columns),
        params_(params),
        weights_(weights),
        rng_(splitter_stream(seed)),
        criterion_(std::move(criterion)) {
    for (int64_t r = 0; r < columns.n_rows; ++r) {
      if (weights[r] != 0.0) samples_.push_back(static_cast<uint32_t>(r));
    }
    features_.resize(columns.n_features);
    std::iota(features_.begin(), features_.end(), 0);
    constant_features_.assign(columns.n_features, 0);
    keys_.resize(samples_.size());
    tree_.seed = seed;
    tree_.value_width = criterion_.value_width();
  }

  ForestTree grow() {
    if (params_.max_leaf_nodes) {
      grow_best_first(*params_.max_leaf_nodes);
    } else {
      grow_depth_first();
    }
    tree_.max_depth = max_depth_seen_;
    return std::move(tree_);
  }

 private:
  struct StackRecord {
    int64_t start, end;
    int depth, parent;
    bool is_left;
    double impurity;
    int n_constant_features;
  };

  struct FrontierRecord {
    int node_id;
    int64_t start, end, pos;
    int depth;
    bool is_leaf;
    double impurity, impurity_left, impurity_right, improvement;
  };

  bool stops_before_split(int64_t n, double weighted, int depth) const {
    return depth >= params_.max_depth || n < params_.min_samples_split ||
           n < 2 * params_.min_samples_leaf || weighted < 2 * params_.min_weight_leaf;
  }

  void grow_depth_first() {
    std::vector<StackRecord> stack;
    stack.push_back({0, static_cast<int64_t>(samples_.size()), 0, -1, false, kInfinity, 0});
    bool first = true;
    while (!stack.empty()) {
      StackRecord record = stack.back();
      stack.pop_back();
      const int64_t n = record.end - record.start;
      criterion_.init_node(samples_.data() + record.start, n);
      const double weighted = criterion_.weighted_node();
      bool is_leaf = stops_before_split(n, weighted, record.depth);
      if (first) {
        record.impurity = criterion_.node_impurity();
        first = false;
      }
      is_leaf = is_leaf || record.impurity <= kEpsilon;
      SplitRecord split;
      split.pos = n;
      int n_constant = record.n_constant_features;
      if (!is_leaf) {
        split = split_node(record.start, record.end, record.impurity, &n_constant);
        is_leaf = split.pos >= n || split.improvement + kEpsilon < params_.min_impurity_decrease;
      }
      const int node =
          add_node(record.parent, record.is_left, is_leaf, split, record.impurity, n, weighted);
      if (!is_leaf) {
        const int64_t mid = record.start + split.pos;
        stack.push_back(
            {mid, record.end, record.depth + 1, node, false, split.impurity_right, n_constant});
        stack.push_back(
            {record.start, mid, record.depth + 1, node, true, split.impurity_left, n_constant});
      }
      max_depth_seen_ = std::max(max_depth_seen_, record.depth);
    }
  }

  FrontierRecord add_split_node(int64_t start, int64_t end, double impurity, bool is_first,
                                bool is_left, int parent, int depth) {
    const int64_t n = end - start;
    criterion_.init_node(samples_.data() + start, n);
    const double weighted = criterion_.weighted_node();
    if (is_first) impurity = criterion_.node_impurity();
    bool is_leaf = stops_before_split(n, weighted, depth) || impurity <= kEpsilon;
    SplitRecord split;
    split.pos = n;
    if (!is_leaf) {
      // scikit-learn's best-first builder does not carry constant features between nodes.
      int n_constant = 0;
      split = split_node(start, end, impurity, &n_constant);
      is_leaf = split.pos >= n || split.improvement + kEpsilon < params_.min_impurity_decrease;
    }
    const int node = add_node(parent, is_left, is_leaf, split, impurity, n, weighted);
    FrontierRecord record{node, start, end, n, depth, is_leaf, impurity, impurity, impurity, 0.0};
    if (!is_leaf) {
      record.pos = split.pos;
      record.improvement = split.improvement;
      record.impurity_left = split.impurity_left;
      record.impurity_right = split.impurity_right;
    }
    return record;
  }

  void grow_best_first(int max_leaf_nodes) {
    // std heap with scikit-learn's comparator, so equal improvements pop in the same order.
    const auto less = [](const FrontierRecord& a, const FrontierRecord& b) {
      return a.improvement < b.improvement;
    };
    std::vector<FrontierRecord> frontier;
    int max_split_nodes = max_leaf_nodes - 1;
    frontier.push_back(
        add_split_node(0, static_cast<int64_t>(samples_.size()), kInfinity, true, false, -1, 0));
    while (!frontier.empty()) {
      std::pop_heap(frontier.begin(), frontier.end(), less);
      const FrontierRecord record = frontier.back();
      frontier.pop_back();
      if (record.is_leaf || max_split_nodes <= 0) {
        tree_.children_left[record.node_id] = kTreeLeaf;
        tree_.children_right[record.node_id] = kTreeLeaf;
        tree_.feature[record.node_id] = kTreeUndefined;
        tree_.threshold[record.node_id] = kUndefinedThreshold;
      } else {
        --max_split_nodes;
        const int64_t mid = record.start + record.pos;
        frontier.push_back(add_split_node(record.start, mid, record.impurity_left, false, true,
                                          record.node_id, record.depth + 1));
        std::push_heap(frontier.begin(), frontier.end(), less);
        frontier.push_back(add_split_node(mid, record.end, record.impurity_right, false, false,
                                          record.node_id, record.depth + 1));
        std::push_heap(frontier.begin(), frontier.end(), less);
      }
      max_depth_seen_ = std::max(max_depth_seen_, record.depth);
    }
  }

  int add_node(int parent, bool is_left, bool is_leaf, const SplitRecord& split, double impurity,
               int64_t n, double weighted) {
    const int node = tree_.node_count();
    if (parent >= 0) {
      (is_left ? tree_.children_left : tree_.children_right)[parent] = node;
    }
    tree_.children_left.push_back(kTreeLeaf);
    tree_.children_right.push_back(kTreeLeaf);
    tree_.feature.push_back(is_leaf ? kTreeUndefined : split.feature);
    tree_.threshold.push_back(is_leaf ? kUndefinedThreshold : split.threshold);
    tree_.impurity.push_back(impurity);
    tree_.n_node_samples.push_back(n);
    tree_.weighted_n_node_samples.push_back(weighted);
    tree_.value.resize(tree_.value.size() + tree_.value_width);
    criterion_.node_value(tree_.value.data() + tree_.value.size() - tree_.value_width);
    return node;
  }

  // BestSplitter.node_split: draws features until max_features non-constant ones were
  // evaluated (constants found on the way are remembered for the descendants).
  SplitRecord split_node(int64_t start, int64_t end, double impurity, int* n_constant_features) {
    const int64_t n = end - start;
    const int64_t min_leaf = params_.min_samples_leaf;
    const double min_weight = params_.min_weight_leaf;
    SplitRecord best;
    best.pos = n;
    double best_proxy = -kInfinity;

    int f_i = columns_.n_features;
    int n_found_constants = 0, n_drawn_constants = 0;
    const int n_known_constants = *n_constant_features;
    int n_total_constants = n_known_constants;
    int n_visited = 0;
    uint64_t* keys = keys_.data();
    const uint32_t* rows = samples_.data() + start;
    bool gathered = false;

    while (f_i > n_total_constants && (n_visited < params_.max_features ||
                                       n_visited <= n_found_constants + n_drawn_constants)) {
      ++n_visited;
      int f_j = n_drawn_constants +
                static_cast<int>(rng_.below(f_i - n_found_constants - n_drawn_constants));
      if (f_j < n_known_constants) {
        std::swap(features_[n_drawn_constants], features_[f_j]);
        ++n_drawn_constants;
        continue;
      }
      f_j += n_found_constants;
      const int feature = features_[f_j];
      const uint32_t* ranks = columns_.ranks(feature);
      const int64_t stride = columns_.rank_stride();
      const float* values = columns_.distinct_values(feature);
      // Keys: rank << 32 | close-to-previous flag (bit 31) | position in the node. Node rows
      // are kept in ascending row order, so this gather walks the rank array forwards.
      uint32_t min_rank = kRankMask, max_rank = 0;
      for (int64_t i = 0; i < n; ++i) {
        // Deep nodes hold scattered rows: fetch ahead to overlap the cache misses.
        if (i + kPrefetchDistance < n) {
          __builtin_prefetch(ranks + static_cast<int64_t>(rows[i + kPrefetchDistance]) * stride);
        }
        const uint32_t word = ranks[static_cast<int64_t>(rows[i]) * stride];
        const uint32_t rank = word & kRankMask;
        min_rank = std::min(min_rank, rank);
        max_rank = std::max(max_rank, rank);
        keys[i] = (static_cast<uint64_t>(rank) << 32) | (word & kCloseToPrevious) |
                  static_cast<uint64_t>(i);
      }
      if (static_cast<double>(values[max_rank]) <=
          static_cast<double>(values[min_rank]) + kFeatureThreshold) {
        std::swap(features_[f_j], features_[n_total_constants]);
        ++n_found_constants;
        ++n_total_constants;
        continue;
      }
      --f_i;
      std::swap(features_[f_i], features_[f_j]);
      if (!gathered) {
        criterion_.gather(rows, n);
        gathered = true;
      }
      sort_by_high_bits(keys, n, min_rank, max_rank, radix_buffer_);

      // Candidates lie between sorted neighbours a < b with b > a + 1e-7 (in double). Equal
      // ranks are equal values; differing ranks need the values only when b is flagged as
      // close to its predecessor in the whole column. Rows move left one at a time.
      criterion_.reset_left();
      const int64_t first = std::max<int64_t>(1, min_leaf);
      const int64_t last = n - min_leaf;  // later positions leave too few rows on the right
      for (int64_t i = 0; i + 1 < first; ++i) {
        criterion_.add_left_local(static_cast<uint32_t>(keys[i]) & kRankMask);
      }
      for (int64_t p = first; p <= last; ++p) {
        if (p + kPrefetchDistance < n) {
          criterion_.prefetch_local(static_cast<uint32_t>(keys[p + kPrefetchDistance]) & kRankMask);
        }
        const uint64_t key = keys[p];
        const uint64_t previous = keys[p - 1];
        criterion_.add_left_local(static_cast<uint32_t>(previous) & kRankMask);
        if ((key >> 32) == (previous >> 32)) continue;
        if ((key & kCloseToPrevious) &&
            static_cast<double>(values[key >> 32]) <=
                static_cast<double>(values[previous >> 32]) + kFeatureThreshold) {
          continue;
        }
        if (criterion_.weighted_left() < min_weight || criterion_.weighted_right() < min_weight) {
          continue;
        }
        const double proxy = criterion_.proxy();
        if (proxy > best_proxy) {
          best_proxy = proxy;
          best.feature = feature;
          best.pos = p;
          const double a = values[previous >> 32];
          const double b = values[key >> 32];
          double threshold = a / 2.0 + b / 2.0;
          if (threshold == b || std::isinf(threshold)) threshold = a;
          best.threshold = threshold;
        }
      }
    }

    if (best.pos < n) {
      // x <= threshold goes left. A stable partition keeps both children in ascending row
      // order (scikit-learn's in-place partition only changes summation order, not counts).
      uint32_t* node_rows = samples_.data() + start;
      const float* column = columns_.column(best.feature);
      if (static_cast<int64_t>(partition_buffer_.size()) < n) partition_buffer_.resize(n);
      int64_t n_left = 0, n_right = 0;
      for (int64_t q = 0; q < n; ++q) {
        const uint32_t row = node_rows[q];
        if (static_cast<double>(column[row]) <= best.threshold) {
          node_rows[n_left++] = row;
        } else {
          partition_buffer_[n_right++] = row;
        }
      }
      std::copy(partition_buffer_.begin(), partition_buffer_.begin() + n_right, node_rows + n_left);
      criterion_.children_impurity(node_rows, n, best.pos, &best.impurity_left,
                                   &best.impurity_right);
      best.improvement = criterion_.improvement(impurity, best.impurity_left, best.impurity_right);
    }

    // Keep the invariant: features_[0, n_known) are the constants known at this node, and
    // constant_features_ lists the constants known to the children.
    std::copy(constant_features_.begin(), constant_features_.begin() + n_known_constants,
              features_.begin());
    std::copy(features_.begin() + n_known_constants,
              features_.begin() + n_known_constants + n_found_constants,
              constant_features_.begin() + n_known_constants);
    *n_constant_features = n_total_constants;
    return best;
  }

  const TrainingColumns& columns_;
  const TreeGrowParams& params_;
  const std::vector<double>& weights_;
  SplitMix64 rng_;
  Criterion criterion_;
  std::vector<uint32_t> samples_;
  std::vector<int> features_;
  std::vector<int> constant_features_;
  std::vector<uint64_t> keys_;
  std::vector<uint64_t> radix_buffer_;
  std::vector<uint32_t> partition_buffer_;
  ForestTree tree_;
  int max_depth_seen_ = 0;
};

template <class Criterion>
ForestTree grow_with(const TrainingColumns& columns, const TreeGrowParams& params,
                     const std::vector<double>& weights, uint32_t seed, Criterion criterion) {
  TreeGrower<Criterion> grower(columns, params, weights, seed, std::move(criterion));
  return grower.grow();
}

}  // namespace

void index_training_columns(TrainingColumns& columns, bool row_major, int n_threads) {
  const int64_t n = columns.n_rows;
  const int p = columns.n_features;
  columns.rank.assign(static_cast<size_t>(n) * p, 0);
  columns.rank_row_major = row_major;
  std::vector<std::vector<float>> distinct(p);
  auto index_column = [&](int f) {
    const float* column = columns.column(f);
    std::vector<uint64_t> keys(n), buffer;
    for (int64_t r = 0; r < n; ++r) {
      keys[r] = (static_cast<uint64_t>(float_sort_key(column[r])) << 32) | static_cast<uint64_t>(r);
    }
    sort_by_high_bits(keys.data(), n, 0, 0xFFFFFFFFu, buffer);
    uint32_t* ranks = const_cast<uint32_t*>(columns.ranks(f));
    const int64_t stride = columns.rank_stride();
    std::vector<float>& values = distinct[f];
    uint32_t flag = 0;
    for (int64_t i = 0; i < n; ++i) {
      const uint32_t row = static_cast<uint32_t>(keys[i]);
      const float v = column[row];
      if (values.empty() || v != values.back()) {
        flag = !values.empty() && static_cast<double>(v) <=
                                      static_cast<double>(values.back()) + kFeatureThreshold
                   ? kCloseToPrevious
                   : 0;
        values.push_back(v);
      }
      ranks[static_cast<int64_t>(row) * stride] = static_cast<uint32_t>(values.size() - 1) | flag;
    }
  };
  n_threads = std::max(1, std::min(n_threads, p));
  std::vector<std::thread> threads;
  for (int t = 0; t < n_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int f = t; f < p; f += n_threads) index_column(f);
    });
  }
  for (std::thread& thread : threads) thread.join();
  columns.distinct_offset.assign(p + 1, 0);
  for (int f = 0; f < p; ++f) {
    columns.distinct_offset[f + 1] = columns.distinct_offset[f] + distinct[f].size();
  }
  columns.distinct.clear();
  columns.distinct.reserve(columns.distinct_offset[p]);
  for (int f = 0; f < p; ++f) {
    columns.distinct.insert(columns.distinct.end(), distinct[f].begin(), distinct[f].end());
  }
}

ForestTree grow_tree(const TrainingColumns& columns, const TreeGrowParams& params,
                     const std::vector<double>& row_weights, uint32_t seed) {
  CriterionInputs in;
  in.weight = row_weights.data();
  in.class_index = columns.class_index.data();
  in.y = columns.y.data();
  in.n_classes = columns.n_classes;
  for (double w : row_weights) in.weighted_n_samples += w;
  switch (params.criterion) {
    case SplitCriterion::kGini:
      return grow_with(columns, params, row_weights, seed, ClassificationCriterion<false>(in));
    case SplitCriterion::kEntropy:
      return grow_with(columns, params, row_weights, seed, ClassificationCriterion<true>(in));
    case SplitCriterion::kSquaredError:
      return grow_with(columns, params, row_weights, seed,
                       RegressionCriterion<RegressionKind::kSquaredError>(in));
    case SplitCriterion::kFriedmanMse:
      return grow_with(columns, params, row_weights, seed,
                       RegressionCriterion<RegressionKind::kFriedmanMse>(in));
    case SplitCriterion::kPoisson:
      return grow_with(columns, params, row_weights, seed,
                       RegressionCriterion<RegressionKind::kPoisson>(in));
    case SplitCriterion::kAbsoluteError:
      return grow_with(columns, params, row_weights, seed,
                       AbsoluteErrorCriterion(in, columns.n_rows));
  }
  return ForestTree();
}

}  // namespace traind::engines::trees::detail
