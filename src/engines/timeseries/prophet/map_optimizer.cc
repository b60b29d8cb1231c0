// Stan 2.21's optimisers as rstan::optimizing runs them for prophet, rewritten on our
// objective: BFGSMinimizer with the L-BFGS update (history 5), the strong-Wolfe line search
// with cubic interpolation (WolfeLineSearch / WolfLSZoom), Stan's convergence tests, and
// stan::optimization::newton_step. Quirks are kept on purpose because R's answer depends on
// them (see the comments at each).
#include "engines/timeseries/prophet/map_optimizer.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

namespace traind::engines::timeseries::detail {
namespace {

using Eigen::VectorXd;

constexpr double kC1 = 1e-4;
constexpr double kC2 = 0.9;
constexpr double kMinAlpha = 1e-12;
constexpr int kMaxLineSearchIterations = 20;
constexpr int kMaxLineSearchRestarts = 10;
constexpr double kZoomMinRange = 1e-16;
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

// Stan's BFGS termination codes (stan/optimization/bfgs.hpp).
enum StanTermination {
  kStepDone = 0,
  kAbsX = 10,
  kAbsF = 20,
  kRelF = 21,
  kAbsGrad = 30,
  kRelGrad = 31,
  kMaxIterations = 40,
  kLineSearchFailed = -1,
};

// f and its gradient; false when either is not finite (Stan's ModelAdaptor returns non-zero).
class CountedObjective {
 public:
  explicit CountedObjective(MapObjective& objective) : objective_(objective) {}
  bool operator()(const VectorXd& x, double& f, VectorXd& g) {
    ++evaluations_;
    f = objective_.evaluate(x, &g);
    return std::isfinite(f) && g.allFinite();
  }
  int evaluations() const { return evaluations_; }

 private:
  MapObjective& objective_;
  int evaluations_ = 0;
};

// Minimiser on [lo_x, hi_x] of the cubic with value 0 and slope df0 at 0, value f1 and slope
// df1 at x1 (Stan's CubicInterp).
double cubic_interp(double df0, double x1, double f1, double df1, double lo_x, double hi_x) {
  const double c3 = (-12 * f1 + 6 * x1 * (df0 + df1)) / (x1 * x1 * x1);
  const double c2 = -(4 * df0 + 2 * df1) / x1 + 6 * f1 / (x1 * x1);
  const double c1 = df0;
  const double t_s = std::sqrt(c2 * c2 - 2.0 * c1 * c3);
  const double s1 = -(c2 + t_s) / c3;
  const double s2 = -(c2 - t_s) / c3;
  auto cubic = [&](double x) { return x * (x * (x * c3 / 3.0 + c2) / 2.0 + c1); };
  double min_f = cubic(lo_x);
  double min_x = lo_x;
  if (double f = cubic(hi_x); f < min_f) {
    min_f = f;
    min_x = hi_x;
  }
  if (lo_x < s1 && s1 < hi_x) {
    if (double f = cubic(s1); f < min_f) {
      min_f = f;
      min_x = s1;
    }
  }
  if (lo_x < s2 && s2 < hi_x) {
    if (double f = cubic(s2); f < min_f) min_x = s2;
  }
  return min_x;
}

// Stan's WolfLSZoom: 0 on success, 1 when the bracket shrinks below min_range.
int wolfe_zoom(double& alpha, VectorXd& new_x, double& new_f, VectorXd& new_g,
               CountedObjective& func, const VectorXd& x, double f, double c1dfp, double c2dfp,
               const VectorXd& p, double alo, double alo_f, double alo_dfp, double ahi,
               double ahi_f, double ahi_dfp) {
  int iteration = 0;
  while (true) {
    ++iteration;
    if (std::abs(alo - ahi) < kZoomMinRange) return 1;
    if (iteration % 5 == 0) {
      alpha = 0.5 * (alo + ahi);
    } else {
      const double d1 = alo_dfp + ahi_dfp - 3 * (alo_f - ahi_f) / (alo - ahi);
      double d2 = std::sqrt(d1 * d1 - alo_dfp * ahi_dfp);
      if (ahi < alo) d2 = -d2;
      alpha = ahi - (ahi - alo) * (ahi_dfp + d2 - d1) / (ahi_dfp - alo_dfp + 2 * d2);
      if (!std::isfinite(alpha) || alpha < std::min(alo, ahi) + 0.01 * std::abs(alo - ahi) ||
          alpha > std::max(alo, ahi) - 0.01 * std::abs(alo - ahi)) {
        alpha = 0.5 * (alo + ahi);
      }
    }
    new_x = x + alpha * p;
    while (!func(new_x, new_f, new_g)) {
      alpha = 0.5 * (alpha + std::min(alo, ahi));
      if (std::abs(std::min(alo, ahi) - alpha) < kZoomMinRange) return 1;
      new_x = x + alpha * p;
    }
    const double new_dfp = new_g.dot(p);
    if (new_f > (f + alpha * c1dfp) || new_f >= alo_f) {
      ahi = alpha;
      ahi_f = new_f;
      ahi_dfp = new_dfp;
    } else {
      if (std::abs(new_dfp) <= -c2dfp) break;
      if (new_dfp * (ahi - alo) >= 0) {
        ahi = alo;
        ahi_f = alo_f;
        ahi_dfp = alo_dfp;
      }
      alo = alpha;
      alo_f = new_f;
      alo_dfp = new_dfp;
    }
  }
  return 0;
}

// Stan's WolfeLineSearch (strong Wolfe conditions). Writes the accepted point into x1, f1, g1.
int wolfe_line_search(CountedObjective& func, double& alpha, VectorXd& x1, double& f1, VectorXd& g1,
                      const VectorXd& p, const VectorXd& x0, double f0, const VectorXd& g0) {
  const double dfp = g0.dot(p);
  const double c1dfp = kC1 * dfp;
  const double c2dfp = kC2 * dfp;
  double alpha0 = kMinAlpha;
  double alpha1 = alpha;
  double prev_f = f0;
  double prev_dfp = dfp;
  int iterations = 0, restarts = 0;
  while (true) {
    if (iterations >= kMaxLineSearchIterations) return 1;
    x1 = x0 + alpha1 * p;
    if (!func(x1, f1, g1)) {
      if (restarts >= kMaxLineSearchRestarts) return 1;
      alpha1 = 0.5 * (alpha0 + alpha1);
      ++restarts;
      continue;
    }
    restarts = 0;
    const double new_dfp = g1.dot(p);
    // Stan tests sufficient decrease with the first trial step `alpha`, not alpha1.
    if ((f1 > f0 + alpha * c1dfp) || (f1 >= prev_f && iterations > 0)) {
      return wolfe_zoom(alpha, x1, f1, g1, func, x0, f0, c1dfp, c2dfp, p, alpha0, prev_f, prev_dfp,
                        alpha1, f1, new_dfp);
    }
    if (std::abs(new_dfp) <= -c2dfp) {
      alpha = alpha1;
      return 0;
    }
    if (new_dfp >= 0) {
      return wolfe_zoom(alpha, x1, f1, g1, func, x0, f0, c1dfp, c2dfp, p, alpha1, f1, new_dfp,
                        alpha0, prev_f, prev_dfp);
    }
    alpha0 = alpha1;
    prev_f = f1;
    prev_dfp = new_dfp;
    alpha1 *= 10.0;
    ++iterations;
  }
}

// Stan's LBFGSUpdate: the last `history` (1 / s'y, y, s) pairs.
class LbfgsHistory {
 public:
  explicit LbfgsHistory(size_t capacity) : capacity_(capacity) {}

