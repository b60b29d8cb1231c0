// Gradient histograms: per leaf, used feature and bin, the sums ΣG and ΣH (double) over the
// leaf's in-bag rows, as LightGBM's col-wise histograms hold them (Dataset::ConstructHistograms,
// FixHistogram, FeatureHistogram::Subtract).
//
// A leaf histogram is one array of 2·total_bins doubles: the entry of feature f, bin b is at
// 2·(offset[f] + b) (ΣG) and the next element (ΣH). Each feature is accumulated over the rows
// in row order by one thread, exactly like LightGBM's single-threaded col-wise build, so sums
// are bit-identical to LightGBM's and independent of the number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engines/trees/gbdt/thread_pool.h"

namespace traind::engines::trees::detail {

// Row-major binned matrix: the bin of row r, feature f at bins[r * num_features + f].
struct BinMatrixView {
  const uint8_t* bins8 = nullptr;  // exactly one of bins8 / bins16 is set
  const uint16_t* bins16 = nullptr;
  int64_t num_rows = 0;
  int num_features = 0;
};

struct HistogramLayout {
  std::vector<int> offset;    // per feature: first entry
  std::vector<int> num_bins;  // per feature
  int total_bins = 0;

  static HistogramLayout from_bin_counts(const std::vector<int>& num_bins);
};

// Zeroes and fills the entries of `features` (feature indices, any order) over `rows` (sorted
// row indices; nullptr = rows 0..num_rows-1).
void construct_histograms(const BinMatrixView& bins, const HistogramLayout& layout,
                          std::span<const int> features, const int* rows, int64_t num_rows,
                          const float* grad, const float* hess, double* hist, ThreadPool& pool);

// LightGBM never accumulates a feature's most frequent bin: it is the leaf total minus every
// other bin, subtracted in bin order (Dataset::FixHistogram). Only for most_freq_bin > 0; with
// most_freq_bin == 0 the split finder derives bin 0 itself where LightGBM does.
void fix_most_frequent_bin(double* feature_hist, int num_bins, int most_freq_bin,
                           double sum_gradient, double sum_hessian);

// larger -= smaller over one feature's bins (the subtraction trick: parent − smaller child =
// larger child, computed in the parent's buffer, as LightGBM's FeatureHistogram::Subtract).
void subtract_feature_histogram(const double* smaller, double* larger, int num_bins);

}  // namespace traind::engines::trees::detail
