// NLopt's L-BFGS with our Objective. NLopt keeps the best point it evaluated; on a
// round-off stop (its line search cannot improve any more) that point is the answer, not
// an error: the likelihoods here are often flat to machine precision at the optimum.
#include "engines/timeseries/common/lbfgs_minimizer.h"

#include <cmath>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <string>
#include <vector>

namespace traind::engines::timeseries {
namespace {

struct CallState {
  const Objective* f = nullptr;
  Eigen::VectorXd x;
  Eigen::VectorXd grad;
  int evaluations = 0;
  bool any_finite = false;
  // An exception thrown by f is kept here: it must not unwind through NLopt's C code.
  std::exception_ptr error;
};

double call_objective(unsigned n, const double* x, double* grad, void* data) {
  auto* state = static_cast<CallState*>(data);
  ++state->evaluations;
  try {
    state->x = Eigen::Map<const Eigen::VectorXd>(x, n);
    double value = (*state->f)(state->x, grad != nullptr ? &state->grad : nullptr);
    bool finite = std::isfinite(value);
    if (grad != nullptr) {
      for (unsigned i = 0; i < n; ++i) {
        grad[i] = state->grad[i];
        if (!std::isfinite(grad[i])) finite = false;
      }
    }
    if (!finite) {
      if (grad != nullptr) std::fill(grad, grad + n, 0.0);
      return std::numeric_limits<double>::infinity();
    }
    state->any_finite = true;
    return value;
  } catch (...) {
    state->error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

}  // namespace

Result<MinimizeResult> minimize_lbfgs(const Objective& f, Eigen::VectorXd x0,
                                      const MinimizeOptions& options) {
  const auto n = static_cast<unsigned>(x0.size());
  MinimizeResult result;
  if (n == 0) {
    result.x = x0;
    result.value = f(x0, nullptr);
    result.evaluations = 1;
    result.converged = true;
    if (!std::isfinite(result.value)) {
      return Status(ErrorCode::kTrainingError, "the objective is not finite");
    }
    return result;
  }
  CallState state;
  state.f = &f;
  state.grad.resize(n);
  std::vector<double> x(x0.data(), x0.data() + n);
  double value = std::numeric_limits<double>::infinity();
  nlopt::result code = nlopt::FAILURE;
  try {
    nlopt::opt opt(nlopt::LD_LBFGS, n);
    opt.set_min_objective(call_objective, &state);
    opt.set_ftol_rel(options.ftol_rel);
    if (options.xtol_rel > 0) opt.set_xtol_rel(options.xtol_rel);
    opt.set_maxeval(options.max_evaluations);
    opt.set_vector_storage(static_cast<unsigned>(options.history));
    code = opt.optimize(x, value);
  } catch (const nlopt::roundoff_limited&) {
    // The best point so far is in x (NLopt copies it back before throwing).
    code = nlopt::ROUNDOFF_LIMITED;
  } catch (const nlopt::forced_stop&) {
    code = nlopt::FORCED_STOP;
  } catch (const std::exception& e) {
    // NLopt throws std::runtime_error ("nlopt failure") when its line search fails from
    // the start, e.g. when every trial point is non-finite.
    if (!state.any_finite) {
      return Status(ErrorCode::kTrainingError,
                    std::string("the objective was never finite (") + e.what() + ")");
    }
    code = nlopt::FAILURE;
  }
  if (state.error) {
    try {
      std::rethrow_exception(state.error);
    } catch (const std::exception& e) {
      return Status(ErrorCode::kTrainingError, std::string("objective failed: ") + e.what());
    } catch (...) {
      return Status(ErrorCode::kTrainingError, "objective failed");
    }
  }
  if (!state.any_finite) {
    return Status(ErrorCode::kTrainingError, "the objective was never finite");
  }
  result.x = Eigen::Map<const Eigen::VectorXd>(x.data(), n);
  // After a thrown stop NLopt may leave `value` unset: evaluate the returned point again.
  result.value =
      (code == nlopt::ROUNDOFF_LIMITED || code == nlopt::FAILURE || !std::isfinite(value))
          ? f(result.x, nullptr)
          : value;
  result.evaluations = state.evaluations;
  result.converged = code == nlopt::SUCCESS || code == nlopt::FTOL_REACHED ||
                     code == nlopt::XTOL_REACHED || code == nlopt::STOPVAL_REACHED ||
                     code == nlopt::ROUNDOFF_LIMITED;
  if (!std::isfinite(result.value)) {
    return Status(ErrorCode::kTrainingError, "the optimiser ended at a non-finite objective");
  }
  return result;
}

}  // namespace traind::engines::timeseries
