// The absolute_error criterion (scikit-learn's MAE): impurity is the weighted mean absolute
// deviation from the weighted median, the node value is that median.
//
// Like scikit-learn this costs O(node rows) per candidate split; it keeps the node's rows
// sorted by target once and marks which of them are currently on the left.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engines/trees/forest/split_criteria.h"

namespace traind::engines::trees::detail {

class AbsoluteErrorCriterion {
 public:
  AbsoluteErrorCriterion(const CriterionInputs& in, int64_t n_rows)
      : in_(in), in_left_(static_cast<size_t>(n_rows), 0) {}

  void init_node(const uint32_t* rows, int64_t n) {
    by_target_.assign(rows, rows + n);
    std::sort(by_target_.begin(), by_target_.end(), [this](uint32_t a, uint32_t b) {
      return in_.y[a] < in_.y[b] || (in_.y[a] == in_.y[b] && a < b);
    });
    w_node_ = 0.0;
    for (int64_t i = 0; i < n; ++i) w_node_ += in_.weight[rows[i]];
    for (uint32_t r : by_target_) in_left_[r] = 0;
    median_ = side_median(0, w_node_, /*all=*/true);
  }
  double weighted_node() const { return w_node_; }
  double node_impurity() const { return side_deviation(0, median_, w_node_, true); }
  int value_width() const { return 1; }
  void node_value(double* out) const { out[0] = median_; }

  void gather(const uint32_t* rows, int64_t /*n*/) { node_rows_ = rows; }
  void add_left_local(uint32_t i) { add_left(node_rows_[i]); }
  void prefetch_local(uint32_t /*i*/) const {}

  void reset_left() {
    for (uint32_t r : by_target_) in_left_[r] = 0;
    w_left_ = 0.0;
  }
  void add_left(uint32_t row) {
    in_left_[row] = 1;
    w_left_ += in_.weight[row];
  }
  double weighted_left() const { return w_left_; }
  double weighted_right() const { return w_node_ - w_left_; }

  double proxy() const {
    double imp_left = 0.0, imp_right = 0.0;
    impurities(&imp_left, &imp_right);
    return -(w_node_ - w_left_) * imp_right - w_left_ * imp_left;
  }

  void children_impurity(const uint32_t* rows, int64_t /*n*/, int64_t pos, double* imp_left,
                         double* imp_right) {
    reset_left();
    for (int64_t i = 0; i < pos; ++i) add_left(rows[i]);
    impurities(imp_left, imp_right);
  }

  double improvement(double imp, double imp_left, double imp_right) const {
    const double w_right = w_node_ - w_left_;
    return (w_node_ / in_.weighted_n_samples) *
           (imp - (w_right / w_node_ * imp_right) - (w_left_ / w_node_ * imp_left));
  }

 private:
  void impurities(double* imp_left, double* imp_right) const {
    const double w_right = w_node_ - w_left_;
    const double median_left = side_median(1, w_left_, false);
    const double median_right = side_median(0, w_right, false);
    *imp_left = side_deviation(1, median_left, w_left_, false);
    *imp_right = side_deviation(0, median_right, w_right, false);
  }

  // scikit-learn's WeightedMedianCalculator: with the side's values ascending, k is the
  // smallest count whose weight reaches half the total; exactly half averages y[k-1], y[k].
  double side_median(uint8_t side, double total, bool all) const {
    const double half = total / 2.0;
    double cumulative = 0.0;
    double previous = 0.0;
    bool averaging = false;
    for (uint32_t r : by_target_) {
      if (!all && in_left_[r] != side) continue;
      const double y = in_.y[r];
      if (averaging) return (y + previous) / 2.0;
      cumulative += in_.weight[r];
      if (cumulative >= half) {
        if (cumulative == half) {
          averaging = true;
          previous = y;
          continue;
        }
        return y;
      }
    }
    return previous;
  }

  double side_deviation(uint8_t side, double median, double total, bool all) const {
    double sum = 0.0;
    for (uint32_t r : by_target_) {
      if (!all && in_left_[r] != side) continue;
      sum += std::fabs(in_.y[r] - median) * in_.weight[r];
    }
    return sum / total;
  }

  CriterionInputs in_;
  std::vector<uint8_t> in_left_;
  std::vector<uint32_t> by_target_;
  const uint32_t* node_rows_ = nullptr;
  double w_node_ = 0.0, w_left_ = 0.0, median_ = 0.0;
};

}  // namespace traind::engines::trees::detail
