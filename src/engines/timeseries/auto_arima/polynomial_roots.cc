// Polynomial roots by the eigenvalues of the companion matrix (Eigen), accurate to
// ~1e-12 relative for the low degrees of ARIMA polynomials, which is ample for R's tests
// (strict |z| > 1 for arCheck, |z| < 1.01 for forecast's unit-root margin).
#include "engines/timeseries/auto_arima/polynomial_roots.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>

namespace traind::engines::timeseries::detail {

std::vector<std::complex<double>> polynomial_roots(const std::vector<double>& c) {
  const int n = static_cast<int>(c.size()) - 1;
  std::vector<std::complex<double>> roots;
  if (n < 1) return roots;
  if (n == 1) {
    roots.emplace_back(-c[0] / c[1], 0.0);
    return roots;
  }
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(n, n);
  for (int i = 1; i < n; ++i) companion(i, i - 1) = 1.0;
  for (int i = 0; i < n; ++i) companion(i, n - 1) = -c[i] / c[n];
  Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, false);
  const auto& ev = solver.eigenvalues();
  for (int i = 0; i < n; ++i) roots.push_back(ev(i));
  return roots;
}

double min_root_modulus(const std::vector<double>& c, double sign, double tolerance) {
  int last = -1;
  for (int i = 0; i < static_cast<int>(c.size()); ++i)
    if (std::fabs(c[i]) > tolerance) last = i;
  if (last < 0) return std::numeric_limits<double>::infinity();
  std::vector<double> poly(last + 2);
  poly[0] = 1.0;
  for (int i = 0; i <= last; ++i) poly[i + 1] = sign * c[i];
  double best = std::numeric_limits<double>::infinity();
  for (const auto& z : polynomial_roots(poly)) best = std::min(best, std::abs(z));
  return best;
}

bool ar_is_stationary(const double* phi, int p) {
  int last = 0;
  for (int i = 0; i < p; ++i)
    if (phi[i] != 0.0) last = i + 1;
  if (last == 0) return true;
  std::vector<double> poly(last + 1);
  poly[0] = 1.0;
  for (int i = 0; i < last; ++i) poly[i + 1] = -phi[i];
  for (const auto& z : polynomial_roots(poly))
    if (!(std::abs(z) > 1.0)) return false;
  return true;
}

void make_ma_invertible(double* theta, int q) {
  int q0 = 0;
  for (int i = 0; i < q; ++i)
    if (theta[i] != 0.0) q0 = i + 1;
  if (q0 == 0) return;
  std::vector<double> poly(q0 + 1);
  poly[0] = 1.0;
  for (int i = 0; i < q0; ++i) poly[i + 1] = theta[i];
  auto roots = polynomial_roots(poly);
  bool any_inside = false;
  for (const auto& z : roots) any_inside = any_inside || std::abs(z) < 1.0;
  if (!any_inside) return;
  if (q0 == 1) {
    theta[0] = 1.0 / theta[0];
    for (int i = q0; i < q; ++i) theta[i] = 0.0;
    return;
  }
  for (auto& z : roots)
    if (std::abs(z) < 1.0) z = 1.0 / z;
  // Rebuild Π (1 − z/root) in increasing powers.
  std::vector<std::complex<double>> x{1.0};
  for (const auto& root : roots) {
    std::vector<std::complex<double>> next(x.size() + 1, 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      next[i] += x[i];
      next[i + 1] -= x[i] / root;
    }
    x.swap(next);
  }
  for (int i = 0; i < q0; ++i) theta[i] = x[i + 1].real();
  for (int i = q0; i < q; ++i) theta[i] = 0.0;
}

}  // namespace traind::engines::timeseries::detail
