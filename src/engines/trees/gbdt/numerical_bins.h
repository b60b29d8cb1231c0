// The bin upper bounds of a numerical feature, found from its distinct sampled values the way
// LightGBM's io/bin.cpp does (GreedyFindBin, FindBinWithZeroAsOneBin).
#pragma once

#include <cstdint>
#include <vector>

namespace traind::engines::trees::detail {

// Greedy equal-frequency bounds over `num_distinct` ascending distinct values with their
// counts, for at most `max_bin` bins. The last bound is +inf.
std::vector<double> greedy_find_bin(const double* distinct_values, const int* counts,
                                    int num_distinct, int max_bin, int64_t total_count,
                                    int min_data_in_bin);

// Bounds where zero gets a bin of its own ((-kZero, +kZero]): negative values share
// a budget proportional to their count, positive values get the rest. At most `max_bin`.
std::vector<double> find_bins_with_zero_bin(const double* distinct_values, const int* counts,
                                            int num_distinct, int max_bin,
                                            int64_t total_sample_count, int min_data_in_bin);

}  // namespace traind::engines::trees::detail
