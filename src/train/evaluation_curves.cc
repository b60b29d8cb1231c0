#include "train/evaluation_curves.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace traind::train {
namespace {

using nlohmann::json;

// Indices of at most `max_points` of `n` points, evenly spread, first and last kept.
std::vector<size_t> thinned(size_t n, size_t max_points) {
  std::vector<size_t> keep;
  if (n <= max_points || max_points < 2) {
    keep.resize(n);
    std::iota(keep.begin(), keep.end(), size_t{0});
    return keep;
  }
  for (size_t i = 0; i < max_points; ++i) {
    keep.push_back(
        static_cast<size_t>(std::llround(static_cast<double>(i) * static_cast<double>(n - 1) /
                                         static_cast<double>(max_points - 1))));
  }
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  return keep;
}

json thinned_columns(const std::vector<std::pair<const char*, std::vector<json>>>& columns,
                     size_t max_points) {
  json out = json::object();
  const size_t n = columns.front().second.size();
  const std::vector<size_t> keep = thinned(n, max_points);
  for (const auto& [name, values] : columns) {
    json list = json::array();
    for (size_t i : keep) list.push_back(values[i]);
    out[name] = std::move(list);
  }
  return out;
}

}  // namespace

json binary_curves(const std::vector<int>& is_positive, const std::vector<double>& score,
                   size_t max_points) {
  const size_t n = std::min(is_positive.size(), score.size());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  double positives = 0;
  for (size_t i = 0; i < n; ++i) positives += is_positive[i] ? 1 : 0;
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return nullptr;

  // One point per distinct score, from the highest: everything at or above it is
  // predicted positive.
  std::vector<json> fpr = {0.0}, tpr = {0.0}, roc_thr = {nullptr};
  std::vector<json> recall = {0.0}, precision = {1.0}, pr_thr = {nullptr};
  double tp = 0, fp = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t row = order[i];
    (is_positive[row] ? tp : fp) += 1;
    if (i + 1 < n && score[order[i + 1]] == score[row]) continue;
    fpr.push_back(fp / negatives);
    tpr.push_back(tp / positives);
    roc_thr.push_back(score[row]);
    recall.push_back(tp / positives);
    precision.push_back(tp / (tp + fp));
    pr_thr.push_back(score[row]);
  }

  // Calibration: ten equal-width bins of the score over [0, 1]; empty bins left out.
  constexpr int kBins = 10;
  std::vector<double> sum(kBins, 0.0), hits(kBins, 0.0), count(kBins, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const double s = std::clamp(score[i], 0.0, 1.0);
    const int bin = std::min(kBins - 1, static_cast<int>(s * kBins));
    sum[bin] += s;
    hits[bin] += is_positive[i] ? 1 : 0;
    count[bin] += 1;
  }
  json calibration = {{"mean_predicted", json::array()},
                      {"fraction_positive", json::array()},
                      {"count", json::array()}};
  for (int b = 0; b < kBins; ++b) {
    if (count[b] == 0) continue;
    calibration["mean_predicted"].push_back(sum[b] / count[b]);
    calibration["fraction_positive"].push_back(hits[b] / count[b]);
    calibration["count"].push_back(static_cast<int64_t>(count[b]));
  }
  return {
      {"roc", thinned_columns({{"fpr", fpr}, {"tpr", tpr}, {"thresholds", roc_thr}}, max_points)},
      {"precision_recall",
       thinned_columns({{"recall", recall}, {"precision", precision}, {"thresholds", pr_thr}},
                       max_points)},
      {"calibration", std::move(calibration)}};
}

json classification_curves(const std::vector<int>& y_true, const std::vector<double>& proba,
                           const std::vector<std::string>& labels, size_t max_points) {
  const size_t k = labels.size();
  if (k < 2) return nullptr;
  auto one_vs_rest = [&](size_t c) {
    std::vector<int> is_positive;
    std::vector<double> score;
    for (size_t i = 0; i < y_true.size(); ++i) {
      is_positive.push_back(y_true[i] == static_cast<int>(c) ? 1 : 0);
      score.push_back(proba[i * k + c]);
    }
    return binary_curves(is_positive, score, max_points);
  };
  if (k == 2) {
    json out = one_vs_rest(1);
    if (out.is_null()) return nullptr;
    out["positive_label"] = labels[1];
    return out;
  }
  json per_class = json::object();
  for (size_t c = 0; c < k; ++c) per_class[labels[c]] = one_vs_rest(c);
  return {{"per_class", std::move(per_class)}};
}

json regression_curves(const std::vector<double>& y_true, const std::vector<double>& y_pred,
                       size_t max_points) {
  const size_t n = std::min(y_true.size(), y_pred.size());
  json actual = json::array(), predicted = json::array();
  for (size_t i : thinned(n, max_points)) {
    actual.push_back(y_true[i]);
    predicted.push_back(y_pred[i]);
  }
  return {{"predicted_vs_actual",
           {{"actual", std::move(actual)}, {"predicted", std::move(predicted)}}}};
}

}  // namespace traind::train
