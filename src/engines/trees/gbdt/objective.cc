// The objectives of LightGBM 4.6 that traind supports: regression (L2), regression_l1,
// huber, binary and multiclass (softmax). Formulas, float32 casts and the order of operations
// follow objective/regression_objective.hpp, binary_objective.hpp, multiclass_objective.hpp
// and the metrics in metric/*.hpp, so that trees and early stopping match LightGBM's.
#include "engines/trees/gbdt/objective.h"

#include <algorithm>
#include <cmath>
#include <locale>
#include <sstream>
#include <vector>

#include "engines/trees/gbdt/percentile.h"

namespace traind::engines::trees::detail {
namespace {

double sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

// LightGBM writes doubles in the objective line through a default std::stringstream.
std::string stream_double(double v) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << v;
  return out.str();
}

double sum_of_weights(std::span<const float> weights, int64_t num_rows) {
  if (weights.empty()) return static_cast<double>(num_rows);
  double sum = 0.0;
  for (float w : weights) sum += w;
  return sum;
}

// Regression losses: per-row loss summed in double, divided by the summed weight.
template <typename Loss>
double regression_metric(const double* scores, int64_t n, std::span<const float> labels,
                         std::span<const float> weights, Loss loss) {
  double sum = 0.0;
  if (weights.empty()) {
    for (int64_t i = 0; i < n; ++i) sum += loss(labels[i], scores[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) sum += loss(labels[i], scores[i]) * weights[i];
  }
  return sum / sum_of_weights(weights, n);
}

class RegressionL2 : public Objective {
 public:
  RegressionL2(std::span<const float> labels, std::span<const float> weights)
      : labels_(labels), weights_(weights) {}

  double initial_score(int) const override {
    double sum_label = 0.0;
    double sum_weight = 0.0;
    if (!weights_.empty()) {
      for (size_t i = 0; i < labels_.size(); ++i) {
        sum_label += static_cast<double>(labels_[i]) * weights_[i];
        sum_weight += weights_[i];
      }
    } else {
      sum_weight = static_cast<double>(labels_.size());
      for (float y : labels_) sum_label += y;
    }
    return sum_label / sum_weight;
  }

  void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                 float* hess) const override {
    if (weights_.empty()) {
      for (int64_t i = begin; i < end; ++i) {
        grad[i] = static_cast<float>(scores[i] - labels_[i]);
        hess[i] = 1.0f;
      }
    } else {
      for (int64_t i = begin; i < end; ++i) {
        grad[i] = static_cast<float>(static_cast<float>(scores[i] - labels_[i]) * weights_[i]);
        hess[i] = weights_[i];
      }
    }
  }

  std::string model_string() const override { return "regression"; }
  std::string metric_name() const override { return "l2"; }
  double metric(const double* scores, int64_t n, std::span<const float> labels,
                std::span<const float> weights) const override {
    return regression_metric(scores, n, labels, weights, [](float y, double s) {
      const double d = s - y;
      return d * d;
    });
  }

 protected:
  std::span<const float> labels_;
  std::span<const float> weights_;
};

class RegressionL1 : public RegressionL2 {
 public:
  using RegressionL2::RegressionL2;

  double initial_score(int) const override {
    std::vector<float> labels(labels_.begin(), labels_.end());
    if (weights_.empty()) return percentile<float>(std::move(labels), 0.5);
    std::vector<float> weights(weights_.begin(), weights_.end());
    return weighted_percentile<float, float>(labels, weights, 0.5);
  }

  void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                 float* hess) const override {
    for (int64_t i = begin; i < end; ++i) {
      const double diff = scores[i] - labels_[i];
      if (weights_.empty()) {
        grad[i] = static_cast<float>(sign(diff));
        hess[i] = 1.0f;
      } else {
        grad[i] = static_cast<float>(sign(diff) * weights_[i]);
        hess[i] = weights_[i];
      }
    }
  }

  bool renews_leaves() const override { return true; }
  double renew_leaf_output(std::span<const int> rows, const double* scores) const override {
    std::vector<double> residuals(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      residuals[i] = static_cast<double>(labels_[rows[i]]) - scores[rows[i]];
    }
    if (weights_.empty()) return percentile<double>(std::move(residuals), 0.5);
    std::vector<float> weights(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) weights[i] = weights_[rows[i]];
    return weighted_percentile<double, float>(residuals, weights, 0.5);
  }

  std::string model_string() const override { return "regression_l1"; }
  std::string metric_name() const override { return "l1"; }
  double metric(const double* scores, int64_t n, std::span<const float> labels,
                std::span<const float> weights) const override {
    return regression_metric(scores, n, labels, weights,
                             [](float y, double s) { return std::fabs(s - y); });
  }
};

class Huber : public RegressionL2 {
 public:
  Huber(std::span<const float> labels, std::span<const float> weights, double alpha)
      : RegressionL2(labels, weights), alpha_(alpha) {}

