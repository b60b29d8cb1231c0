// Impurity criteria of scikit-learn 1.2's tree module (sklearn/tree/_criterion.pyx): node
// impurity, node value, the proxy used to rank candidate splits and the impurity improvement.
//
// Each criterion keeps the node totals and the statistics of the left side of a candidate
// split; rows move from right to left in sorted order, one O(1) (O(classes)) update each.
// The formulas follow scikit-learn's expressions term by term so that rounding matches.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace traind::engines::trees::detail {

inline constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
// The Poisson criterion's guard against zero child sums (10 * machine epsilon).
inline constexpr double kPoissonEpsilon = 10 * std::numeric_limits<double>::epsilon();
// Rows ahead prefetched when copying a node's weights and labels.
inline constexpr int64_t kGatherPrefetch = 24;
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// scikit-learn's tree log is base 2 (sklearn/tree/_utils.pyx).
inline double log2_sklearn(double x) { return std::log(x) / std::log(2.0); }

// The per-tree inputs a criterion reads: weight, class or target of each row (by row index).
struct CriterionInputs {
  const double* weight = nullptr;
  const int32_t* class_index = nullptr;  // classification
  const double* y = nullptr;             // regression
  int n_classes = 0;
  double weighted_n_samples = 0.0;  // the tree's total weight
};

// Gini and entropy (= log_loss).
template <bool kEntropy>
class ClassificationCriterion {
 public:
  explicit ClassificationCriterion(const CriterionInputs& in)
      : in_(in), total_(in.n_classes), left_(in.n_classes) {}

  void init_node(const uint32_t* rows, int64_t n) {
    std::fill(total_.begin(), total_.end(), 0.0);
    w_node_ = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double w = in_.weight[rows[i]];
      total_[in_.class_index[rows[i]]] += w;
      w_node_ += w;
    }
  }
  double weighted_node() const { return w_node_; }
  double node_impurity() const { return impurity_of(total_.data(), w_node_); }
  int value_width() const { return in_.n_classes; }
  void node_value(double* out) const {
    for (int k = 0; k < in_.n_classes; ++k) out[k] = total_[k];
  }

  // Copies the node's weights and classes into contiguous arrays indexed by the row's
  // position in the node, so the candidate scan reads them without scattered access.
  void gather(const uint32_t* rows, int64_t n) {
    local_weight_.resize(n);
    local_class_.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      if (i + kGatherPrefetch < n) {
        __builtin_prefetch(in_.weight + rows[i + kGatherPrefetch]);
        __builtin_prefetch(in_.class_index + rows[i + kGatherPrefetch]);
      }
      local_weight_[i] = in_.weight[rows[i]];
      local_class_[i] = in_.class_index[rows[i]];
    }
  }
  void reset_left() {
    std::fill(left_.begin(), left_.end(), 0.0);
    w_left_ = 0.0;
  }
  void add_left(uint32_t row) {
    const double w = in_.weight[row];
    left_[in_.class_index[row]] += w;
    w_left_ += w;
  }
  void prefetch_local(uint32_t i) const {
    __builtin_prefetch(local_weight_.data() + i);
    __builtin_prefetch(local_class_.data() + i);
  }
  void add_left_local(uint32_t i) {
    const double w = local_weight_[i];
    left_[local_class_[i]] += w;
    w_left_ += w;
  }
  double weighted_left() const { return w_left_; }
  double weighted_right() const { return w_node_ - w_left_; }

  // -W_R * imp_R - W_L * imp_L (Criterion.proxy_impurity_improvement).
  double proxy() const {
    const double w_right = w_node_ - w_left_;
    double imp_left = 0.0, imp_right = 0.0;
    if constexpr (kEntropy) {
      for (int k = 0; k < in_.n_classes; ++k) {
        double c = left_[k] / w_left_;
        if (c > 0.0) imp_left -= c * log2_sklearn(c);
        c = (total_[k] - left_[k]) / w_right;
        if (c > 0.0) imp_right -= c * log2_sklearn(c);
      }
    } else {
      double sq_left = 0.0, sq_right = 0.0;
      for (int k = 0; k < in_.n_classes; ++k) {
        sq_left += left_[k] * left_[k];
        const double r = total_[k] - left_[k];
        sq_right += r * r;
      }
      imp_left = 1.0 - sq_left / (w_left_ * w_left_);
      imp_right = 1.0 - sq_right / (w_right * w_right);
    }
    return -w_right * imp_right - w_left_ * imp_left;
  }

  // Impurities of rows[0, pos) and rows[pos, n) of the partitioned node.
  void children_impurity(const uint32_t* rows, int64_t /*n*/, int64_t pos, double* imp_left,
                         double* imp_right) {
    reset_left();
    for (int64_t i = 0; i < pos; ++i) add_left(rows[i]);
    std::vector<double>& right = scratch_;
    right.assign(in_.n_classes, 0.0);
    for (int k = 0; k < in_.n_classes; ++k) right[k] = total_[k] - left_[k];
    *imp_left = impurity_of(left_.data(), w_left_);
    *imp_right = impurity_of(right.data(), w_node_ - w_left_);
  }

  double improvement(double imp, double imp_left, double imp_right) const {
    return standard_improvement(imp, imp_left, imp_right);
  }

 private:
  double impurity_of(const double* counts, double w) const {
    if constexpr (kEntropy) {
      double entropy = 0.0;
      for (int k = 0; k < in_.n_classes; ++k) {
        const double c = counts[k] / w;
        if (c > 0.0) entropy -= c * log2_sklearn(c);
      }
      return entropy;
    } else {
      double sq = 0.0;
      for (int k = 0; k < in_.n_classes; ++k) sq += counts[k] * counts[k];
      return 1.0 - sq / (w * w);
    }
  }
  double standard_improvement(double imp, double imp_left, double imp_right) const {
    const double w_right = w_node_ - w_left_;
    return (w_node_ / in_.weighted_n_samples) *
           (imp - (w_right / w_node_ * imp_right) - (w_left_ / w_node_ * imp_left));
  }

  CriterionInputs in_;
  std::vector<double> total_, left_, scratch_;
  std::vector<double> local_weight_;
  std::vector<int32_t> local_class_;
  double w_node_ = 0.0, w_left_ = 0.0;
};

