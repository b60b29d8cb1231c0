// -log p of prophet.stan and its gradient. The trend's gradient is accumulated per segment
// between changepoints (O(T + S)); the feature part costs two matrix-vector products.
#include "engines/timeseries/prophet/map_objective.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace traind::engines::timeseries::detail {

MapObjective::MapObjective(MapProblem problem) : problem_(std::move(problem)) {
  rows_ = problem_.t.size();
  num_changepoints_ = static_cast<Eigen::Index>(problem_.changepoints_t.size());
  num_columns_ = problem_.x.cols();
  any_additive_ = problem_.s_a.sum() > 0;
  any_multiplicative_ = problem_.s_m.sum() > 0;
  // Segment j (0..S) holds the rows with exactly j changepoints at or before t (Stan's A).
  segment_end_.resize(static_cast<size_t>(num_changepoints_) + 1);
  for (Eigen::Index j = 0; j < num_changepoints_; ++j) {
    const double s = problem_.changepoints_t[static_cast<size_t>(j)];
    segment_end_[static_cast<size_t>(j)] =
        std::lower_bound(problem_.t.data(), problem_.t.data() + rows_, s) - problem_.t.data();
  }
  segment_end_.back() = rows_;
  beta_a_.resize(num_columns_);
  beta_m_.resize(num_columns_);
  xb_a_ = Eigen::VectorXd::Zero(rows_);
  xb_m_ = Eigen::VectorXd::Zero(rows_);
  trend_.resize(rows_);
  residual_.resize(rows_);
  dtrend_.resize(rows_);
  weights_.resize(rows_, 2);
  xt_weights_.resize(num_columns_, 2);
  const auto segments = static_cast<size_t>(num_changepoints_) + 1;
  seg_rate_.resize(segments);
  seg_offset_.resize(segments);
  seg_dk_.resize(segments);
  seg_dm_.resize(segments);
  if (problem_.growth == Growth::kLinear && !any_multiplicative_) prepare_gram_path();
}

void MapObjective::prepare_gram_path() {
  const Eigen::Index p = 2 + num_changepoints_ + num_columns_;
  Eigen::MatrixXd phi(rows_, p);
  phi.col(0) = problem_.t;
  phi.col(1).setOnes();
  for (Eigen::Index j = 0; j < num_changepoints_; ++j) {
    const double s = problem_.changepoints_t[static_cast<size_t>(j)];
    phi.col(2 + j) = (problem_.t.array() >= s).select(problem_.t.array() - s, 0.0).matrix();
  }
  phi.rightCols(num_columns_) = problem_.x * problem_.s_a.asDiagonal();
  gram_ = Eigen::MatrixXd::Zero(p, p);
  gram_.selfadjointView<Eigen::Lower>().rankUpdate(phi.transpose());
  gram_.triangularView<Eigen::StrictlyUpper>() = gram_.transpose();
  phi_y_ = phi.transpose() * problem_.y;
  y_y_ = problem_.y.squaredNorm();
  theta_.resize(p);
  gram_theta_.resize(p);
  gram_path_ = true;
}

// −log p of B.4 from the sum of squared residuals: the priors of k, m, δ, σ and β plus
// the Gaussian likelihood (T ln σ + SSR / 2σ²), Stan's constants dropped.
double MapObjective::negative_log_posterior(const Eigen::VectorXd& x, double sigma2,
                                            double log_sigma, double sum_sq) const {
  const double k = x[kK];
  const double m = x[kM];
  const auto beta = x.tail(num_columns_);
  const auto delta = x.segment(kDelta, num_changepoints_);
  return k * k / 50.0 + m * m / 50.0 + 2.0 * sigma2 +
         (beta.array().square() / (2.0 * problem_.sigmas.array().square())).sum() +
         static_cast<double>(rows_) * log_sigma + sum_sq / (2.0 * sigma2) +
         delta.cwiseAbs().sum() / problem_.tau;
}

// The priors' part of the gradient for k, m and δ (added) and the whole ln σ component
// (set). Stan's derivative of |δ| is sign(δ), 0 at 0.
void MapObjective::add_prior_gradient(const Eigen::VectorXd& x, double sigma2, double sum_sq,
                                      Eigen::VectorXd& g) const {
  g[kK] += x[kK] / 25.0;
  g[kM] += x[kM] / 25.0;
  for (Eigen::Index j = 0; j < num_changepoints_; ++j) {
    const double d = x[kDelta + j];
    g[kDelta + j] += (d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0)) / problem_.tau;
  }
  g[log_sigma_index()] = 4.0 * sigma2 + static_cast<double>(rows_) - sum_sq / sigma2;
}

