// Split finding on one feature's histogram, with LightGBM 4.6's rules
// (treelearner/feature_histogram.hpp/.cpp): gain and leaf-output formulas, count estimation
// from hessians, the two missing-value passes, one-vs-rest and many-vs-many categorical
// splits, and the tie rules. No path smoothing, monotone constraints or extra trees.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

// What the split finder needs to know about a used feature's bins.
struct FeatureMeta {
  int column = 0;  // original column index (ties prefer the smaller one)
  int num_bins = 0;
  MissingType missing_type = MissingType::kNone;
  uint32_t default_bin = 0;    // bin of the value 0
  uint32_t most_freq_bin = 0;  // LightGBM's histograms leave this bin out ("offset")
  bool categorical = false;
};

struct SplitParams {
  int min_data_in_leaf = 20;
  double min_sum_hessian_in_leaf = 1e-3;
  double lambda_l1 = 0.0;
  double lambda_l2 = 0.0;
  double min_gain_to_split = 0.0;
  double max_delta_step = 0.0;
  int max_cat_to_onehot = 4;
  int max_cat_threshold = 32;
  double cat_smooth = 10.0;
  double cat_l2 = 10.0;
  int min_data_per_group = 100;

  static SplitParams from_config(const GbdtConfig& config);
};

// LightGBM's SplitInfo.
struct SplitCandidate {
  int feature = -1;  // used-feature index
  int column = -1;   // original column index
  double gain = -std::numeric_limits<double>::infinity();
  uint32_t threshold = 0;  // numerical: the highest bin that goes left (non-missing rows)
  bool default_left = true;
  std::vector<uint32_t> cat_bins;  // categorical: the bins that go left
  double left_output = 0.0;
  double right_output = 0.0;
  double left_sum_gradient = 0.0;
  double left_sum_hessian = 0.0;
  double right_sum_gradient = 0.0;
  double right_sum_hessian = 0.0;
  int left_count = 0;
  int right_count = 0;

  // LightGBM's SplitInfo::operator>: higher gain, then the smaller column (-1 last).
  bool better_than(const SplitCandidate& other) const {
    if (gain != other.gain) return gain > other.gain;
    const int a = column < 0 ? std::numeric_limits<int>::max() : column;
    const int b = other.column < 0 ? std::numeric_limits<int>::max() : other.column;
    return a < b;
  }
};

// T(G) = sign(G)·max(0, |G| − l1) (LightGBM ThresholdL1).
inline double threshold_l1(double s, double l1) {
  const double reg = std::max(0.0, std::fabs(s) - l1);
  const double sign = static_cast<double>((s > 0) - (s < 0));
  return sign * reg;
}

// −T(G)/(H+l2), clamped to ±max_delta_step when that is > 0 (CalculateSplittedLeafOutput).
inline double leaf_output(double sum_gradient, double sum_hessian, double l1, double l2,
                          double max_delta_step) {
  double ret = l1 > 0 ? -threshold_l1(sum_gradient, l1) / (sum_hessian + l2)
                      : -sum_gradient / (sum_hessian + l2);
  if (max_delta_step > 0 && std::fabs(ret) > max_delta_step) {
    ret = static_cast<double>((ret > 0) - (ret < 0)) * max_delta_step;
  }
  return ret;
}

// T(G)²/(H+l2), or evaluated at the clamped output when max_delta_step > 0 (GetLeafGain).
inline double leaf_gain(double sum_gradient, double sum_hessian, double l1, double l2,
                        double max_delta_step) {
  const double sg = l1 > 0 ? threshold_l1(sum_gradient, l1) : sum_gradient;
  if (max_delta_step <= 0) return (sg * sg) / (sum_hessian + l2);
  const double output = leaf_output(sum_gradient, sum_hessian, l1, l2, max_delta_step);
  return -(2.0 * sg * output + (sum_hessian + l2) * output * output);
}

// Best split of one feature in a leaf with sums (sum_gradient, sum_hessian) over num_data
// rows. `hist` holds 2 doubles (ΣG, ΣH) per bin, indexed by bin. Fills `out` (gain -inf if
// none) and returns whether any threshold beat the no-split gain (LightGBM's is_splittable,
// which decides whether the leaf's children look at this feature at all).
bool find_best_split(const double* hist, const FeatureMeta& feature, const SplitParams& params,
                     double sum_gradient, double sum_hessian, int num_data, SplitCandidate* out);

}  // namespace traind::engines::trees::detail
