// R's BFGS (vmmin, Nash 1990 Algorithm 21) with R's numeric gradient and optimhess. Written
// from R's documented behaviour (src/appl/optim.c, src/library/stats/src/optim.c) so that
// the iterates, and hence the fitted ARIMA models that auto.arima compares, are R's.
#include "engines/timeseries/auto_arima/r_optim.h"

#include <cmath>

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kStepReduction = 0.2;
constexpr double kAcceptTolerance = 1e-4;
constexpr double kRelTest = 10.0;

// The objective in optim's scaled space: b = par / parscale.
class ScaledObjective {
 public:
  ScaledObjective(const OptimObjective& fn, const std::vector<double>& parscale, double ndeps)
      : fn_(fn), parscale_(parscale), ndeps_(ndeps), x_(parscale.size()) {}

  double value(const std::vector<double>& b) {
    for (size_t i = 0; i < b.size(); ++i) x_[i] = b[i] * parscale_[i];
    return fn_(x_.data());
  }

  // Central differences as optim's fmingr; false when one is not finite (R errors).
  bool gradient(const std::vector<double>& b, std::vector<double>& g) {
    for (size_t i = 0; i < b.size(); ++i) x_[i] = b[i] * parscale_[i];
    for (size_t i = 0; i < b.size(); ++i) {
      x_[i] = (b[i] + ndeps_) * parscale_[i];
      const double up = fn_(x_.data());
      x_[i] = (b[i] - ndeps_) * parscale_[i];
      const double down = fn_(x_.data());
      g[i] = (up - down) / (2 * ndeps_);
      if (!std::isfinite(g[i])) return false;
      x_[i] = b[i] * parscale_[i];
    }
    return true;
  }

 private:
  const OptimObjective& fn_;
  const std::vector<double>& parscale_;
  double ndeps_;
  std::vector<double> x_;
};

struct VmminOutcome {
  bool ok = false;
  double fmin = 0.0;
  int fail = 0;
};

// vmmin: BFGS on the inverse Hessian (lower triangle B), backtracking line search with
// the Armijo test, restarts when the update would lose positive definiteness.
VmminOutcome vmmin(ScaledObjective& f, std::vector<double>& b, int maxit, double reltol) {
  VmminOutcome out;
  const int n = static_cast<int>(b.size());
  if (maxit <= 0) {
    out.fmin = f.value(b);
    out.ok = true;
    return out;
  }
  std::vector<double> g(n), t(n), x(n), c(n), bmat(static_cast<size_t>(n) * n);
  auto B = [&](int i, int j) -> double& { return bmat[static_cast<size_t>(i) * n + j]; };
  double fval = f.value(b);
  if (!std::isfinite(fval)) return out;  // "initial value in 'vmmin' is not finite"
  double fmin = fval;
  int gradcount = 1;
  if (!f.gradient(b, g)) return out;
  int iter = 1;
  int ilast = gradcount;
  int count = 0;
  do {
    if (ilast == gradcount) {
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < i; ++j) B(i, j) = 0.0;
        B(i, i) = 1.0;
      }
    }
    for (int i = 0; i < n; ++i) {
      x[i] = b[i];
      c[i] = g[i];
    }
    double gradproj = 0.0;
    for (int i = 0; i < n; ++i) {
      double s = 0.0;
      for (int j = 0; j <= i; ++j) s -= B(i, j) * g[j];
      for (int j = i + 1; j < n; ++j) s -= B(j, i) * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0.0) {
      double steplength = 1.0;
      bool accpoint = false;
      do {
        count = 0;
        for (int i = 0; i < n; ++i) {
          b[i] = x[i] + steplength * t[i];
          if (kRelTest + x[i] == kRelTest + b[i]) ++count;
        }
        if (count < n) {
          fval = f.value(b);
          accpoint =
              std::isfinite(fval) && (fval <= fmin + gradproj * steplength * kAcceptTolerance);
          if (!accpoint) steplength *= kStepReduction;
        }
      } while (!(count == n || accpoint));
      const bool enough = std::fabs(fval - fmin) > reltol * (std::fabs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = fval;
      }
      if (count < n) {
        fmin = fval;
        if (!f.gradient(b, g)) return out;
        ++gradcount;
        ++iter;
        double d1 = 0.0;
        for (int i = 0; i < n; ++i) {
          t[i] = steplength * t[i];
          c[i] = g[i] - c[i];
          d1 += t[i] * c[i];
        }
        if (d1 > 0) {
          double d2 = 0.0;
          for (int i = 0; i < n; ++i) {
            double s = 0.0;
            for (int j = 0; j <= i; ++j) s += B(i, j) * c[j];
            for (int j = i + 1; j < n; ++j) s += B(j, i) * c[j];
            x[i] = s;
            d2 += s * c[i];
          }
          d2 = 1.0 + d2 / d1;
          for (int i = 0; i < n; ++i)
            for (int j = 0; j <= i; ++j)
              B(i, j) += (d2 * t[i] * t[j] - x[i] * t[j] - t[i] * x[j]) / d1;
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast == gradcount) {
        count = n;
      } else {
        ilast = gradcount;
      }
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count != n || ilast != gradcount);
  out.ok = true;
  out.fmin = fmin;
  out.fail = iter < maxit ? 0 : 1;
  return out;
}

}  // namespace

OptimOutcome optim_bfgs(const OptimObjective& fn, const std::vector<double>& par,
                        const OptimControl& control, bool want_hessian) {
  OptimOutcome out;
  const size_t n = par.size();
  std::vector<double> parscale = control.parscale;
  if (parscale.size() != n) parscale.assign(n, 1.0);
  ScaledObjective f(fn, parscale, control.ndeps);
  std::vector<double> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = par[i] / parscale[i];
  const VmminOutcome v = vmmin(f, b, control.maxit, control.reltol);
  if (!v.ok) return out;
  out.par.resize(n);
  for (size_t i = 0; i < n; ++i) out.par[i] = b[i] * parscale[i];
  out.value = v.fmin;
  out.convergence = v.fail;
  if (want_hessian) {
    // optimhess: gradients at par ± ndeps/parscale (in the scaled space, as R does).
    out.hessian.assign(n * n, 0.0);
    std::vector<double> g1(n), g2(n);
    for (size_t i = 0; i < n; ++i) b[i] = out.par[i] / parscale[i];
    for (size_t i = 0; i < n; ++i) {
      const double eps = control.ndeps / parscale[i];
      b[i] += eps;
      if (!f.gradient(b, g1)) return out;
      b[i] -= 2 * eps;
      if (!f.gradient(b, g2)) return out;
      for (size_t j = 0; j < n; ++j)
        out.hessian[i * n + j] = (g1[j] - g2[j]) / (2 * eps * parscale[i] * parscale[j]);
      b[i] += eps;
    }
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < i; ++j) {
        const double avg = 0.5 * (out.hessian[i * n + j] + out.hessian[j * n + i]);
        out.hessian[i * n + j] = out.hessian[j * n + i] = avg;
      }
  }
  out.ok = true;
  return out;
}

}  // namespace traind::engines::timeseries::detail
