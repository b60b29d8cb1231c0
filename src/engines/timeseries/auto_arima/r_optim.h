// R's optim(method = "BFGS") as stats::arima calls it: Nash's variable-metric minimiser
// (R's vmmin), central-difference gradients with step `ndeps` on the parscale'd
// parameters, and optimhess() for the Hessian. Selection must follow R's fits closely
// (spec A.9.1), so the search path, the stopping rule and the failure modes are R's:
// a non-finite start or a non-finite finite difference is an error, as in R.
#pragma once

#include <functional>
#include <vector>

namespace traind::engines::timeseries::detail {

// f(par) on the user's (unscaled) parameters; par has the size given to optim_bfgs.
using OptimObjective = std::function<double(const double* par)>;

struct OptimControl {
  std::vector<double> parscale;             // empty = all ones
  double ndeps = 1e-3;                      // R's default finite-difference step (scaled space)
  int maxit = 100;                          // R's default for BFGS
  double reltol = 1.490116119384765625e-8;  // sqrt(.Machine$double.eps)
};

struct OptimOutcome {
  bool ok = false;              // false: R would have raised an error (the caller's fit fails)
  std::vector<double> par;      // final parameters (unscaled)
  double value = 0.0;           // f at par
  int convergence = 0;          // 0 converged, 1 iteration limit (R's res$convergence)
  std::vector<double> hessian;  // row-major, only when asked for
};

// optim(par, fn, method = "BFGS", hessian = want_hessian, control = control).
OptimOutcome optim_bfgs(const OptimObjective& fn, const std::vector<double>& par,
                        const OptimControl& control, bool want_hessian);

}  // namespace traind::engines::timeseries::detail