enum class RegressionKind { kSquaredError, kFriedmanMse, kPoisson };

// squared_error, friedman_mse and poisson share the running sums Σw·y and Σw.
template <RegressionKind kKind>
class RegressionCriterion {
 public:
  explicit RegressionCriterion(const CriterionInputs& in) : in_(in) {}

  void init_node(const uint32_t* rows, int64_t n) {
    sum_total_ = 0.0;
    sq_sum_total_ = 0.0;
    w_node_ = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double w = in_.weight[rows[i]];
      const double y = in_.y[rows[i]];
      const double wy = w * y;
      sum_total_ += wy;
      sq_sum_total_ += wy * y;
      w_node_ += w;
    }
    rows_ = rows;
    n_ = n;
  }
  double weighted_node() const { return w_node_; }
  double node_impurity() const {
    if constexpr (kKind == RegressionKind::kPoisson) {
      return poisson_loss(rows_, n_, sum_total_, w_node_);
    } else {
      const double mean = sum_total_ / w_node_;
      return sq_sum_total_ / w_node_ - mean * mean;
    }
  }
  int value_width() const { return 1; }
  void node_value(double* out) const { out[0] = sum_total_ / w_node_; }

  void gather(const uint32_t* rows, int64_t n) {
    local_weight_.resize(n);
    local_y_.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      if (i + kGatherPrefetch < n) {
        __builtin_prefetch(in_.weight + rows[i + kGatherPrefetch]);
        __builtin_prefetch(in_.y + rows[i + kGatherPrefetch]);
      }
      local_weight_[i] = in_.weight[rows[i]];
      local_y_[i] = in_.y[rows[i]];
    }
  }
  void reset_left() {
    sum_left_ = 0.0;
    w_left_ = 0.0;
  }
  void add_left(uint32_t row) {
    const double w = in_.weight[row];
    sum_left_ += w * in_.y[row];
    w_left_ += w;
  }
  void prefetch_local(uint32_t i) const {
    __builtin_prefetch(local_weight_.data() + i);
    __builtin_prefetch(local_y_.data() + i);
  }
  void add_left_local(uint32_t i) {
    const double w = local_weight_[i];
    sum_left_ += w * local_y_[i];
    w_left_ += w;
  }
  double weighted_left() const { return w_left_; }
  double weighted_right() const { return w_node_ - w_left_; }

  double proxy() const {
    const double w_right = w_node_ - w_left_;
    const double sum_right = sum_total_ - sum_left_;
    if constexpr (kKind == RegressionKind::kSquaredError) {
      return sum_left_ * sum_left_ / w_left_ + sum_right * sum_right / w_right;
    } else if constexpr (kKind == RegressionKind::kFriedmanMse) {
      const double diff = w_right * sum_left_ - w_left_ * sum_right;
      return diff * diff / (w_left_ * w_right);
    } else {
      if (sum_left_ <= kPoissonEpsilon || sum_right <= kPoissonEpsilon) return -kInfinity;
      return sum_left_ * log2_sklearn(sum_left_ / w_left_) +
             sum_right * log2_sklearn(sum_right / w_right);
    }
  }

  void children_impurity(const uint32_t* rows, int64_t n, int64_t pos, double* imp_left,
                         double* imp_right) {
    reset_left();
    double sq_sum_left = 0.0;
    for (int64_t i = 0; i < pos; ++i) {
      add_left(rows[i]);
      const double y = in_.y[rows[i]];
      sq_sum_left += in_.weight[rows[i]] * y * y;
    }
    const double w_right = w_node_ - w_left_;
    const double sum_right = sum_total_ - sum_left_;
    if constexpr (kKind == RegressionKind::kPoisson) {
      *imp_left = poisson_loss(rows, pos, sum_left_, w_left_);
      *imp_right = poisson_loss(rows + pos, n - pos, sum_right, w_right);
    } else {
      const double mean_left = sum_left_ / w_left_;
      const double mean_right = sum_right / w_right;
      *imp_left = sq_sum_left / w_left_ - mean_left * mean_left;
      *imp_right = (sq_sum_total_ - sq_sum_left) / w_right - mean_right * mean_right;
    }
  }

  double improvement(double imp, double imp_left, double imp_right) const {
    const double w_right = w_node_ - w_left_;
    if constexpr (kKind == RegressionKind::kFriedmanMse) {
      // FriedmanMSE.impurity_improvement: no W_node / W_total factor.
      const double sum_right = sum_total_ - sum_left_;
      const double diff = w_right * sum_left_ - w_left_ * sum_right;
      return diff * diff / (w_left_ * w_right * w_node_);
    } else {
      return (w_node_ / in_.weighted_n_samples) *
             (imp - (w_right / w_node_ * imp_right) - (w_left_ / w_node_ * imp_left));
    }
  }

 private:
  // Half Poisson deviance Σ w·y·log(y/ȳ) / W (natural log, 0·log 0 = 0).
  double poisson_loss(const uint32_t* rows, int64_t n, double sum, double w) const {
    const double mean = sum / w;
    if (mean <= kPoissonEpsilon) return kInfinity;
    double loss = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double y = in_.y[rows[i]];
      if (y != 0.0) loss += in_.weight[rows[i]] * y * std::log(y / mean);
    }
    return loss / w;
  }

  CriterionInputs in_;
  std::vector<double> local_weight_, local_y_;
  const uint32_t* rows_ = nullptr;
  int64_t n_ = 0;
  double sum_total_ = 0.0, sq_sum_total_ = 0.0, w_node_ = 0.0;
  double sum_left_ = 0.0, w_left_ = 0.0;
};

}  // namespace traind::engines::trees::detail
