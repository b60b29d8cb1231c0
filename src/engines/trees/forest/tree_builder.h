// Growing one tree of a forest with scikit-learn 1.2's BestSplitter and its depth-first /
// best-first builders (sklearn/tree/_splitter.pyx, _tree.pyx), on float32 features.
//
// The training columns are shared read-only by every tree; each tree gets its row weights
// (bootstrap counts x sample weights; 0 = not in the tree) and a splitter seed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engines/trees/forest/forest_model_data.h"

namespace traind::engines::trees::detail {

enum class SplitCriterion {
  kGini,
  kEntropy,
  kSquaredError,
  kFriedmanMse,
  kAbsoluteError,
  kPoisson
};

// The training set as the splitter reads it: float32 columns plus, per column, the rank of
// each value among the column's sorted distinct values (so node sorts are integer sorts).
struct TrainingColumns {
  int64_t n_rows = 0;
  int n_features = 0;
  std::vector<float> x;  // column-major float32
  // Row-major (row r, feature f at r * n_features + f) when nodes evaluate many features, so
  // that those of one row share cache lines; column-major otherwise (large nodes then stream
  // a column). Bits 0-30 = rank of the value among the column's distinct values, bit 31 =
  // the value is within 1e-7 of the next smaller distinct value (scikit-learn's adjacency rule
  // then needs the values themselves; otherwise differing ranks suffice).
  std::vector<uint32_t> rank;
  std::vector<int64_t> distinct_offset;  // n_features + 1 offsets into distinct
  std::vector<float> distinct;           // each column's sorted distinct values
  int n_classes = 0;                     // 0 = regression
  std::vector<int32_t> class_index;      // classification
  std::vector<double> y;                 // regression

  const float* column(int f) const { return x.data() + static_cast<int64_t>(f) * n_rows; }
  bool rank_row_major = false;

  // Feature f's rank of row r is ranks(f)[r * rank_stride()].
  int64_t rank_stride() const { return rank_row_major ? n_features : 1; }
  const uint32_t* ranks(int f) const {
    return rank.data() + (rank_row_major ? f : static_cast<int64_t>(f) * n_rows);
  }
  const float* distinct_values(int f) const { return distinct.data() + distinct_offset[f]; }
};

inline constexpr uint32_t kCloseToPrevious = 0x80000000u;
inline constexpr uint32_t kRankMask = 0x7FFFFFFFu;

// Builds the ranks of TrainingColumns from its float32 columns (n_threads for the per-column
// sorts); `row_major` picks the rank layout (see TrainingColumns::rank).
void index_training_columns(TrainingColumns& columns, bool row_major, int n_threads);

struct TreeGrowParams {
  SplitCriterion criterion = SplitCriterion::kGini;
  int max_depth = 2147483647;
  int64_t min_samples_split = 2;
  int64_t min_samples_leaf = 1;
  double min_weight_leaf = 0.0;
  int max_features = 1;
  std::optional<int> max_leaf_nodes;
  double min_impurity_decrease = 0.0;
};

// Grows one tree (without pruning). `row_weights` has n_rows entries.
ForestTree grow_tree(const TrainingColumns& columns, const TreeGrowParams& params,
                     const std::vector<double>& row_weights, uint32_t seed);

}  // namespace traind::engines::trees::detail
