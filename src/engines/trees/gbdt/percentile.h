// LightGBM's percentile rules (objective/regression_objective.hpp PercentileFun and
// WeightedPercentileFun), used by regression_l1 for its initial score and its leaf renewal.
// Reproduced operation for operation: the type T decides in which precision the
// interpolation difference is taken, as in LightGBM (float for labels, double for residuals).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <vector>

namespace traind::engines::trees::detail {

// Unweighted: interpolates between the two order statistics around position
// (n-1)·(1-alpha) counted from the largest value.
template <typename T>
T percentile(std::vector<T> values, double alpha) {
  const int64_t n = static_cast<int64_t>(values.size());
  if (n == 0) return T(0);
  if (n <= 1) return values[0];
  const double float_pos = static_cast<double>(n - 1) * (1.0 - alpha);
  const int64_t pos = static_cast<int64_t>(float_pos) + 1;
  std::sort(values.begin(), values.end(), std::greater<T>());  // descending
  if (pos < 1) return values.front();
  if (pos >= n) return values.back();
  const double bias = float_pos - static_cast<double>(pos - 1);
  const T v1 = values[pos - 1];
  const T v2 = values[pos];
  return static_cast<T>(v1 - (v1 - v2) * bias);
}

// Weighted: LightGBM's weighted-CDF rule (stable sort by value, cumulative weights in double).
template <typename T, typename W>
T weighted_percentile(const std::vector<T>& values, const std::vector<W>& weights, double alpha) {
  const int64_t n = static_cast<int64_t>(values.size());
  if (n == 0) return T(0);
  if (n <= 1) return values[0];
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return values[a] < values[b]; });
  std::vector<double> cdf(n);
  cdf[0] = weights[order[0]];
  for (int64_t i = 1; i < n; ++i) cdf[i] = cdf[i - 1] + weights[order[i]];
  const double threshold = cdf[n - 1] * alpha;
  size_t pos = std::upper_bound(cdf.begin(), cdf.end(), threshold) - cdf.begin();
  pos = std::min(pos, static_cast<size_t>(n - 1));
  if (pos == 0 || pos == static_cast<size_t>(n - 1)) return values[order[pos]];
  const T v1 = values[order[pos - 1]];
  const T v2 = values[order[pos]];
  if (cdf[pos + 1] - cdf[pos] >= 1.0f) {
    return static_cast<T>((threshold - cdf[pos]) / (cdf[pos + 1] - cdf[pos]) * (v2 - v1) + v1);
  }
  return v2;
}

}  // namespace traind::engines::trees::detail
