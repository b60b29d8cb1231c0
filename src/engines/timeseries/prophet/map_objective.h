// The MAP objective of prophet.stan (spec B.4) as a function to minimise, with its analytic
// gradient: f(x) = -log p(k, m, delta, sigma_obs = exp(u), beta | y) over
// x = [k, m, delta_1..S, u, beta_1..K]. Stan optimises over u = log sigma_obs without a
// Jacobian term, so the minimiser in x is the mode of the density in sigma_obs.
//
// Not thread-safe: evaluation reuses the object's buffers (no allocation per call).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/prophet/trend.h"

namespace traind::engines::timeseries::detail {

// The data block of prophet.stan: rows sorted by t, changepoints sorted.
struct MapProblem {
  Growth growth = Growth::kLinear;
  Eigen::VectorXd t, y, cap;  // cap: logistic only
  Eigen::MatrixXd x;          // T x K
  Eigen::VectorXd sigmas;     // prior scale per column
  Eigen::VectorXd s_a, s_m;   // additive / multiplicative column indicators
  std::vector<double> changepoints_t;
  double tau = 0.05;
};

class MapObjective {
 public:
  explicit MapObjective(MapProblem problem);

  Eigen::Index size() const { return 3 + num_changepoints_ + num_columns_; }
  Eigen::Index num_changepoints() const { return num_changepoints_; }
  Eigen::Index num_columns() const { return num_columns_; }
  // Positions in x.
  static constexpr Eigen::Index kK = 0;
  static constexpr Eigen::Index kM = 1;
  static constexpr Eigen::Index kDelta = 2;
  Eigen::Index log_sigma_index() const { return 2 + num_changepoints_; }
  Eigen::Index beta_index() const { return 3 + num_changepoints_; }

  // f(x) and, when grad is non-null, its gradient (d|delta|/ddelta = sign(delta), 0 at 0, as
  // Stan). Non-finite when the parameters leave the model's domain.
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* grad);

  // Stan 2.21's grad_hess_log_prob "Hessian" of log p: a 4-point difference of gradients with
  // step 1e-3 whose weights are multiplied (not divided) by the step, so it is about 1e-6 times
  // the true Hessian; the Laplace term included. Stan's Newton steps depend on that scaling.
  Eigen::MatrixXd stan_newton_hessian(const Eigen::VectorXd& x);

  const MapProblem& problem() const { return problem_; }

 private:
  void compute_trend(const Eigen::VectorXd& x);
  void prepare_gram_path();
  double evaluate_gram(const Eigen::VectorXd& x, Eigen::VectorXd* grad);
  double negative_log_posterior(const Eigen::VectorXd& x, double sigma2, double log_sigma,
                                double sum_sq) const;
  void add_prior_gradient(const Eigen::VectorXd& x, double sigma2, double sum_sq,
                          Eigen::VectorXd& g) const;
  void trend_gradient(Eigen::VectorXd* grad);

  MapProblem problem_;
  Eigen::Index rows_ = 0;
  Eigen::Index num_changepoints_ = 0;
  Eigen::Index num_columns_ = 0;
  bool any_additive_ = false;
  bool any_multiplicative_ = false;
  // Linear growth with additive columns only: the mean is Phi theta with theta = x without
  // log sigma and Phi = [t, 1, (t - s_j)+ ..., X s_a], so the sum of squares comes from the
  // Gram matrix Phi'Phi in O(P^2) per evaluation instead of O(T (S + K)).
  bool gram_path_ = false;
  Eigen::MatrixXd gram_;   // Phi' Phi
  Eigen::VectorXd phi_y_;  // Phi' y
  double y_y_ = 0.0;       // y' y
  Eigen::VectorXd theta_, gram_theta_;
  std::vector<Eigen::Index> segment_end_;  // row index where segment j ends (S + 1 entries)
  // Buffers.
  Eigen::VectorXd beta_a_, beta_m_, xb_a_, xb_m_, trend_, residual_, dtrend_;
  Eigen::MatrixXd weights_;     // T x 2: dF/dmu and dF/dmu * trend
  Eigen::MatrixXd xt_weights_;  // K x 2
  std::vector<double> seg_rate_, seg_offset_, seg_dk_, seg_dm_;
  Eigen::VectorXd grad_shifted_;
};

}  // namespace traind::engines::timeseries::detail
