// The constraining transforms between the optimiser's unconstrained vector and the model's
// parameters (spec A.4): Monahan's (1984) map through partial autocorrelations for AR and
// MA blocks, squares for sigma2, identity for trend and regression coefficients.
#pragma once

#include <Eigen/Core>

#include "engines/timeseries/sarimax/sarimax_structure.h"

namespace traind::engines::timeseries::detail {

// x (size k) -> coefficients φ of 1 − Σ φ_i z^i with every root outside the unit circle.
void constrain_stationary(const double* x, int k, double* phi);
// The inverse; false (and `x` unspecified) when φ is not stationary.
bool unconstrain_stationary(const double* phi, int k, double* x);
// True when 1 − Σ φ_i z^i has every root strictly outside the unit circle.
bool is_stationary(const double* phi, int k);
// True when 1 + Σ θ_i z^i has every root strictly outside the unit circle.
bool is_invertible(const double* theta, int k);

// Whole parameter vectors, block by block, honouring the enforce_* flags.
Eigen::VectorXd constrain_params(const SarimaxStructure& s, const Eigen::VectorXd& x);
// Start values need not satisfy the constraints exactly: a block that is not stationary
// (invertible) is left as it is, as statsmodels' untransform_params would fail there too.
Eigen::VectorXd unconstrain_params(const SarimaxStructure& s, const Eigen::VectorXd& params);

}  // namespace traind::engines::timeseries::detail