double MapObjective::evaluate_gram(const Eigen::VectorXd& x, Eigen::VectorXd* grad) {
  const Eigen::Index trend_params = 2 + num_changepoints_;
  const double log_sigma = x[log_sigma_index()];
  const double sigma = std::exp(log_sigma);
  const double sigma2 = sigma * sigma;
  theta_.head(trend_params) = x.head(trend_params);
  theta_.tail(num_columns_) = x.tail(num_columns_);
  gram_theta_.noalias() = gram_.selfadjointView<Eigen::Lower>() * theta_;
  // Sum of squared residuals; cannot be negative, whatever the round-off.
  const double sum_sq = std::max(0.0, y_y_ - 2.0 * theta_.dot(phi_y_) + theta_.dot(gram_theta_));
  const auto beta = x.tail(num_columns_);
  const double value = negative_log_posterior(x, sigma2, log_sigma, sum_sq);
  if (grad == nullptr) return value;
  Eigen::VectorXd& g = *grad;
  g.resize(size());
  gram_theta_ -= phi_y_;
  gram_theta_ /= sigma2;
  g.head(trend_params) = gram_theta_.head(trend_params);
  g.tail(num_columns_) = gram_theta_.tail(num_columns_) +
                         beta.cwiseQuotient(problem_.sigmas.cwiseProduct(problem_.sigmas));
  add_prior_gradient(x, sigma2, sum_sq, g);
  return value;
}

void MapObjective::compute_trend(const Eigen::VectorXd& x) {
  const double k = x[kK];
  const double m = x[kM];
  const Growth growth = problem_.growth;
  if (growth == Growth::kFlat) {
    trend_.setConstant(m);
    return;
  }
  seg_rate_[0] = k;
  seg_offset_[0] = m;
  for (Eigen::Index j = 0; j < num_changepoints_; ++j) {
    const auto js = static_cast<size_t>(j);
    const double delta = x[kDelta + j];
    const double s = problem_.changepoints_t[js];
    seg_rate_[js + 1] = seg_rate_[js] + delta;
    if (growth == Growth::kLinear) {
      seg_offset_[js + 1] = seg_offset_[js] - s * delta;
    } else {
      // logistic_gamma(): gamma_j = (s_j - m_prev) * (1 - k_j / k_{j+1}).
      seg_offset_[js + 1] =
          seg_offset_[js] + (s - seg_offset_[js]) * (1.0 - seg_rate_[js] / seg_rate_[js + 1]);
    }
  }
  Eigen::Index row = 0;
  for (size_t j = 0; j < segment_end_.size(); ++j) {
    const double rate = seg_rate_[j];
    const double offset = seg_offset_[j];
    const Eigen::Index end = segment_end_[j];
    if (growth == Growth::kLinear) {
      for (; row < end; ++row) trend_[row] = rate * problem_.t[row] + offset;
    } else {
      for (; row < end; ++row) {
        trend_[row] = problem_.cap[row] / (1.0 + std::exp(-rate * (problem_.t[row] - offset)));
      }
    }
  }
}

// dtrend_ holds dF/dg per row; adds dF/dk, dF/dm, dF/ddelta to grad.
void MapObjective::trend_gradient(Eigen::VectorXd* grad) {
  Eigen::VectorXd& g = *grad;
  const Growth growth = problem_.growth;
  if (growth == Growth::kFlat) {
    g[kM] += dtrend_.sum();
    return;
  }
  const size_t segments = segment_end_.size();
  Eigen::Index row = 0;
  for (size_t j = 0; j < segments; ++j) {
    double dk = 0.0, dm = 0.0;
    const Eigen::Index end = segment_end_[j];
    if (growth == Growth::kLinear) {
      // g = rate * t + offset: dF/drate = sum q t, dF/doffset = sum q.
      for (; row < end; ++row) {
        dk += dtrend_[row] * problem_.t[row];
        dm += dtrend_[row];
      }
    } else {
      // g = C / (1 + exp(-rate (t - offset))): dg/drate = C p (1-p) (t - offset),
      // dg/doffset = -C p (1-p) rate with p = g / C.
      const double rate = seg_rate_[j];
      const double offset = seg_offset_[j];
      for (; row < end; ++row) {
        const double c = problem_.cap[row];
        const double p = trend_[row] / c;
        const double slope = dtrend_[row] * c * p * (1.0 - p);
        dk += slope * (problem_.t[row] - offset);
        dm -= slope * rate;
      }
    }
    seg_dk_[j] = dk;
    seg_dm_[j] = dm;
  }
  if (growth == Growth::kLinear) {
    // offset_j = m - sum_{l<j} s_l delta_l; rate_j = k + sum_{l<j} delta_l.
    double suffix_dk = 0.0, suffix_dm = 0.0;
    for (Eigen::Index j = num_changepoints_ - 1; j >= 0; --j) {
      suffix_dk += seg_dk_[static_cast<size_t>(j) + 1];
      suffix_dm += seg_dm_[static_cast<size_t>(j) + 1];
      g[kDelta + j] += suffix_dk - problem_.changepoints_t[static_cast<size_t>(j)] * suffix_dm;
    }
    g[kK] += suffix_dk + seg_dk_[0];
    g[kM] += suffix_dm + seg_dm_[0];
    return;
  }
  // Logistic: offset_{j+1} = rho_j offset_j + (1 - rho_j) s_j with rho_j = rate_j / rate_{j+1};
  // back-propagate the offsets' adjoints into the rates, then rates into k and delta.
  for (Eigen::Index j = num_changepoints_ - 1; j >= 0; --j) {
    const auto js = static_cast<size_t>(j);
    const double rho = seg_rate_[js] / seg_rate_[js + 1];
    const double d_rho = seg_dm_[js + 1] * (seg_offset_[js] - problem_.changepoints_t[js]);
    seg_dm_[js] += seg_dm_[js + 1] * rho;
    seg_dk_[js] += d_rho / seg_rate_[js + 1];
    seg_dk_[js + 1] -= d_rho * seg_rate_[js] / (seg_rate_[js + 1] * seg_rate_[js + 1]);
  }
  double suffix_dk = 0.0;
  for (Eigen::Index j = num_changepoints_ - 1; j >= 0; --j) {
    suffix_dk += seg_dk_[static_cast<size_t>(j) + 1];
    g[kDelta + j] += suffix_dk;
  }
  g[kK] += suffix_dk + seg_dk_[0];
  g[kM] += seg_dm_[0];
}