  void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                 float* hess) const override {
    for (int64_t i = begin; i < end; ++i) {
      const double diff = scores[i] - labels_[i];
      if (weights_.empty()) {
        grad[i] = static_cast<float>(std::abs(diff) <= alpha_ ? diff : sign(diff) * alpha_);
        hess[i] = 1.0f;
      } else {
        const float w = weights_[i];
        grad[i] = static_cast<float>(std::abs(diff) <= alpha_ ? diff * w : sign(diff) * w * alpha_);
        hess[i] = w;
      }
    }
  }

  std::string model_string() const override { return "huber"; }
  std::string metric_name() const override { return "huber"; }
  double metric(const double* scores, int64_t n, std::span<const float> labels,
                std::span<const float> weights) const override {
    const double alpha = alpha_;
    return regression_metric(scores, n, labels, weights, [alpha](float y, double s) {
      const double d = s - y;
      if (std::abs(d) <= alpha) return 0.5f * d * d;
      return alpha * (std::abs(d) - 0.5f * alpha);
    });
  }

 private:
  double alpha_;
};

class Binary : public Objective {
 public:
  Binary(std::span<const float> labels, std::span<const float> weights, const GbdtConfig& config)
      : labels_(labels), weights_(weights), sigmoid_(config.sigmoid) {
    int64_t positives = 0;
    for (float y : labels) positives += y > 0 ? 1 : 0;
    const int64_t negatives = static_cast<int64_t>(labels.size()) - positives;
    needs_training_ = positives > 0 && negatives > 0;
    // is_unbalance: the minority class gets weight n_majority / n_minority.
    if (config.is_unbalance && needs_training_) {
      if (positives > negatives) {
        label_weight_[0] = static_cast<double>(positives) / negatives;
      } else {
        label_weight_[1] = static_cast<double>(negatives) / positives;
      }
    }
    label_weight_[1] *= config.scale_pos_weight;
  }

  bool class_needs_training(int) const override { return needs_training_; }

  double initial_score(int) const override {
    double sum_pos = 0.0;
    double sum_weight = 0.0;
    if (!weights_.empty()) {
      for (size_t i = 0; i < labels_.size(); ++i) {
        sum_pos += (labels_[i] > 0 ? 1 : 0) * weights_[i];
        sum_weight += weights_[i];
      }
    } else {
      sum_weight = static_cast<double>(labels_.size());
      for (float y : labels_) sum_pos += y > 0 ? 1 : 0;
    }
    double p = sum_pos / sum_weight;
    p = std::min(p, 1.0 - kEpsilon);
    p = std::max(p, kEpsilon);
    return std::log(p / (1.0f - p)) / sigmoid_;
  }

  void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                 float* hess) const override {
    if (!needs_training_) return;
    for (int64_t i = begin; i < end; ++i) {
      const int is_pos = labels_[i] > 0 ? 1 : 0;
      const int label = is_pos ? 1 : -1;
      const double label_weight = label_weight_[is_pos];
      const double response = -label * sigmoid_ / (1.0f + std::exp(label * sigmoid_ * scores[i]));
      const double abs_response = std::fabs(response);
      if (weights_.empty()) {
        grad[i] = static_cast<float>(response * label_weight);
        hess[i] = static_cast<float>(abs_response * (sigmoid_ - abs_response) * label_weight);
      } else {
        grad[i] = static_cast<float>(response * label_weight * weights_[i]);
        hess[i] = static_cast<float>(abs_response * (sigmoid_ - abs_response) * label_weight *
                                     weights_[i]);
      }
    }
  }

  std::string model_string() const override { return "binary sigmoid:" + stream_double(sigmoid_); }
  std::string metric_name() const override { return "binary_logloss"; }
  double metric(const double* scores, int64_t n, std::span<const float> labels,
                std::span<const float> weights) const override {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double prob = 1.0 / (1.0 + std::exp(-sigmoid_ * scores[i]));
      double loss;
      if (labels[i] <= 0) {
        loss = 1.0f - prob > kEpsilon ? -std::log(1.0f - prob) : -std::log(kEpsilon);
      } else {
        loss = prob > kEpsilon ? -std::log(prob) : -std::log(kEpsilon);
      }
      sum += weights.empty() ? loss : loss * weights[i];
    }
    return sum / sum_of_weights(weights, n);
  }

 private:
  std::span<const float> labels_;
  std::span<const float> weights_;
  double sigmoid_;
  double label_weight_[2] = {1.0, 1.0};
  bool needs_training_ = true;
};

// Softmax with the row maximum subtracted (LightGBM Common::Softmax).
void softmax(double* values, int k) {
  double max_value = values[0];
  for (int i = 1; i < k; ++i) max_value = std::max(values[i], max_value);
  double sum = 0.0;
  for (int i = 0; i < k; ++i) {
    values[i] = std::exp(values[i] - max_value);
    sum += values[i];
  }
  for (int i = 0; i < k; ++i) values[i] /= sum;
}

