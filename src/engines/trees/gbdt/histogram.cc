// Histogram construction: features are split into contiguous groups, one task per group; a
// task walks the leaf's rows once and accumulates all of its features, so every bin sum is a
// sequential sum in row order whatever the number of threads.
#include "engines/trees/gbdt/histogram.h"

#include <algorithm>
#include <cstring>

namespace traind::engines::trees::detail {
namespace {

// Below this many (row, feature) cells one thread is faster than waking the pool.
constexpr int64_t kMinCellsPerTask = 1 << 15;

// One task's work: every row of the leaf, the features [0, num_features) of its group.
// `first` >= 0 means the group's features are the contiguous columns first, first+1, ...
template <typename BinT, bool kAllRows, bool kContiguous>
void accumulate(const BinT* bins, int64_t stride, int first, const int* features,
                double* const* feature_hist, int num_features, const int* rows, int64_t num_rows,
                const float* grad, const float* hess) {
  constexpr int64_t kPrefetchDistance = 16;
  for (int64_t i = 0; i < num_rows; ++i) {
    const int64_t r = kAllRows ? i : rows[i];
    if (!kAllRows && i + kPrefetchDistance < num_rows) {
      const int64_t ahead = rows[i + kPrefetchDistance];
      __builtin_prefetch(bins + ahead * stride + (kContiguous ? first : 0));
      __builtin_prefetch(grad + ahead);
      __builtin_prefetch(hess + ahead);
    }
    const BinT* row_bins = bins + r * stride;
    const double g = grad[r];
    const double h = hess[r];
    if (kContiguous) {
      row_bins += first;
      for (int k = 0; k < num_features; ++k) {
        double* entry = feature_hist[k] + 2 * static_cast<int>(row_bins[k]);
        entry[0] += g;
        entry[1] += h;
      }
    } else {
      for (int k = 0; k < num_features; ++k) {
        double* entry = feature_hist[k] + 2 * static_cast<int>(row_bins[features[k]]);
        entry[0] += g;
        entry[1] += h;
      }
    }
  }
}

template <typename BinT>
void accumulate_rows(const BinT* bins, int64_t stride, const int* features,
                     double* const* feature_hist, int num_features, const int* rows,
                     int64_t num_rows, const float* grad, const float* hess) {
  bool contiguous = true;
  for (int k = 1; k < num_features; ++k) contiguous &= features[k] == features[0] + k;
  const int first = features[0];
  if (rows == nullptr) {
    if (contiguous) {
      accumulate<BinT, true, true>(bins, stride, first, features, feature_hist, num_features, rows,
                                   num_rows, grad, hess);
    } else {
      accumulate<BinT, true, false>(bins, stride, first, features, feature_hist, num_features, rows,
                                    num_rows, grad, hess);
    }
  } else if (contiguous) {
    accumulate<BinT, false, true>(bins, stride, first, features, feature_hist, num_features, rows,
                                  num_rows, grad, hess);
  } else {
    accumulate<BinT, false, false>(bins, stride, first, features, feature_hist, num_features, rows,
                                   num_rows, grad, hess);
  }
}

}  // namespace

HistogramLayout HistogramLayout::from_bin_counts(const std::vector<int>& num_bins) {
  HistogramLayout layout;
  layout.num_bins = num_bins;
  layout.offset.resize(num_bins.size());
  int total = 0;
  for (size_t f = 0; f < num_bins.size(); ++f) {
    layout.offset[f] = total;
    total += num_bins[f];
  }
  layout.total_bins = total;
  return layout;
}

void construct_histograms(const BinMatrixView& bins, const HistogramLayout& layout,
                          std::span<const int> features, const int* rows, int64_t num_rows,
                          const float* grad, const float* hess, double* hist, ThreadPool& pool) {
  const int num_features = static_cast<int>(features.size());
  if (num_features == 0) return;
  for (int f : features) {
    std::memset(hist + 2 * layout.offset[f], 0, sizeof(double) * 2 * layout.num_bins[f]);
  }
  std::vector<double*> feature_hist(num_features);
  for (int k = 0; k < num_features; ++k) feature_hist[k] = hist + 2 * layout.offset[features[k]];

  const int64_t cells = num_rows * num_features;
  const int num_tasks = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>({pool.num_threads(), num_features, cells / kMinCellsPerTask})));
  auto task = [&](int t) {
    const int begin = static_cast<int>(static_cast<int64_t>(num_features) * t / num_tasks);
    const int end = static_cast<int>(static_cast<int64_t>(num_features) * (t + 1) / num_tasks);
    if (bins.bins8 != nullptr) {
      accumulate_rows(bins.bins8, bins.num_features, features.data() + begin,
                      feature_hist.data() + begin, end - begin, rows, num_rows, grad, hess);
    } else {
      accumulate_rows(bins.bins16, bins.num_features, features.data() + begin,
                      feature_hist.data() + begin, end - begin, rows, num_rows, grad, hess);
    }
  };
  if (num_tasks == 1) {
    task(0);
  } else {
    pool.run(num_tasks, task);
  }
}

void fix_most_frequent_bin(double* feature_hist, int num_bins, int most_freq_bin,
                           double sum_gradient, double sum_hessian) {
  if (most_freq_bin <= 0) return;
  double g = sum_gradient;
  double h = sum_hessian;
  for (int b = 0; b < num_bins; ++b) {
    if (b == most_freq_bin) continue;
    g -= feature_hist[2 * b];
    h -= feature_hist[2 * b + 1];
  }
  feature_hist[2 * most_freq_bin] = g;
  feature_hist[2 * most_freq_bin + 1] = h;
}

void subtract_feature_histogram(const double* smaller, double* larger, int num_bins) {
  for (int i = 0; i < 2 * num_bins; ++i) larger[i] -= smaller[i];
}

}  // namespace traind::engines::trees::detail
