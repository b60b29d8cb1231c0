// Numerical bin bounds, matching LightGBM 4.6 io/bin.cpp bit for bit: the arithmetic mixes
// int, size_t, float and double exactly where LightGBM does, because the bounds must equal
// LightGBM's to the last bit for binning parity.
#include "engines/trees/gbdt/numerical_bins.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double next_up(double value) { return std::nextafter(value, kInfinity); }

// LightGBM's CheckDoubleEqualOrdered: b (>= a) is "the same value" as a.
bool same_ordered(double a, double b) { return b <= next_up(a); }

// Appends `bound` unless it equals the previous one (LightGBM skips duplicate bounds).
bool push_distinct_bound(std::vector<double>* bounds, double bound) {
  if (!bounds->empty() && same_ordered(bounds->back(), bound)) return false;
  bounds->push_back(bound);
  return true;
}

}  // namespace

std::vector<double> greedy_find_bin(const double* distinct_values, const int* counts,
                                    int num_distinct, int max_bin, int64_t total_count,
                                    int min_data_in_bin) {
  std::vector<double> bounds;
  if (num_distinct <= max_bin) {
    // Few values: cut after every value once the bin holds min_data_in_bin samples.
    int count_in_bin = 0;
    for (int i = 0; i < num_distinct - 1; ++i) {
      count_in_bin += counts[i];
      if (count_in_bin >= min_data_in_bin) {
        if (push_distinct_bound(&bounds,
                                next_up((distinct_values[i] + distinct_values[i + 1]) / 2.0))) {
          count_in_bin = 0;
        }
      }
    }
    bounds.push_back(kInfinity);
    return bounds;
  }

  if (min_data_in_bin > 0) {
    // size_t division in LightGBM.
    max_bin = std::min(max_bin, static_cast<int>(static_cast<uint64_t>(total_count) /
                                                 static_cast<uint64_t>(min_data_in_bin)));
    max_bin = std::max(max_bin, 1);
  }
  double mean_bin_size = static_cast<double>(total_count) / max_bin;
  // Values holding at least a mean bin's worth of samples get a bin of their own.
  int rest_bin_count = max_bin;
  int rest_sample_count = static_cast<int>(total_count);
  std::vector<char> is_big(num_distinct, 0);
  for (int i = 0; i < num_distinct; ++i) {
    if (counts[i] >= mean_bin_size) {
      is_big[i] = 1;
      --rest_bin_count;
      rest_sample_count -= counts[i];
    }
  }
  mean_bin_size = static_cast<double>(rest_sample_count) / rest_bin_count;
  std::vector<double> upper_values(max_bin, kInfinity);
  std::vector<double> lower_values(max_bin, kInfinity);

  int bin_count = 0;
  lower_values[0] = distinct_values[0];
  int count_in_bin = 0;
  for (int i = 0; i < num_distinct - 1; ++i) {
    if (!is_big[i]) rest_sample_count -= counts[i];
    count_in_bin += counts[i];
    // LightGBM multiplies by the float 0.5f; the product is double.
    if (is_big[i] || count_in_bin >= mean_bin_size ||
        (is_big[i + 1] &&
         count_in_bin >= std::max(1.0, mean_bin_size * static_cast<double>(0.5f)))) {
      upper_values[bin_count] = distinct_values[i];
      ++bin_count;
      lower_values[bin_count] = distinct_values[i + 1];
      if (bin_count >= max_bin - 1) break;
      count_in_bin = 0;
      if (!is_big[i]) {
        --rest_bin_count;
        mean_bin_size = rest_sample_count / static_cast<double>(rest_bin_count);
      }
    }
  }
  ++bin_count;
  for (int i = 0; i < bin_count - 1; ++i) {
    push_distinct_bound(&bounds, next_up((upper_values[i] + lower_values[i + 1]) / 2.0));
  }
  bounds.push_back(kInfinity);
  return bounds;
}

std::vector<double> find_bins_with_zero_bin(const double* distinct_values, const int* counts,
                                            int num_distinct, int max_bin,
                                            int64_t total_sample_count, int min_data_in_bin) {
  std::vector<double> bounds;
  int left_count = 0;
  int zero_count = 0;
  int right_count = 0;
  for (int i = 0; i < num_distinct; ++i) {
    if (distinct_values[i] <= -kZeroThreshold) {
      left_count += counts[i];
    } else if (distinct_values[i] > kZeroThreshold) {
      right_count += counts[i];
    } else {
      zero_count += counts[i];
    }
  }

  int num_left = num_distinct;  // distinct values below zero
  for (int i = 0; i < num_distinct; ++i) {
    if (distinct_values[i] > -kZeroThreshold) {
      num_left = i;
      break;
    }
  }

  if (num_left > 0 && max_bin > 1) {
    // size_t subtraction, then double division, as in LightGBM.
    const double denominator =
        static_cast<double>(static_cast<uint64_t>(total_sample_count) -
                            static_cast<uint64_t>(static_cast<int64_t>(zero_count)));
    int left_max_bin =
        static_cast<int>(static_cast<double>(left_count) / denominator * (max_bin - 1));
    left_max_bin = std::max(1, left_max_bin);
    bounds = greedy_find_bin(distinct_values, counts, num_left, left_max_bin, left_count,
                             min_data_in_bin);
    if (!bounds.empty()) bounds.back() = -kZeroThreshold;
  }

  int right_start = -1;
  for (int i = num_left; i < num_distinct; ++i) {
    if (distinct_values[i] > kZeroThreshold) {
      right_start = i;
      break;
    }
  }

  const int right_max_bin = max_bin - 1 - static_cast<int>(bounds.size());
  if (right_start >= 0 && right_max_bin > 0) {
    std::vector<double> right_bounds =
        greedy_find_bin(distinct_values + right_start, counts + right_start,
                        num_distinct - right_start, right_max_bin, right_count, min_data_in_bin);
    bounds.push_back(kZeroThreshold);
    bounds.insert(bounds.end(), right_bounds.begin(), right_bounds.end());
  } else {
    bounds.push_back(kInfinity);
  }
  return bounds;
}

}  // namespace traind::engines::trees::detail
