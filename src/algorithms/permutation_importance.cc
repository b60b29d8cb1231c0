#include "algorithms/permutation_importance.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace traind::algorithms {
namespace {

// Accuracy (argmax of the class probabilities) or R².
Result<double> score(const Model& model, const Matrix& x, const std::vector<float>& y, Task task) {
  auto predicted = model.predict(x);
  if (!predicted) return predicted.status();
  const std::vector<double>& p = *predicted;
  const size_t n = x.rows;
  if (n == 0) return 0.0;
  if (task == Task::kClassification) {
    const size_t k = p.size() / n;
    size_t correct = 0;
    for (size_t r = 0; r < n; ++r) {
      const auto begin = p.begin() + static_cast<std::ptrdiff_t>(r * k);
      const size_t best = static_cast<size_t>(std::max_element(begin, begin + k) - begin);
      correct += best == static_cast<size_t>(y[r]);
    }
    return static_cast<double>(correct) / static_cast<double>(n);
  }
  double mean = 0;
  for (float v : y) mean += v;
  mean /= static_cast<double>(n);
  double ss_res = 0, ss_tot = 0;
  for (size_t r = 0; r < n; ++r) {
    ss_res += (y[r] - p[r]) * (y[r] - p[r]);
    ss_tot += (y[r] - mean) * (y[r] - mean);
  }
  return ss_tot > 0 ? 1.0 - ss_res / ss_tot : 0.0;
}

}  // namespace

Result<std::vector<double>> permutation_importance(const Model& model, const Dataset& data,
                                                   const PermutationImportanceOptions& options) {
  const Matrix& x = data.x;
  auto baseline = score(model, x, data.y, options.task);
  if (!baseline) return baseline.status();
  std::vector<double> importance(x.cols, 0.0);
  Matrix shuffled = x;
  std::vector<size_t> order(x.rows);
  std::mt19937_64 rng(options.seed);
  const int repeats = std::max(1, options.repeats);
  for (size_t c = 0; c < x.cols; ++c) {
    double drop = 0;
    for (int rep = 0; rep < repeats; ++rep) {
      std::iota(order.begin(), order.end(), size_t{0});
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t r = 0; r < x.rows; ++r) shuffled.values[r * x.cols + c] = x.row(order[r])[c];
      auto permuted = score(model, shuffled, data.y, options.task);
      if (!permuted) return permuted.status();
      drop += *baseline - *permuted;
    }
    for (size_t r = 0; r < x.rows; ++r) shuffled.values[r * x.cols + c] = x.row(r)[c];
    importance[c] = std::max(0.0, drop / repeats);
  }
  return importance;
}

}  // namespace traind::algorithms
