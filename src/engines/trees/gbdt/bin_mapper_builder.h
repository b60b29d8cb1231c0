// BinMapperBuilder: builds one feature's BinMapper from its sampled values, as LightGBM's
// BinMapper::FindBin does (io/bin.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "engines/trees/gbdt/binned_dataset.h"
#include "engines/trees/gbdt/tree_decision.h"

namespace traind::engines::trees::detail {

// Working buffers of find_bin, reused across the features one thread bins (the caller sizes
// them once, so binning allocates nothing per feature).
struct BinningScratch {
  std::vector<uint64_t> sort;    // the radix sort's second buffer
  std::vector<double> distinct;  // distinct sampled values (zero inserted)
  std::vector<int> counts;       // their counts
};

class BinMapperBuilder {
 public:
  // `sampled_values` holds the feature's sampled values that are NaN or not zero
  // (|v| > kZeroThreshold); it is reordered. `total_sample_count` counts every sampled row,
  // zeros included. `filter_count` is the pre-filter's minimum side size
  // (min_data_in_leaf scaled to the sample).
  static BinMapper find_bin(std::vector<double>* sampled_values, int64_t total_sample_count,
                            const BinningOptions& options, int filter_count, bool categorical,
                            BinningScratch* scratch);

  // The mapper of a feature LightGBM ignores: one bin, trivial.
  static BinMapper trivial();

 private:
  static void find_numerical_bins(const std::vector<double>& distinct_values,
                                  const std::vector<int>& counts, int na_count,
                                  int64_t total_sample_count, const BinningOptions& options,
                                  BinMapper* mapper, std::vector<int>* count_in_bin);
  static void find_categorical_bins(const std::vector<double>& distinct_values,
                                    const std::vector<int>& counts, int na_count,
                                    int64_t total_sample_count, const BinningOptions& options,
                                    BinMapper* mapper, std::vector<int>* count_in_bin);
};

}  // namespace traind::engines::trees::detail
