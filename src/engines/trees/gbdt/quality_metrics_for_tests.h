// Test-only quality metrics shared by the GBDT quality tests: AUC as the rank statistic
// (average ranks for ties, as scikit-learn's roc_auc_score) and RMSE.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace traind::engines::trees::testing {

inline double auc(const std::vector<double>& score, const std::vector<double>& label) {
  const size_t n = score.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  std::vector<double> rank(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && score[order[j + 1]] == score[order[i]]) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    if (label[i] > 0) {
      positives += 1;
      rank_sum += rank[i];
    }
  }
  const double negatives = static_cast<double>(n) - positives;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

inline double rmse(const std::vector<double>& prediction, const std::vector<double>& label) {
  double sum = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    const double e = prediction[i] - label[i];
    sum += e * e;
  }
  return std::sqrt(sum / static_cast<double>(label.size()));
}

}  // namespace traind::engines::trees::testing
