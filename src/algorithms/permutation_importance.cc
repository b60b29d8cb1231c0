#include "algorithms/permutation_importance.h"

#include <algorithm>
#include <map>
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
  const size_t values = x.cols + x.texts.size();
  if (!options.groups.empty() && options.groups.size() != values) {
    return Status(ErrorCode::kInternal, "permutation importance: one group per feature expected");
  }
  auto baseline = score(model, x, data.y, options.task);
  if (!baseline) return baseline.status();
  // Members of each group: the encoded columns (< x.cols) and text columns (>= x.cols)
  // shuffled together, in the order the groups first appear.
  std::vector<std::vector<size_t>> groups;
  std::map<size_t, size_t> group_of;
  for (size_t v = 0; v < values; ++v) {
    const size_t id = options.groups.empty() ? v : options.groups[v];
    auto [it, added] = group_of.emplace(id, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(v);
  }
  std::vector<double> importance(values, 0.0);
  Matrix shuffled = x;
  std::vector<size_t> order(x.rows);
  std::mt19937_64 rng(options.seed);
  const int repeats = std::max(1, options.repeats);
  // Row r of the shuffled matrix takes row from[r] of x in every member of the group.
  auto copy_rows = [&](const std::vector<size_t>& members, const std::vector<size_t>* from) {
    for (size_t v : members) {
      for (size_t r = 0; r < x.rows; ++r) {
        const size_t src = from ? (*from)[r] : r;
        if (v < x.cols) {
          shuffled.values[r * x.cols + v] = x.row(src)[v];
        } else {
          shuffled.texts[v - x.cols].values[r] = x.texts[v - x.cols].values[src];
        }
      }
    }
  };
  for (const auto& members : groups) {
    double drop = 0;
    for (int rep = 0; rep < repeats; ++rep) {
      std::iota(order.begin(), order.end(), size_t{0});
      std::shuffle(order.begin(), order.end(), rng);
      copy_rows(members, &order);
      auto permuted = score(model, shuffled, data.y, options.task);
      if (!permuted) return permuted.status();
      drop += *baseline - *permuted;
    }
    copy_rows(members, nullptr);
    importance[members.front()] = std::max(0.0, drop / repeats);
  }
  return importance;
}

}  // namespace traind::algorithms
