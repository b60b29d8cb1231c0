// The likelihoods stats::arima optimises (R 4.2, spec A.9.1): the exact Gaussian
// likelihood of an ARIMA model by the Kalman filter in R's state-space form (ARMA block,
// then the d + sD previous observations), and the conditional sum of squares (CSS).
// Also R's coefficient maps: PACF ↔ AR transform (tanh + Durbin–Levinson) and the
// expansion of seasonal ARMA polynomials. An ArimaLikelihood owns its work buffers, so a
// call allocates nothing; it is not thread-safe (one per fit).
#pragma once

#include <vector>

namespace traind::engines::timeseries::detail {

// R's `arma` vector: p, q, P, Q, period, d, D.
struct ArimaOrder {
  int p = 0, d = 0, q = 0;
  int P = 0, D = 0, Q = 0;
  int m = 1;
  int n_arma() const { return p + q + P + Q; }
  int phi_length() const { return p + m * P; }
  int theta_length() const { return q + m * Q; }
  int n_delta() const { return d + m * D; }
};

// Coefficients of 1 − (1−L)^d (1−L^m)^D as R's `Delta` (length d + mD).
std::vector<double> differencing_coefficients(const ArimaOrder& order);

// R's partrans: raw → tanh → Durbin–Levinson, p ≤ 100 coefficients.
void ar_from_unconstrained(int p, const double* raw, double* out);
// R's invpartrans: the inverse (atanh of the PACF).
void ar_to_unconstrained(int p, const double* phi, double* out);

// R's ARIMA_transPars: coefficient vector (ar, ma, sar, sma, ...) → expanded phi, theta.
// With `transform` the AR blocks are first mapped by ar_from_unconstrained.
void expand_arma(const double* coef, const ArimaOrder& order, bool transform, double* phi,
                 double* theta);

// The covariance of the stationary ARMA state (unit innovation variance), r × r
// column-major with r = max(p, q + 1): the exact solution of P = T P T' + R R' that R's
// getQ0 (Gardner et al. 1980) computes, here from the ARMA autocovariances.
class StationaryCovariance {
 public:
  void compute(int p, const double* phi, int q, const double* theta, double* out);

 private:
  std::vector<double> psi_, gamma_, system_, rhs_;
  std::vector<int> phi_nz_, theta_nz_;
};

class ArimaLikelihood {
 public:
  explicit ArimaLikelihood(const ArimaOrder& order, int n);

  struct Sums {
    double ssq = 0.0;     // Σ v_t² / F_t over counted rows
    double sumlog = 0.0;  // Σ ln F_t over counted rows
    int nu = 0;           // counted rows (F_t < 1e4)
  };
  // R's ARIMA_Like(y, makeARIMA(phi, theta, Delta, kappa = 1e6), 0, FALSE).
  Sums exact(const double* y, const double* phi, const double* theta);
  // Same, also writing standardised residuals v_t / √F_t (NaN where y is missing).
  Sums exact_with_residuals(const double* y, const double* phi, const double* theta,
                            double* residuals);

  // R's ARIMA_CSS: mean square of the ARMA residuals of the differenced series from
  // `ncond` on; `nu_out` receives the number of finite residuals.
  double css(const double* y, const double* phi, const double* theta, int ncond,
             int* nu_out = nullptr);

  const ArimaOrder& order() const { return order_; }
  int n() const { return n_; }

 private:
  Sums run_filter(const double* y, const double* phi, const double* theta, double* residuals);
  Sums replay(const double* y, const double* phi);
  void record_gain(int l, const double* M, double gain);

  ArimaOrder order_;
  int n_;
  int p_, q_, r_, nd_, rd_;
  std::vector<double> delta_;
  std::vector<int> delta_nonzero_;
  std::vector<double> m_prev_, row0_;
  std::vector<int> phi_nonzero_, r_nonzero_;
  StationaryCovariance q0_;
  std::vector<double> a_, anew_, m_, P_, Pnew_, Pprev_, u_, q0buf_;
  std::vector<double> w_, resid_;
  // Gains of the last exact() filter run, keyed by its (φ, θ).
  bool recording_ = false, recorded_ = false;
  std::vector<double> recorded_phi_, recorded_theta_, recorded_k_, recorded_gain_,
      recorded_log_gain_;
};

}  // namespace traind::engines::timeseries::detail
