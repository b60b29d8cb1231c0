// Monahan's transform by the Durbin–Levinson recursion, as statsmodels'
// constrain_stationary_univariate / unconstrain_stationary_univariate compute it.
#include "engines/timeseries/sarimax/parameter_transforms.h"

#include <cmath>
#include <vector>

namespace traind::engines::timeseries::detail {
namespace {

// Partial autocorrelations r -> y^{(k)} (spec A.4); `work` holds k doubles.
void levinson_from_partials(const double* r, int k, double* y, double* work) {
  for (int j = 0; j < k; ++j) {
    for (int i = 0; i < j; ++i) work[i] = y[i] + r[j] * y[j - 1 - i];
    for (int i = 0; i < j; ++i) y[i] = work[i];
    y[j] = r[j];
  }
}

// y^{(k)} -> partial autocorrelations; false when some |r_j| >= 1 (not stationary).
bool partials_from_levinson(const double* y_in, int k, double* r) {
  std::vector<double> y(y_in, y_in + k);
  std::vector<double> prev(k);
  for (int j = k - 1; j >= 0; --j) {
    const double rj = y[j];
    if (!(std::fabs(rj) < 1.0)) return false;
    r[j] = rj;
    const double denom = 1.0 - rj * rj;
    for (int i = 0; i < j; ++i) prev[i] = (y[i] - rj * y[j - 1 - i]) / denom;
    for (int i = 0; i < j; ++i) y[i] = prev[i];
  }
  return true;
}

void constrain_block(const double* x, int k, bool ar, double* out) {
  std::vector<double> r(k), work(k);
  for (int j = 0; j < k; ++j) r[j] = x[j] / std::sqrt(1.0 + x[j] * x[j]);
  levinson_from_partials(r.data(), k, out, work.data());
  if (ar) {
    for (int j = 0; j < k; ++j) out[j] = -out[j];
  }
}

bool unconstrain_block(const double* params, int k, bool ar, double* x) {
  std::vector<double> y(k), r(k);
  for (int j = 0; j < k; ++j) y[j] = ar ? -params[j] : params[j];
  if (!partials_from_levinson(y.data(), k, r.data())) return false;
  for (int j = 0; j < k; ++j) x[j] = r[j] / std::sqrt(1.0 - r[j] * r[j]);
  return true;
}

}  // namespace

void constrain_stationary(const double* x, int k, double* phi) { constrain_block(x, k, true, phi); }

bool unconstrain_stationary(const double* phi, int k, double* x) {
  return unconstrain_block(phi, k, true, x);
}

bool is_stationary(const double* phi, int k) {
  std::vector<double> x(k);
  return unconstrain_block(phi, k, true, x.data());
}

bool is_invertible(const double* theta, int k) {
  std::vector<double> x(k);
  return unconstrain_block(theta, k, false, x.data());
}

Eigen::VectorXd constrain_params(const SarimaxStructure& s, const Eigen::VectorXd& x) {
  Eigen::VectorXd out = x;
  const SarimaxSpec& spec = s.spec;
  if (spec.enforce_stationarity) {
    constrain_block(x.data() + s.ar_offset, spec.p, true, out.data() + s.ar_offset);
    constrain_block(x.data() + s.seasonal_ar_offset, spec.seasonal_p, true,
                    out.data() + s.seasonal_ar_offset);
  }
  if (spec.enforce_invertibility) {
    constrain_block(x.data() + s.ma_offset, spec.q, false, out.data() + s.ma_offset);
    constrain_block(x.data() + s.seasonal_ma_offset, spec.seasonal_q, false,
                    out.data() + s.seasonal_ma_offset);
  }
  if (s.has_sigma2) out[s.sigma2_offset] = x[s.sigma2_offset] * x[s.sigma2_offset];
  return out;
}

Eigen::VectorXd unconstrain_params(const SarimaxStructure& s, const Eigen::VectorXd& params) {
  Eigen::VectorXd x = params;
  const SarimaxSpec& spec = s.spec;
  if (spec.enforce_stationarity) {
    unconstrain_block(params.data() + s.ar_offset, spec.p, true, x.data() + s.ar_offset);
    unconstrain_block(params.data() + s.seasonal_ar_offset, spec.seasonal_p, true,
                      x.data() + s.seasonal_ar_offset);
  }
  if (spec.enforce_invertibility) {
    unconstrain_block(params.data() + s.ma_offset, spec.q, false, x.data() + s.ma_offset);
    unconstrain_block(params.data() + s.seasonal_ma_offset, spec.seasonal_q, false,
                      x.data() + s.seasonal_ma_offset);
  }
  // statsmodels: unconstrained = constrained ** 0.5.
  if (s.has_sigma2) x[s.sigma2_offset] = std::sqrt(params[s.sigma2_offset]);
  return x;
}

}  // namespace traind::engines::timeseries::detail
