// Minimises a smooth function with NLopt's L-BFGS (LD_LBFGS), the optimiser both
// time-series engines use (spec A.6, B.5). A thin, exception-free wrapper: NLopt's C++
// API throws, our callers take a Result.
#pragma once

#include <Eigen/Core>
#include <functional>

#include "core/status.h"

namespace traind::engines::timeseries {

// f(x) and, when `grad` is not null, its gradient written into *grad (already sized).
// A non-finite value counts as +inf, so the line search backs off from it.
using Objective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd* grad)>;

struct MinimizeOptions {
  double ftol_rel = 1e-12;     // stop when f changes by less than this, relatively
  double xtol_rel = 0.0;       // stop when x changes by less than this, relatively (0 = off)
  int max_evaluations = 2000;  // calls of f
  int history = 10;            // L-BFGS memory (scipy's m = 10; Stan's history = 5)
};

struct MinimizeResult {
  Eigen::VectorXd x;
  double value = 0.0;
  int evaluations = 0;
  // True when NLopt stopped on a tolerance; false when it ran out of evaluations or
  // stopped on round-off (the point is still the best one seen and usually usable).
  bool converged = false;
};

// Starts at x0. Fails with kTrainingError when f is never finite or NLopt reports an error.
Result<MinimizeResult> minimize_lbfgs(const Objective& f, Eigen::VectorXd x0,
                                      const MinimizeOptions& options = {});

}  // namespace traind::engines::timeseries
