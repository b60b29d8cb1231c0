// Finds the MAP estimate as rstan::optimizing (rstan 2.21.7) does for prophet (spec B.5):
// Stan's L-BFGS from the initial values, Stan's Newton below 100 rows, and Newton again when
// L-BFGS's line search fails (R's fallback on a non-zero return code).
//
// Why Stan's algorithms and not a tighter optimiser: the Laplace prior on delta makes the
// objective non-smooth at 0, and Stan stops well before the exact optimum (NLopt's L-BFGS finds
// log p higher by 0.1-1.3 on the fixtures, with rate changes 3-10x further from R's than
// spec B.8 allows). Following Stan's iteration reproduces R's rate changes and predictions.
#pragma once

#include <Eigen/Core>
#include <string>

#include "core/status.h"
#include "engines/timeseries/prophet/map_objective.h"

namespace traind::engines::timeseries::detail {

struct MapEstimate {
  Eigen::VectorXd x;           // [k, m, delta, log sigma, beta]
  double log_posterior = 0.0;  // -f(x)
  std::string algorithm;       // "LBFGS" or "Newton"
  bool converged = false;
  int iterations = 0;
  int evaluations = 0;
};

// rstan's optimizing defaults for L-BFGS.
struct StanLbfgsOptions {
  int history = 5;
  double init_alpha = 1e-3;
  double tol_obj = 1e-12;
  double tol_rel_obj = 1e4;
  double tol_grad = 1e-8;
  double tol_rel_grad = 1e7;
  double tol_param = 1e-8;
  int max_iterations = 10000;
};

// stan::optimization::BFGSLineSearch<LBFGSUpdate>: kTrainingError when the line search fails
// from a reset direction (Stan's TERM_LSFAIL).
Result<MapEstimate> minimize_stan_lbfgs(MapObjective& objective, const Eigen::VectorXd& x0,
                                        const StanLbfgsOptions& options = {});

// stan::services::optimize::newton: newton_step with Stan's finite-difference Hessian
// (grad_hess_log_prob), its eigenvalues replaced by their absolute values, step halving until
// log p does not decrease; stops when log p changes by <= 1e-8.
Result<MapEstimate> minimize_stan_newton(MapObjective& objective, const Eigen::VectorXd& x0,
                                         int max_iterations = 10000);

// rstan::optimizing(algorithm = if (T < 100) "Newton" else "LBFGS") with the Newton rerun.
Result<MapEstimate> find_map(MapObjective& objective, const Eigen::VectorXd& x0, bool newton);

}  // namespace traind::engines::timeseries::detail
