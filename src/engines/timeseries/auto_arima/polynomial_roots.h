// Roots of real polynomials, as R's polyroot() is used by stats::arima (arCheck,
// maInvert) and by forecast's myarima (the 1.01 unit-root margin). Coefficients are in
// increasing powers: c[0] + c[1] z + … + c[n] z^n, with c[n] ≠ 0.
#pragma once

#include <complex>
#include <vector>

namespace traind::engines::timeseries::detail {

// All n roots (eigenvalues of the companion matrix).
std::vector<std::complex<double>> polynomial_roots(const std::vector<double>& coefficients);

// The smallest root modulus of 1 + sign·(c_1 z + … + c_k z^k) after dropping trailing
// coefficients with |c| ≤ tolerance; +inf when nothing is left.
double min_root_modulus(const std::vector<double>& c, double sign, double tolerance);

// R's arCheck: true when every root of 1 − φ_1 z − … lies outside the unit circle.
bool ar_is_stationary(const double* phi, int p);

// R's maInvert: reflects the roots of 1 + θ_1 z + … inside the unit circle to outside.
void make_ma_invertible(double* theta, int q);

}  // namespace traind::engines::timeseries::detail
