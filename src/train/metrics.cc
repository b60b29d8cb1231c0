// Metric formulas; each follows the scikit-learn function named in metrics.h.
#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace traind::train {
namespace {

double safe_divide(double num, double den) { return den == 0 ? 0.0 : num / den; }

}  // namespace

std::vector<std::vector<long long>> confusion_matrix(const std::vector<int>& y_true,
                                                     const std::vector<int>& y_pred,
                                                     int num_classes) {
  std::vector<std::vector<long long>> m(
      static_cast<size_t>(num_classes),
      std::vector<long long>(static_cast<size_t>(num_classes), 0));
  for (size_t i = 0; i < y_true.size(); ++i)
    ++m[static_cast<size_t>(y_true[i])][static_cast<size_t>(y_pred[i])];
  return m;
}

std::optional<double> binary_roc_auc(const std::vector<int>& is_positive,
                                     const std::vector<double>& score) {
  const size_t n = score.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  double positives = 0, negatives = 0;
  for (int p : is_positive) (p ? positives : negatives) += 1;
  if (positives == 0 || negatives == 0) return std::nullopt;
  // Walk distinct thresholds from high to low; each step adds a trapezoid under the ROC
  // curve, which for a block of tied scores counts each positive/negative pair as 1/2.
  double area = 0, tp = 0, fp = 0;
  for (size_t i = 0; i < n;) {
    double dtp = 0, dfp = 0;
    size_t j = i;
    while (j < n && score[order[j]] == score[order[i]]) {
      (is_positive[order[j]] ? dtp : dfp) += 1;
      ++j;
    }
    area += dfp * (tp + dtp / 2.0);
    tp += dtp;
    fp += dfp;
    i = j;
  }
  return area / (positives * negatives);
}

std::vector<int> argmax_rows(const std::vector<double>& proba, size_t num_classes) {
  const size_t rows = num_classes == 0 ? 0 : proba.size() / num_classes;
  std::vector<int> out(rows);
  for (size_t r = 0; r < rows; ++r) {
    const double* p = proba.data() + r * num_classes;
    out[r] = static_cast<int>(std::max_element(p, p + num_classes) - p);
  }
  return out;
}

nlohmann::json classification_metrics(const std::vector<int>& y_true,
                                      const std::vector<double>& proba,
                                      const std::vector<std::string>& labels) {
  const size_t k = labels.size();
  const size_t n = y_true.size();
  const std::vector<int> y_pred = argmax_rows(proba, k);
  const auto cm = confusion_matrix(y_true, y_pred, static_cast<int>(k));

  double correct = 0;
  for (size_t c = 0; c < k; ++c) correct += static_cast<double>(cm[c][c]);
  std::vector<double> precision(k), recall(k), f1(k), support(k);
  for (size_t c = 0; c < k; ++c) {
    double predicted = 0, actual = 0;
    for (size_t o = 0; o < k; ++o) {
      predicted += static_cast<double>(cm[o][c]);
      actual += static_cast<double>(cm[c][o]);
    }
    const double tp = static_cast<double>(cm[c][c]);
    precision[c] = safe_divide(tp, predicted);  // zero_division -> 0, as scikit-learn
    recall[c] = safe_divide(tp, actual);
    f1[c] = safe_divide(2 * precision[c] * recall[c], precision[c] + recall[c]);
    support[c] = actual;
  }

  nlohmann::json m;
  m["accuracy"] = safe_divide(correct, static_cast<double>(n));
  if (k == 2) {
    m["precision"] = precision[1];
    m["recall"] = recall[1];
    m["f1_score"] = f1[1];
    m["averaging"] = "binary";
  } else {
    double p = 0, r = 0, f = 0;
    for (size_t c = 0; c < k; ++c) {
      p += precision[c] * support[c];
      r += recall[c] * support[c];
      f += f1[c] * support[c];
    }
    const double total = static_cast<double>(n);
    m["precision"] = safe_divide(p, total);
    m["recall"] = safe_divide(r, total);
    m["f1_score"] = safe_divide(f, total);
    m["averaging"] = "weighted";
  }

  // ROC AUC: binary on the positive class's probability; multiclass one-vs-rest macro
  // over the classes present in y_true (scikit-learn refuses when one is absent).
  std::optional<double> auc;
  if (k == 2) {
    std::vector<int> pos(n);
    std::vector<double> score(n);
    for (size_t i = 0; i < n; ++i) {
      pos[i] = y_true[i] == 1;
      score[i] = proba[i * k + 1];
    }
    auc = binary_roc_auc(pos, score);
  } else if (k > 2) {
    double sum = 0;
    int counted = 0;
    for (size_t c = 0; c < k; ++c) {
      std::vector<int> pos(n);
      std::vector<double> score(n);
      for (size_t i = 0; i < n; ++i) {
        pos[i] = y_true[i] == static_cast<int>(c);
        score[i] = proba[i * k + c];
      }
      if (auto a = binary_roc_auc(pos, score)) {
        sum += *a;
        ++counted;
      }
    }
    if (counted > 0) auc = sum / counted;
  }
  m["auc_roc"] = auc ? nlohmann::json(*auc) : nlohmann::json(nullptr);

  // log_loss: rows renormalised, probabilities clipped to [eps, 1 - eps].
  const double eps = std::numeric_limits<double>::epsilon();
  double loss = 0;
  for (size_t i = 0; i < n; ++i) {
    const double* p = proba.data() + i * k;
    double row_sum = 0;
    for (size_t c = 0; c < k; ++c) row_sum += p[c];
    double pt = row_sum > 0 ? p[y_true[i]] / row_sum : 0.0;
    pt = std::clamp(pt, eps, 1.0 - eps);
    loss -= std::log(pt);
  }
  m["log_loss"] = safe_divide(loss, static_cast<double>(n));
  m["confusion_matrix"] = cm;
  m["labels"] = labels;
  return m;
}

nlohmann::json regression_metrics(const std::vector<double>& y_true,
                                  const std::vector<double>& y_pred) {
  const size_t n = y_true.size();
  const double eps = std::numeric_limits<double>::epsilon();
  double sq = 0, abs_err = 0, pct = 0, mean = 0;
  for (size_t i = 0; i < n; ++i) mean += y_true[i];
  mean = safe_divide(mean, static_cast<double>(n));
  double total_sq = 0;
  for (size_t i = 0; i < n; ++i) {
    const double e = y_true[i] - y_pred[i];
    sq += e * e;
    abs_err += std::fabs(e);
    pct += std::fabs(e) / std::max(std::fabs(y_true[i]), eps);
    total_sq += (y_true[i] - mean) * (y_true[i] - mean);
  }
  const double dn = static_cast<double>(n);
  // r2_score with force_finite: a constant y_true gives 1 for a perfect fit, else 0.
  const double r2 = total_sq == 0 ? (sq == 0 ? 1.0 : 0.0) : 1.0 - sq / total_sq;
  return {{"rmse", std::sqrt(safe_divide(sq, dn))},
          {"mae", safe_divide(abs_err, dn)},
          {"r2", r2},
          {"mape", safe_divide(pct, dn)}};
}

}  // namespace traind::train