class Multiclass : public Objective {
 public:
  Multiclass(std::span<const float> labels, std::span<const float> weights, int num_class,
             std::vector<int> label_int)
      : weights_(weights),
        num_class_(num_class),
        num_rows_(static_cast<int64_t>(labels.size())),
        label_int_(std::move(label_int)),
        prior_(num_class, 0.0),
        factor_(static_cast<double>(num_class) / (num_class - 1.0f)) {
    double sum_weight = 0.0;
    for (int64_t i = 0; i < num_rows_; ++i) {
      if (weights.empty()) {
        prior_[label_int_[i]] += 1.0;
      } else {
        prior_[label_int_[i]] += weights[i];
        sum_weight += weights[i];
      }
    }
    if (weights.empty()) sum_weight = static_cast<double>(num_rows_);
    for (double& p : prior_) p /= sum_weight;
  }

  int num_tree_per_iteration() const override { return num_class_; }
  bool class_needs_training(int k) const override {
    return !(std::fabs(prior_[k]) <= kEpsilon || std::fabs(prior_[k]) >= 1.0 - kEpsilon);
  }
  double initial_score(int k) const override { return std::log(std::max(kEpsilon, prior_[k])); }

  void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                 float* hess) const override {
    std::vector<double> p(num_class_);
    for (int64_t i = begin; i < end; ++i) {
      for (int k = 0; k < num_class_; ++k) p[k] = scores[k * num_rows_ + i];
      softmax(p.data(), num_class_);
      const double w = weights_.empty() ? 1.0 : weights_[i];
      for (int k = 0; k < num_class_; ++k) {
        const int64_t idx = k * num_rows_ + i;
        const double g = label_int_[i] == k ? p[k] - 1.0f : p[k];
        const double h = factor_ * p[k] * (1.0f - p[k]);
        if (weights_.empty()) {
          grad[idx] = static_cast<float>(g);
          hess[idx] = static_cast<float>(h);
        } else {
          grad[idx] = static_cast<float>(g * w);
          hess[idx] = static_cast<float>(h * w);
        }
      }
    }
  }

  std::string model_string() const override {
    return "multiclass num_class:" + std::to_string(num_class_);
  }
  std::string metric_name() const override { return "multi_logloss"; }
  double metric(const double* scores, int64_t n, std::span<const float> labels,
                std::span<const float> weights) const override {
    std::vector<double> p(num_class_);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      for (int k = 0; k < num_class_; ++k) p[k] = scores[k * n + i];
      softmax(p.data(), num_class_);
      const int label = static_cast<int>(labels[i]);
      const double prob = label >= 0 && label < num_class_ ? p[label] : 0.0;
      const double loss = prob > kEpsilon ? -std::log(prob) : -std::log(kEpsilon);
      sum += weights.empty() ? loss : loss * weights[i];
    }
    return sum / sum_of_weights(weights, n);
  }

 private:
  std::span<const float> weights_;
  int num_class_;
  int64_t num_rows_;
  std::vector<int> label_int_;
  std::vector<double> prior_;
  double factor_;
};

}  // namespace

Result<std::unique_ptr<Objective>> Objective::create(const GbdtConfig& config,
                                                     std::span<const float> labels,
                                                     std::span<const float> weights) {
  if (!weights.empty() && weights.size() != labels.size()) {
    return Status(ErrorCode::kDataError, "weights must have one value per row");
  }
  for (float y : labels) {
    if (!std::isfinite(y)) {
      return Status(ErrorCode::kDataError, "labels must be finite numbers (found NaN or inf)");
    }
  }
  std::unique_ptr<Objective> objective;
  if (config.objective == "regression") {
    objective = std::make_unique<RegressionL2>(labels, weights);
  } else if (config.objective == "regression_l1") {
    objective = std::make_unique<RegressionL1>(labels, weights);
  } else if (config.objective == "huber") {
    objective = std::make_unique<Huber>(labels, weights, config.alpha);
  } else if (config.objective == "binary") {
    objective = std::make_unique<Binary>(labels, weights, config);
  } else if (config.objective == "multiclass") {
    std::vector<int> label_int(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
      label_int[i] = static_cast<int>(labels[i]);
      if (label_int[i] < 0 || label_int[i] >= config.num_class) {
        return Status(ErrorCode::kDataError,
                      "multiclass labels must be integers in [0, num_class); found " +
                          stream_double(labels[i]) +
                          " with num_class=" + std::to_string(config.num_class));
      }
    }
    objective =
        std::make_unique<Multiclass>(labels, weights, config.num_class, std::move(label_int));
  } else {
    return Status(ErrorCode::kInvalidConfig,
                  "parameter 'objective': unsupported objective '" + config.objective + "'");
  }
  return objective;
}

}  // namespace traind::engines::trees::detail