double MapObjective::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* grad) {
  if (gram_path_) return evaluate_gram(x, grad);
  const double log_sigma = x[log_sigma_index()];
  const double sigma = std::exp(log_sigma);
  const auto beta = x.segment(beta_index(), num_columns_);

  compute_trend(x);
  if (any_additive_) {
    beta_a_ = beta.cwiseProduct(problem_.s_a);
    xb_a_.noalias() = problem_.x * beta_a_;
  }
  if (any_multiplicative_) {
    beta_m_ = beta.cwiseProduct(problem_.s_m);
    xb_m_.noalias() = problem_.x * beta_m_;
    residual_ = problem_.y - trend_.cwiseProduct(xb_m_.array().matrix()) - trend_ - xb_a_;
  } else {
    residual_ = problem_.y - trend_ - xb_a_;
  }
  const double sum_sq = residual_.squaredNorm();
  const double sigma2 = sigma * sigma;
  const double value = negative_log_posterior(x, sigma2, log_sigma, sum_sq);
  if (grad == nullptr) return value;

  Eigen::VectorXd& g = *grad;
  g.setZero(size());
  // dF/dmu_t = -r_t / sigma^2; mu = trend (1 + X beta_m) + X beta_a.
  auto w = weights_.col(0);
  w = residual_ * (-1.0 / sigma2);
  if (any_multiplicative_) {
    dtrend_ = w + w.cwiseProduct(xb_m_);
    weights_.col(1) = w.cwiseProduct(trend_);
    xt_weights_.noalias() = problem_.x.transpose() * weights_;
    g.segment(beta_index(), num_columns_) = xt_weights_.col(0).cwiseProduct(problem_.s_a) +
                                            xt_weights_.col(1).cwiseProduct(problem_.s_m);
  } else {
    dtrend_ = w;
    xt_weights_.col(0).noalias() = problem_.x.transpose() * w;
    g.segment(beta_index(), num_columns_) = xt_weights_.col(0).cwiseProduct(problem_.s_a);
  }
  g.segment(beta_index(), num_columns_) +=
      beta.cwiseQuotient(problem_.sigmas.cwiseProduct(problem_.sigmas));
  trend_gradient(grad);
  add_prior_gradient(x, sigma2, sum_sq, g);
  return value;
}

Eigen::MatrixXd MapObjective::stan_newton_hessian(const Eigen::VectorXd& x) {
  constexpr double kEpsilon = 1e-3;
  constexpr double kPerturbations[4] = {-2 * kEpsilon, -kEpsilon, kEpsilon, 2 * kEpsilon};
  constexpr double kCoefficients[4] = {1.0 / 12.0, -2.0 / 3.0, 2.0 / 3.0, -1.0 / 12.0};
  const Eigen::Index n = size();
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd shifted = x;
  for (Eigen::Index d = 0; d < n; ++d) {
    for (int i = 0; i < 4; ++i) {
      shifted[d] = x[d] + kPerturbations[i];
      evaluate(shifted, &grad_shifted_);
      // log p's gradient is -grad f; Stan adds each increment to (d, dd) and (dd, d).
      const double weight = 0.5 * kEpsilon * kCoefficients[i];
      for (Eigen::Index dd = 0; dd < n; ++dd) {
        const double increment = -weight * grad_shifted_[dd];
        h(d, dd) += increment;
        h(dd, d) += increment;
      }
    }
    shifted[d] = x[d];
  }
  return h;
}

}  // namespace traind::engines::timeseries::detail
