// Split finding, operation for operation as LightGBM 4.6's FeatureHistogram (float kEpsilon
// added to hessian sums, counts estimated as (int)(H·n/H_leaf + 0.5), strict comparisons), so
// that thresholds and gains agree with LightGBM's bit for bit.
//
// LightGBM indexes a feature's histogram without its bin 0 when bin 0 is the most frequent
// bin ("offset" 1). Scans below keep LightGBM's index t and read real bin t + offset, which
// reproduces where LightGBM derives bin 0's sums by subtraction instead of reading them.
#include "engines/trees/gbdt/split_finder.h"

#include <algorithm>
#include <cmath>

#include "engines/trees/gbdt/objective.h"

namespace traind::engines::trees::detail {
namespace {

constexpr double kMinScore = -std::numeric_limits<double>::infinity();

int round_count(double x) { return static_cast<int>(x + 0.5f); }

// Reads the histogram with LightGBM's index t (real bin t + offset).
struct OffsetHistogram {
  const double* hist;
  int offset;
  double grad(int t) const { return hist[2 * (t + offset)]; }
  double hess(int t) const { return hist[2 * (t + offset) + 1]; }
};

struct ScanState {
  bool splittable = false;
};

// FindBestThresholdSequentially for one direction.
template <bool kReverse, bool kSkipDefaultBin, bool kNaAsMissing>
void scan_numerical(const OffsetHistogram& h, const FeatureMeta& meta, const SplitParams& p,
                    double sum_gradient, double sum_hessian, int num_data, double min_gain_shift,
                    ScanState* state, SplitCandidate* out) {
  const int offset = h.offset;
  const int num_bin = meta.num_bins;
  const double cnt_factor = num_data / sum_hessian;
  const double l1 = p.lambda_l1, l2 = p.lambda_l2, mds = p.max_delta_step;
  double best_sum_left_gradient = NAN;
  double best_sum_left_hessian = NAN;
  double best_gain = kMinScore;
  int best_left_count = 0;
  uint32_t best_threshold = static_cast<uint32_t>(num_bin);

  if (kReverse) {
    double sum_right_gradient = 0.0;
    double sum_right_hessian = kEpsilon;
    int right_count = 0;
    int t = num_bin - 1 - offset - (kNaAsMissing ? 1 : 0);
    const int t_end = 1 - offset;
    for (; t >= t_end; --t) {
      if (kSkipDefaultBin && t + offset == static_cast<int>(meta.default_bin)) continue;
      const double grad = h.grad(t);
      const double hess = h.hess(t);
      const int cnt = round_count(hess * cnt_factor);
      sum_right_gradient += grad;
      sum_right_hessian += hess;
      right_count += cnt;
      if (right_count < p.min_data_in_leaf || sum_right_hessian < p.min_sum_hessian_in_leaf) {
        continue;
      }
      const int left_count = num_data - right_count;
      if (left_count < p.min_data_in_leaf) break;
      const double sum_left_hessian = sum_hessian - sum_right_hessian;
      if (sum_left_hessian < p.min_sum_hessian_in_leaf) break;
      const double sum_left_gradient = sum_gradient - sum_right_gradient;
      const double current_gain = leaf_gain(sum_left_gradient, sum_left_hessian, l1, l2, mds) +
                                  leaf_gain(sum_right_gradient, sum_right_hessian, l1, l2, mds);
      if (current_gain <= min_gain_shift) continue;
      state->splittable = true;
      if (current_gain > best_gain) {
        best_left_count = left_count;
        best_sum_left_gradient = sum_left_gradient;
        best_sum_left_hessian = sum_left_hessian;
        best_threshold = static_cast<uint32_t>(t - 1 + offset);
        best_gain = current_gain;
      }
    }
  } else {
    double sum_left_gradient = 0.0;
    double sum_left_hessian = kEpsilon;
    int left_count = 0;
    int t = 0;
    const int t_end = num_bin - 2 - offset;
    if (kNaAsMissing && offset == 1) {
      // Bin 0 is not in LightGBM's histogram: its sums are the leaf's minus all others.
      sum_left_gradient = sum_gradient;
      sum_left_hessian = sum_hessian - kEpsilon;
      left_count = num_data;
      for (int i = 0; i < num_bin - offset; ++i) {
        const double grad = h.grad(i);
        const double hess = h.hess(i);
        sum_left_gradient -= grad;
        sum_left_hessian -= hess;
        left_count -= round_count(hess * cnt_factor);
      }
      t = -1;
    }
    for (; t <= t_end; ++t) {
      if (kSkipDefaultBin && t + offset == static_cast<int>(meta.default_bin)) continue;
      if (t >= 0) {
        sum_left_gradient += h.grad(t);
        sum_left_hessian += h.hess(t);
        left_count += round_count(h.hess(t) * cnt_factor);
      }
      if (left_count < p.min_data_in_leaf || sum_left_hessian < p.min_sum_hessian_in_leaf) {
        continue;
      }
      const int right_count = num_data - left_count;
      if (right_count < p.min_data_in_leaf) break;
      const double sum_right_hessian = sum_hessian - sum_left_hessian;
      if (sum_right_hessian < p.min_sum_hessian_in_leaf) break;
      const double sum_right_gradient = sum_gradient - sum_left_gradient;
      const double current_gain = leaf_gain(sum_left_gradient, sum_left_hessian, l1, l2, mds) +
                                  leaf_gain(sum_right_gradient, sum_right_hessian, l1, l2, mds);
      if (current_gain <= min_gain_shift) continue;
      state->splittable = true;
      if (current_gain > best_gain) {
        best_left_count = left_count;
        best_sum_left_gradient = sum_left_gradient;
        best_sum_left_hessian = sum_left_hessian;
        best_threshold = static_cast<uint32_t>(t + offset);
        best_gain = current_gain;
      }
    }
  }

  // The second pass replaces the first only if strictly better (ties: missing goes left).
  if (state->splittable && best_gain > out->gain + min_gain_shift) {
    out->threshold = best_threshold;
    out->left_output = leaf_output(best_sum_left_gradient, best_sum_left_hessian, l1, l2, mds);
    out->left_count = best_left_count;
    out->left_sum_gradient = best_sum_left_gradient;
    out->left_sum_hessian = best_sum_left_hessian - kEpsilon;
    out->right_output = leaf_output(sum_gradient - best_sum_left_gradient,
                                    sum_hessian - best_sum_left_hessian, l1, l2, mds);
    out->right_count = num_data - best_left_count;
    out->right_sum_gradient = sum_gradient - best_sum_left_gradient;
    out->right_sum_hessian = sum_hessian - best_sum_left_hessian - kEpsilon;
    out->gain = best_gain - min_gain_shift;
    out->default_left = kReverse;
  }
}

bool find_numerical(const OffsetHistogram& h, const FeatureMeta& meta, const SplitParams& p,
                    double sum_gradient, double sum_hessian, int num_data, SplitCandidate* out) {
  ScanState state;
  const double min_gain_shift =
      leaf_gain(sum_gradient, sum_hessian, p.lambda_l1, p.lambda_l2, p.max_delta_step) +
      p.min_gain_to_split;
  const auto args = [&](auto scan) {
    scan(h, meta, p, sum_gradient, sum_hessian, num_data, min_gain_shift, &state, out);
  };
  if (meta.num_bins > 2 && meta.missing_type != MissingType::kNone) {
    if (meta.missing_type == MissingType::kZero) {
      args(scan_numerical<true, true, false>);
      args(scan_numerical<false, true, false>);
    } else {
      args(scan_numerical<true, false, true>);
      args(scan_numerical<false, false, true>);
    }
  } else {
    args(scan_numerical<true, false, false>);
    // A NaN feature with <= 2 bins: LightGBM sends missing values right.
    if (meta.missing_type == MissingType::kNaN) out->default_left = false;
  }
  return state.splittable;
}

// FindBestThresholdCategoricalInner (bins indexed by real bin; bin 0 is never a candidate).
bool find_categorical(const double* hist, const FeatureMeta& meta, const SplitParams& p,
                      double sum_gradient, double sum_hessian, int num_data, SplitCandidate* out) {
  out->default_left = false;
  bool splittable = false;
  const double l1 = p.lambda_l1, mds = p.max_delta_step;
  const double min_gain_shift =
      leaf_gain(sum_gradient, sum_hessian, l1, p.lambda_l2, mds) + p.min_gain_to_split;
  const int bin_start = 1;
  const int bin_end = meta.num_bins;
  const double cnt_factor = num_data / sum_hessian;
  auto grad = [&](int b) { return hist[2 * b]; };
  auto hess = [&](int b) { return hist[2 * b + 1]; };

  double l2 = p.lambda_l2;
  double best_gain = kMinScore;
  int best_left_count = 0;
  double best_sum_left_gradient = 0.0;
  double best_sum_left_hessian = 0.0;
  int best_threshold = -1;
  int best_dir = 1;
  const bool use_onehot = meta.num_bins <= p.max_cat_to_onehot;
  std::vector<int> sorted_bins;
  int used_bin = -1;

  if (use_onehot) {
    for (int t = bin_start; t < bin_end; ++t) {
      const double g = grad(t);
      const double h = hess(t);
      const int cnt = round_count(h * cnt_factor);
      if (cnt < p.min_data_in_leaf || h < p.min_sum_hessian_in_leaf) continue;
      const int other_count = num_data - cnt;
      if (other_count < p.min_data_in_leaf) continue;
      const double sum_other_hessian = sum_hessian - h - kEpsilon;
      if (sum_other_hessian < p.min_sum_hessian_in_leaf) continue;
      const double sum_other_gradient = sum_gradient - g;
      const double current_gain = leaf_gain(sum_other_gradient, sum_other_hessian, l1, l2, mds) +
                                  leaf_gain(g, h + kEpsilon, l1, l2, mds);
      if (current_gain <= min_gain_shift) continue;
      splittable = true;
      if (current_gain > best_gain) {
        best_threshold = t;
        best_sum_left_gradient = g;
        best_sum_left_hessian = h + kEpsilon;
        best_left_count = cnt;
        best_gain = current_gain;
      }
    }
  } else {
    for (int b = bin_start; b < bin_end; ++b) {
      if (round_count(hess(b) * cnt_factor) >= p.cat_smooth) sorted_bins.push_back(b);
    }
    used_bin = static_cast<int>(sorted_bins.size());
    l2 += p.cat_l2;
    const double cat_smooth = p.cat_smooth;
    std::stable_sort(sorted_bins.begin(), sorted_bins.end(), [&](int a, int b) {
      return grad(a) / (hess(a) + cat_smooth) < grad(b) / (hess(b) + cat_smooth);
    });
    const int max_num_cat = std::min(p.max_cat_threshold, (used_bin + 1) / 2);
    const int directions[2] = {1, -1};
    const int starts[2] = {0, used_bin - 1};
    for (int d = 0; d < 2; ++d) {
      const int dir = directions[d];
      int pos = starts[d];
      int cnt_cur_group = 0;
      double sum_left_gradient = 0.0;
      double sum_left_hessian = kEpsilon;
      int left_count = 0;
      for (int i = 0; i < used_bin && i < max_num_cat; ++i) {
        const int t = sorted_bins[pos];
        pos += dir;
        const double g = grad(t);
        const double h = hess(t);
        const int cnt = round_count(h * cnt_factor);
        sum_left_gradient += g;
        sum_left_hessian += h;
        left_count += cnt;
        cnt_cur_group += cnt;
        if (left_count < p.min_data_in_leaf || sum_left_hessian < p.min_sum_hessian_in_leaf) {
          continue;
        }
        const int right_count = num_data - left_count;
        if (right_count < p.min_data_in_leaf || right_count < p.min_data_per_group) break;
        const double sum_right_hessian = sum_hessian - sum_left_hessian;
        if (sum_right_hessian < p.min_sum_hessian_in_leaf) break;
        if (cnt_cur_group < p.min_data_per_group) continue;
        cnt_cur_group = 0;
        const double sum_right_gradient = sum_gradient - sum_left_gradient;
        const double current_gain = leaf_gain(sum_left_gradient, sum_left_hessian, l1, l2, mds) +
                                    leaf_gain(sum_right_gradient, sum_right_hessian, l1, l2, mds);
        if (current_gain <= min_gain_shift) continue;
        splittable = true;
        if (current_gain > best_gain) {
          best_left_count = left_count;
          best_sum_left_gradient = sum_left_gradient;
          best_sum_left_hessian = sum_left_hessian;
          best_threshold = i;
          best_gain = current_gain;
          best_dir = dir;
        }
      }
    }
  }

  if (splittable) {
    out->left_output = leaf_output(best_sum_left_gradient, best_sum_left_hessian, l1, l2, mds);
    out->left_count = best_left_count;
    out->left_sum_gradient = best_sum_left_gradient;
    out->left_sum_hessian = best_sum_left_hessian - kEpsilon;
    out->right_output = leaf_output(sum_gradient - best_sum_left_gradient,
                                    sum_hessian - best_sum_left_hessian, l1, l2, mds);
    out->right_count = num_data - best_left_count;
    out->right_sum_gradient = sum_gradient - best_sum_left_gradient;
    out->right_sum_hessian = sum_hessian - best_sum_left_hessian - kEpsilon;
    out->gain = best_gain - min_gain_shift;
    out->cat_bins.clear();
    if (use_onehot) {
      out->cat_bins.push_back(static_cast<uint32_t>(best_threshold));
    } else {
      for (int i = 0; i <= best_threshold; ++i) {
        const int b = best_dir == 1 ? sorted_bins[i] : sorted_bins[used_bin - 1 - i];
        out->cat_bins.push_back(static_cast<uint32_t>(b));
      }
    }
  }
  return splittable;
}

}  // namespace

SplitParams SplitParams::from_config(const GbdtConfig& c) {
  SplitParams p;
  p.min_data_in_leaf = c.min_data_in_leaf;
  p.min_sum_hessian_in_leaf = c.min_sum_hessian_in_leaf;
  p.lambda_l1 = c.lambda_l1;
  p.lambda_l2 = c.lambda_l2;
  p.min_gain_to_split = c.min_gain_to_split;
  p.max_delta_step = c.max_delta_step;
  p.max_cat_to_onehot = c.max_cat_to_onehot;
  p.max_cat_threshold = c.max_cat_threshold;
  p.cat_smooth = c.cat_smooth;
  p.cat_l2 = c.cat_l2;
  p.min_data_per_group = c.min_data_per_group;
  return p;
}

bool find_best_split(const double* hist, const FeatureMeta& feature, const SplitParams& params,
                     double sum_gradient, double sum_hessian, int num_data, SplitCandidate* out) {
  *out = SplitCandidate();
  out->default_left = true;
  // LightGBM widens the leaf's hessian sum by 2·kEpsilon before searching.
  const double widened_hessian = sum_hessian + 2 * kEpsilon;
  if (feature.categorical) {
    return find_categorical(hist, feature, params, sum_gradient, widened_hessian, num_data, out);
  }
  const OffsetHistogram h{hist, feature.most_freq_bin == 0 ? 1 : 0};
  return find_numerical(h, feature, params, sum_gradient, widened_hessian, num_data, out);
}

}  // namespace traind::engines::trees::detail
