// Newton refinement in whitened coordinates. Gradient and Hessian come from central
// differences of f alone (2k² + 1 values per iteration). Likelihood ridges (a trend
// intercept against the AR coefficient and the drift) make the Hessian ill-conditioned by
// 1e8 or more, and differences along the coordinate axes then get its small directions
// wrong. So each iteration differentiates g(y) = f(x + B y), where B whitens the previous
// Hessian estimate (B' H B ≈ I): the differences are taken along the Hessian's own
// directions, at steps matched to their curvature, and the estimate sharpens as it goes.
#include "engines/timeseries/sarimax/newton_refinement.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

namespace traind::engines::timeseries::detail {

NewtonRefinement refine_with_newton(const ScalarFunction& f, const Eigen::VectorXd& x0, double f0,
                                    int max_iterations) {
  NewtonRefinement out;
  out.x = x0;
  out.value = f0;
  const int k = static_cast<int>(x0.size());
  if (k == 0 || !std::isfinite(f0)) return out;
  // Initial basis: the parameters' own scales; step 1e-4 in those units.
  Eigen::MatrixXd basis = Eigen::MatrixXd::Zero(k, k);
  for (int i = 0; i < k; ++i) basis(i, i) = std::max(std::fabs(x0[i]), 1.0);
  double delta = 1e-4;
  Eigen::VectorXd g(k), plus(k), minus(k);
  Eigen::MatrixXd hessian(k, k);
  auto at = [&](const Eigen::VectorXd& y) {
    ++out.evaluations;
    return f(out.x + basis * y);
  };
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const double fx = out.value;
    Eigen::VectorXd y = Eigen::VectorXd::Zero(k);
    bool finite = true;
    for (int i = 0; i < k && finite; ++i) {
      y[i] = delta;
      plus[i] = at(y);
      y[i] = -delta;
      minus[i] = at(y);
      y[i] = 0.0;
      finite = std::isfinite(plus[i]) && std::isfinite(minus[i]);
      g[i] = (plus[i] - minus[i]) / (2.0 * delta);
      hessian(i, i) = (plus[i] - 2.0 * fx + minus[i]) / (delta * delta);
    }
    for (int i = 0; i < k && finite; ++i) {
      for (int j = i + 1; j < k && finite; ++j) {
        double corner[4];
        const double si[4] = {1, 1, -1, -1};
        const double sj[4] = {1, -1, 1, -1};
        for (int c = 0; c < 4; ++c) {
          y[i] = si[c] * delta;
          y[j] = sj[c] * delta;
          corner[c] = at(y);
          finite = finite && std::isfinite(corner[c]);
        }
        y[i] = 0.0;
        y[j] = 0.0;
        hessian(i, j) = hessian(j, i) =
            (corner[0] - corner[1] - corner[2] + corner[3]) / (4.0 * delta * delta);
      }
    }
    if (!finite) break;  // at the edge of the region where f is defined
    // Newton direction; where the estimate is not positive definite (rounding on a flat
    // ridge), Levenberg–Marquardt damping of its diagonal.
    Eigen::VectorXd step;
    Eigen::MatrixXd factor;
    double damping = 0.0;
    for (int attempt = 0; attempt < 12; ++attempt) {
      Eigen::MatrixXd damped = hessian;
      for (int i = 0; i < k; ++i) {
        damped(i, i) += damping * std::max(std::fabs(hessian(i, i)), 1e-12);
      }
      const Eigen::LLT<Eigen::MatrixXd> llt(damped);
      if (llt.info() == Eigen::Success) {
        step = -llt.solve(g);
        factor = llt.matrixL();
        break;
      }
      damping = damping == 0.0 ? 1e-6 : damping * 10.0;
    }
    if (step.size() != k || !step.allFinite()) break;
    // Predicted decrease −½ g'step below the resolution of f: nothing left to gain.
    const double predicted = -0.5 * g.dot(step);
    if (!(predicted > 1e-15 * std::max(std::fabs(fx), 1.0))) break;
    bool improved = false;
    for (int halving = 0; halving < 20 && !improved; ++halving) {
      const double fc = at(step);
      if (std::isfinite(fc) && fc < fx) {
        out.x += basis * step;
        out.value = fc;
        improved = true;
      } else {
        step *= 0.5;
      }
    }
    if (!improved) break;
    ++out.steps_taken;
    // Whiten: with H_y = L L', the basis B L^{-T} has an identity Hessian. Unit curvature
    // makes 1e-4 a step whose second differences stand well above rounding while the
    // third derivatives of the ridge (large in whitened units) stay out of the gradient.
    basis = factor.triangularView<Eigen::Lower>().solve(basis.transpose()).transpose();
    delta = 1e-4;
  }
  return out;
}

}  // namespace traind::engines::timeseries::detail