  double update(const VectorXd& yk, const VectorXd& sk, bool reset) {
    const double skyk = yk.dot(sk);
    double b0_factor = 1.0;
    if (reset) {
      b0_factor = yk.squaredNorm() / skyk;
      pairs_.clear();
    }
    gamma_ = skyk / yk.squaredNorm();
    if (pairs_.size() == capacity_) pairs_.pop_front();
    pairs_.push_back({1.0 / skyk, yk, sk});
    return b0_factor;
  }

  void search_direction(VectorXd& pk, const VectorXd& gk) {
    alphas_.resize(pairs_.size());
    pk = -gk;
    for (size_t i = pairs_.size(); i-- > 0;) {
      const Pair& u = pairs_[i];
      alphas_[i] = u.rho * u.s.dot(pk);
      pk -= alphas_[i] * u.y;
    }
    pk *= gamma_;
    for (size_t i = 0; i < pairs_.size(); ++i) {
      const Pair& u = pairs_[i];
      const double beta = u.rho * u.y.dot(pk);
      pk += (alphas_[i] - beta) * u.s;
    }
  }

 private:
  struct Pair {
    double rho;
    VectorXd y, s;
  };
  size_t capacity_;
  std::deque<Pair> pairs_;
  std::vector<double> alphas_;
  double gamma_ = 1.0;
};

}  // namespace

Result<MapEstimate> minimize_stan_lbfgs(MapObjective& objective, const Eigen::VectorXd& x0,
                                        const StanLbfgsOptions& options) {
  CountedObjective func(objective);
  LbfgsHistory history(static_cast<size_t>(options.history));
  const Eigen::Index n = x0.size();
  VectorXd xk = x0, xk_1(n), gk(n), gk_1(n), pk(n), pk_1(n);
  double fk = 0.0, fk_1 = 0.0, alpha = 0.0, alphak_1 = 0.0;
  if (!func(xk, fk, gk)) {
    return Status(ErrorCode::kTrainingError, "the Prophet objective is not finite at the start");
  }
  pk = -gk;
  int code = kStepDone;
  int iteration = 0;
  while (code == kStepDone) {
    // BFGSMinimizer::step().
    ++iteration;
    int reset = iteration == 1 ? 1 : 0;
    while (true) {
      if (reset) pk = -gk;
      if (iteration > 1 && reset != 2) {
        alpha = std::min(1.0, 1.01 * cubic_interp(gk_1.dot(pk_1), alphak_1, fk - fk_1, gk.dot(pk_1),
                                                  kMinAlpha, 1.0));
      } else {
        alpha = options.init_alpha;
      }
      // The line search writes the new point into the "previous" slots; they are swapped below.
      if (wolfe_line_search(func, alpha, xk_1, fk_1, gk_1, pk, xk, fk, gk) != 0) {
        if (reset) {
          code = kLineSearchFailed;
          break;
        }
        reset = 2;  // "LS failed, Hessian reset"
        continue;
      }
      break;
    }
    if (code == kLineSearchFailed) break;
    std::swap(fk, fk_1);
    xk.swap(xk_1);
    gk.swap(gk_1);
    pk.swap(pk_1);
    const VectorXd sk = xk - xk_1;
    const VectorXd yk = gk - gk_1;
    const double grad_norm = gk.norm();
    const double step_norm = sk.norm();
    if (reset) {
      const double b0_factor = history.update(yk, sk, true);
      pk_1 /= b0_factor;
      alphak_1 = alpha * b0_factor;
    } else {
      history.update(yk, sk, false);
      alphak_1 = alpha;
    }
    history.search_direction(pk, gk);
    const double rel_obj_decrease =
        std::abs(fk_1 - fk) / std::max({std::abs(fk_1), std::abs(fk), 1.0});
    const double rel_grad_norm = -pk.dot(gk) / std::max(std::abs(fk), 1.0);
    if (std::abs(fk_1 - fk) < options.tol_obj) {
      code = kAbsF;
    } else if (grad_norm < options.tol_grad) {
      code = kAbsGrad;
    } else if (step_norm < options.tol_param) {
      code = kAbsX;
    } else if (iteration >= options.max_iterations) {
      code = kMaxIterations;
    } else if (rel_obj_decrease < options.tol_rel_obj * kEpsilon) {
      code = kRelF;
    } else if (rel_grad_norm < options.tol_rel_grad * kEpsilon) {
      code = kRelGrad;
    }
  }
  if (code < 0) {
    return Status(ErrorCode::kTrainingError,
                  "L-BFGS line search failed to achieve a sufficient decrease");
  }
  MapEstimate out;
  out.x = xk;
  out.log_posterior = -fk;
  out.algorithm = "LBFGS";
  out.converged = code != kMaxIterations;
  out.iterations = iteration;
  out.evaluations = func.evaluations();
  return out;
}

Result<MapEstimate> minimize_stan_newton(MapObjective& objective, const Eigen::VectorXd& x0,
                                         int max_iterations) {
  constexpr double kMinStep = 1e-50;
  constexpr double kRejected = -1e100;  // Stan's log p for a failed evaluation
  MapEstimate out;
  out.algorithm = "Newton";
  VectorXd x = x0;
  VectorXd grad(objective.size());
  auto log_p = [&](const VectorXd& at, VectorXd* g) {
    ++out.evaluations;
    const double f = objective.evaluate(at, g);
    return std::isfinite(f) ? -f : kRejected;
  };
  double lp = log_p(x, nullptr);
  if (lp == kRejected) {
    return Status(ErrorCode::kTrainingError, "the Prophet objective is not finite at the start");
  }
  out.converged = false;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const double last_lp = lp;
    // newton_step(): the direction solves |H| d = grad log p in H's eigenbasis.
    const double lp0 = log_p(x, &grad);
    const Eigen::MatrixXd h = objective.stan_newton_hessian(x);
    out.evaluations += 4 * static_cast<int>(objective.size());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(h);
    VectorXd projections = eig.eigenvectors().transpose() * (-grad);
    for (Eigen::Index i = 0; i < projections.size(); ++i) {
      projections[i] = -projections[i] / std::abs(eig.eigenvalues()[i]);
    }
    const VectorXd direction = eig.eigenvectors() * projections;
    double step = 2.0;
    double lp1 = kRejected;
    VectorXd x_new;
    bool moved = true;
    while (lp1 < lp0) {
      step *= 0.5;
      if (step < kMinStep) {
        moved = false;
        break;
      }
      x_new = x - step * direction;
      lp1 = log_p(x_new, nullptr);
    }
    if (moved) {
      x = x_new;
      lp = lp1;
    } else {
      lp = lp0;
    }
    out.iterations = iteration + 1;
    // Stan's first comparison is against log p with constants, so it never stops there.
    if (iteration > 0 && std::abs(lp - last_lp) <= 1e-8) {
      out.converged = true;
      break;
    }
  }
  out.x = x;
  out.log_posterior = lp;
  return out;
}

Result<MapEstimate> find_map(MapObjective& objective, const Eigen::VectorXd& x0, bool newton) {
  if (newton) return minimize_stan_newton(objective, x0);
  Result<MapEstimate> lbfgs = minimize_stan_lbfgs(objective, x0);
  if (lbfgs.is_ok()) return lbfgs;
  // fit.prophet: "Optimization terminated abnormally. Falling back to Newton optimizer."
  return minimize_stan_newton(objective, x0);
}

}  // namespace traind::engines::timeseries::detail
