// R's ARIMA likelihoods (src/library/stats/src/arima.c semantics): the Kalman filter of
// ARIMA_Like with its diffuse past observations (κ = 1e6, a row counts only if F_t < 1e4),
// and ARIMA_CSS. Same values as R, computed faster: the stationary ARMA covariance comes
// exactly from the process autocovariances (not Gardner's Givens-rotation solve); the
// covariance recursion uses the sparsity and symmetry of T P T'; the filter switches to
// its steady state once the predicted covariance stops changing (to 1e-13); and the gains
// of the last (φ, θ) are replayed when only the regression coefficients changed.
#include "engines/timeseries/auto_arima/arima_likelihood.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace traind::engines::timeseries::detail {
namespace {

// a_{t+1} = T a_t (R's ARIMA_Like state step): the ARMA block shifts up and takes φ·a_0;
// the d differencing states shift down under a new first one, a_0 plus the δ-weighted
// earlier observations (only δ's nonzero entries, listed in dnz).
inline void predict_state(const double* a, double* anew, const double* phi, int p, int r, int d,
                          int rd, const double* delta, const int* dnz, int nnz) {
  for (int i = 0; i < r; ++i) {
    double tmp = (i < r - 1) ? a[i + 1] : 0.0;
    if (i < p) tmp += phi[i] * a[0];
    anew[i] = tmp;
  }
  if (d > 0) {
    double tmp = a[0];
    for (int z = 0; z < nnz; ++z) tmp += delta[dnz[z]] * a[r + dnz[z]];
    for (int i = rd - 1; i > r; --i) anew[i] = a[i - 1];
    anew[r] = tmp;
  }
}

constexpr double kDiffuseVariance = 1e6;  // R's kappa
constexpr double kCountedVariance = 1e4;  // rows with F_t at or above this are not counted
// Relative change of the predicted covariance below which the filter is taken as steady.
constexpr double kSteadyTolerance = 1e-13;

// Solves the n × n system (column-major a) by Gaussian elimination with partial pivoting;
// the solution replaces b. No allocation: a and b are the caller's buffers.
void solve_in_place(int n, double* a, double* b) {
  for (int k = 0; k < n; ++k) {
    int pivot = k;
    for (int i = k + 1; i < n; ++i)
      if (std::fabs(a[i + n * k]) > std::fabs(a[pivot + n * k])) pivot = i;
    if (pivot != k) {
      for (int j = 0; j < n; ++j) std::swap(a[k + n * j], a[pivot + n * j]);
      std::swap(b[k], b[pivot]);
    }
    const double diag = a[k + n * k];
    for (int i = k + 1; i < n; ++i) {
      const double f = a[i + n * k] / diag;
      if (f == 0.0) continue;
      for (int j = k; j < n; ++j) a[i + n * j] -= f * a[k + n * j];
      b[i] -= f * b[k];
    }
  }
  for (int k = n - 1; k >= 0; --k) {
    double s = b[k];
    for (int j = k + 1; j < n; ++j) s -= a[k + n * j] * b[j];
    b[k] = s / a[k + n * k];
  }
}

// out = X z for symmetric X (upper triangle stored) and z = e_0 + Σ δ_k e_{r+k}.
void symmetric_times_z(const double* X, int rd, int r, const double* delta, const int* dnz, int nnz,
                       double* out) {
  for (int i = 0; i < rd; ++i) out[i] = X[static_cast<size_t>(rd) * i];  // X_{0,i}
  for (int z = 0; z < nnz; ++z) {
    const int c = r + dnz[z];
    const double dc = delta[dnz[z]];
    const double* col = X + static_cast<size_t>(rd) * c;
    for (int i = 0; i <= c; ++i) out[i] += dc * col[i];
    for (int i = c + 1; i < rd; ++i) out[i] += dc * X[c + static_cast<size_t>(rd) * i];
  }
}

}  // namespace

std::vector<double> differencing_coefficients(const ArimaOrder& order) {
  std::vector<double> poly{1.0};
  auto multiply = [&poly](int lag) {
    std::vector<double> out(poly.size() + lag, 0.0);
    for (size_t i = 0; i < poly.size(); ++i) {
      out[i] += poly[i];
      out[i + lag] -= poly[i];
    }
    poly.swap(out);
  };
  for (int i = 0; i < order.d; ++i) multiply(1);
  for (int i = 0; i < order.D; ++i) multiply(order.m);
  std::vector<double> delta(poly.size() - 1);
  for (size_t i = 1; i < poly.size(); ++i) delta[i - 1] = -poly[i];
  return delta;
}

void ar_from_unconstrained(int p, const double* raw, double* out) {
  double work[100];
  for (int j = 0; j < p; ++j) work[j] = out[j] = std::tanh(raw[j]);
  for (int j = 1; j < p; ++j) {
    const double a = out[j];
    for (int k = 0; k < j; ++k) work[k] -= a * out[j - k - 1];
    for (int k = 0; k < j; ++k) out[k] = work[k];
  }
}

void ar_to_unconstrained(int p, const double* phi, double* out) {
  double work[100];
  for (int j = 0; j < p; ++j) work[j] = out[j] = phi[j];
  for (int j = p - 1; j > 0; --j) {
    const double a = out[j];
    for (int k = 0; k < j; ++k) work[k] = (out[k] + a * out[j - k - 1]) / (1 - a * a);
    for (int k = 0; k < j; ++k) out[k] = work[k];
  }
  for (int j = 0; j < p; ++j) out[j] = std::atanh(out[j]);
}

void expand_arma(const double* coef, const ArimaOrder& o, bool transform, double* phi,
                 double* theta) {
  double params[400];
  const int n = o.n_arma();
  for (int i = 0; i < n; ++i) params[i] = coef[i];
  if (transform) {
    if (o.p > 0) ar_from_unconstrained(o.p, coef, params);
    if (o.P > 0) ar_from_unconstrained(o.P, coef + o.p + o.q, params + o.p + o.q);
  }
  const int np = o.phi_length(), nq = o.theta_length();
  for (int i = 0; i < np; ++i) phi[i] = i < o.p ? params[i] : 0.0;
  for (int i = 0; i < nq; ++i) theta[i] = i < o.q ? params[o.p + i] : 0.0;
  for (int j = 0; j < o.P; ++j) {
    const double sar = params[o.p + o.q + j];
    phi[(j + 1) * o.m - 1] += sar;
    for (int i = 0; i < o.p; ++i) phi[(j + 1) * o.m + i] -= params[i] * sar;
  }
  for (int j = 0; j < o.Q; ++j) {
    const double sma = params[o.p + o.q + o.P + j];
    theta[(j + 1) * o.m - 1] += sma;
    for (int i = 0; i < o.q; ++i) theta[(j + 1) * o.m + i] += params[o.p + i] * sma;
  }
}

// State element i (0-based) of R's form is a_i = Σ_k φ_{i+1+k} w_{t−1−k} + Σ_k θ_{i+k} ε_{t−k}
// (θ_0 = 1), so P_ij follows from γ_w(h), ψ_h = E[w_t ε_{t−h}] and E[ε ε'] = I.
void StationaryCovariance::compute(int p, const double* phi, int q, const double* theta,
                                   double* out) {
  const int r = std::max(p, q + 1);
  auto th = [&](int k) { return k == 0 ? 1.0 : (k <= q ? theta[k - 1] : 0.0); };
  psi_.assign(q + 1, 0.0);
  for (int h = 0; h <= q; ++h) {
    double s = th(h);
    for (int i = 1; i <= std::min(h, p); ++i) s += phi[i - 1] * psi_[h - i];
    psi_[h] = s;
  }
  gamma_.assign(p + 1, 0.0);
  if (p > 0) {
    const int n = p + 1;
    system_.assign(static_cast<size_t>(n) * n, 0.0);
    rhs_.assign(n, 0.0);
    for (int k = 0; k <= p; ++k) {
      system_[k + n * k] += 1.0;
      for (int i = 1; i <= p; ++i) system_[k + n * std::abs(k - i)] -= phi[i - 1];
      double s = 0.0;
      for (int j = k; j <= q; ++j) s += th(j) * psi_[j - k];
      rhs_[k] = s;
    }
    solve_in_place(n, system_.data(), rhs_.data());
    for (int k = 0; k <= p; ++k) gamma_[k] = rhs_[k];
  }
  // Sums over the nonzero coefficients only: seasonal polynomials are mostly zeros.
  phi_nz_.clear();
  theta_nz_.clear();
  for (int f = 0; f < p; ++f)
    if (phi[f] != 0.0) phi_nz_.push_back(f);
  for (int t = 0; t <= q; ++t)
    if (th(t) != 0.0) theta_nz_.push_back(t);
  for (int i = 0; i < r; ++i) {
    for (int j = i; j < r; ++j) {
      double s = 0.0;
      // E[AR_i AR_j] = Σ φ_{i+1+k} φ_{j+1+l} γ(k − l)
      for (int f : phi_nz_) {
        if (f < i) continue;
        for (int g : phi_nz_) {
          if (g < j) continue;
          s += phi[f] * phi[g] * gamma_[std::abs((f - i) - (g - j))];
        }
      }
      // E[MA_i MA_j] = Σ θ_{i+k} θ_{j+k}
      for (int t : theta_nz_) {
        if (t < j) continue;
        s += th(i + t - j) * th(t);
      }
      // E[AR_i MA_j] + E[MA_i AR_j]: Σ φ_{x+1+k} θ_{y+l} ψ_{l−1−k}, l > k.
      for (int f : phi_nz_) {
        if (f >= i) {
          const int k = f - i;
          for (int t : theta_nz_) {
            const int l = t - j;
            if (l > k) s += phi[f] * th(t) * psi_[l - 1 - k];
          }
        }
        if (f >= j) {
          const int k = f - j;
          for (int t : theta_nz_) {
            const int l = t - i;
            if (l > k) s += phi[f] * th(t) * psi_[l - 1 - k];
          }
        }
      }
      out[i + r * j] = out[j + r * i] = s;
    }
  }
}

ArimaLikelihood::ArimaLikelihood(const ArimaOrder& order, int n)
    : order_(order),
      n_(n),
      p_(order.phi_length()),
      q_(order.theta_length()),
      r_(std::max(p_, q_ + 1)),
      nd_(order.n_delta()),
      rd_(r_ + nd_),
      delta_(differencing_coefficients(order)) {
  for (int k = 0; k < nd_; ++k)
    if (delta_[k] != 0.0) delta_nonzero_.push_back(k);
  m_prev_.assign(rd_, 0.0);
  row0_.assign(rd_, 0.0);
  phi_nonzero_.assign(std::max(p_, 1), 0);
  r_nonzero_.assign(q_ + 1, 0);
  recorded_phi_.assign(p_, 0.0);
  recorded_theta_.assign(q_, 0.0);
  recorded_k_.assign(static_cast<size_t>(rd_) * n, 0.0);
  recorded_gain_.assign(n, 0.0);
  recorded_log_gain_.assign(n, 0.0);
  a_.assign(rd_, 0.0);
  anew_.assign(rd_, 0.0);
  m_.assign(rd_, 0.0);
  P_.assign(static_cast<size_t>(rd_) * rd_, 0.0);
  Pnew_.assign(static_cast<size_t>(rd_) * rd_, 0.0);
  Pprev_.assign(static_cast<size_t>(rd_) * rd_, 0.0);
  u_.assign(rd_, 0.0);
  q0buf_.assign(static_cast<size_t>(r_) * r_, 0.0);
  w_.assign(n, 0.0);
  resid_.assign(n, 0.0);
}

ArimaLikelihood::Sums ArimaLikelihood::exact(const double* y, const double* phi,
                                             const double* theta) {
  // The gains F_t and K_t = M_t / F_t depend on (φ, θ) only, not on y: when only the
  // regression coefficients changed (the β coordinates of a numeric gradient), replay
  // the recorded gains through the O(rd) state recursion.
  if (recorded_ && std::equal(phi, phi + p_, recorded_phi_.begin()) &&
      std::equal(theta, theta + q_, recorded_theta_.begin())) {
    bool same_missing = true;
    for (int l = 0; l < n_ && same_missing; ++l)
      same_missing = std::isnan(y[l]) == std::isnan(recorded_gain_[l]);
    if (same_missing) return replay(y, phi);
  }
  recording_ = true;
  const Sums sums = run_filter(y, phi, theta, nullptr);
  recording_ = false;
  recorded_ = true;
  std::copy(phi, phi + p_, recorded_phi_.begin());
  std::copy(theta, theta + q_, recorded_theta_.begin());
  return sums;
}

ArimaLikelihood::Sums ArimaLikelihood::replay(const double* y, const double* phi) {
  const int p = p_, r = r_, d = nd_, rd = rd_;
  const double* delta = delta_.data();
  const int* dnz = delta_nonzero_.data();
  const int nnz = static_cast<int>(delta_nonzero_.size());
  double* a = a_.data();
  double* anew = anew_.data();
  std::fill(a_.begin(), a_.end(), 0.0);
  Sums sums;
  for (int l = 0; l < n_; ++l) {
    predict_state(a, anew, phi, p, r, d, rd, delta, dnz, nnz);
    if (std::isnan(y[l])) {
      for (int i = 0; i < rd; ++i) a[i] = anew[i];
      continue;
    }
    double resid = y[l] - anew[0];
    for (int z = 0; z < nnz; ++z) resid -= delta[dnz[z]] * anew[r + dnz[z]];
    const double gain = recorded_gain_[l];
    if (gain < kCountedVariance) {
      ++sums.nu;
      sums.ssq += resid * resid / gain;
      sums.sumlog += recorded_log_gain_[l];
    }
    const double* k = recorded_k_.data() + static_cast<size_t>(rd) * l;
    for (int i = 0; i < rd; ++i) a[i] = anew[i] + k[i] * resid;
  }
  return sums;
}

ArimaLikelihood::Sums ArimaLikelihood::exact_with_residuals(const double* y, const double* phi,
                                                            const double* theta,
                                                            double* residuals) {
  return run_filter(y, phi, theta, residuals);
}

// The covariances are symmetric: only the upper triangle (i ≤ j, element i + rd·j) is
// computed and read. The prediction T P T' + V is written out entry by entry from the
// sparse rows of T (ARMA companion rows, the differencing row z = Z, shifts), which is
// the same arithmetic as R's mm = T P, Pnew = mm T' up to the order of additions.
ArimaLikelihood::Sums ArimaLikelihood::run_filter(const double* y, const double* phi,
                                                  const double* theta, double* residuals) {
  const int p = p_, q = q_, r = r_, d = nd_, rd = rd_;
  const double* delta = delta_.data();
  double* a = a_.data();
  double* anew = anew_.data();
  double* M = m_.data();
  double* u = u_.data();
  double* P = P_.data();
  double* Pnew = Pnew_.data();
  const int* dnz = delta_nonzero_.data();
  const int nnz = static_cast<int>(delta_nonzero_.size());
  double* m_prev = m_prev_.data();
  double* row0 = row0_.data();
  int* phi_nz = phi_nonzero_.data();
  int n_phi_nz = 0;
  for (int i = 0; i < p; ++i)
    if (phi[i] != 0.0) phi_nz[n_phi_nz++] = i;
  int* r_nz = r_nonzero_.data();
  int n_r_nz = 0;
  r_nz[n_r_nz++] = 0;
  for (int i = 0; i < q; ++i)
    if (theta[i] != 0.0) r_nz[n_r_nz++] = i + 1;

  // Initial state: a = 0, Pn = [Q0, 0; 0, κ I] (makeARIMA).
  std::fill(a_.begin(), a_.end(), 0.0);
  std::fill(Pnew_.begin(), Pnew_.end(), 0.0);
  if (r > 1) {
    q0_.compute(p, phi, q, theta, q0buf_.data());
    for (int j = 0; j < r; ++j)
      for (int i = 0; i < r; ++i) Pnew[i + rd * j] = q0buf_[i + r * j];
  } else {
    Pnew[0] = p > 0 ? 1.0 / (1.0 - phi[0] * phi[0]) : 1.0;
  }
  for (int i = 0; i < d; ++i) Pnew[(r + i) + rd * (r + i)] = kDiffuseVariance;

  Sums sums;
  // Steady state: once the predicted covariance stops changing, M and F_t are constant
  // and only the state needs updating (R keeps iterating to the same values).
  bool steady = false, compare_pending = false;
  double prev_gain = 0.0;
  double steady_gain = 0.0, steady_log_gain = 0.0;
  double* prev = Pprev_.data();
  for (int l = 0; l < n_; ++l) {
    predict_state(a, anew, phi, p, r, d, rd, delta, dnz, nnz);
    if (steady) {
      if (!std::isnan(y[l])) {
        double resid = y[l] - anew[0];
        for (int z = 0; z < nnz; ++z) resid -= delta[dnz[z]] * anew[r + dnz[z]];
        ++sums.nu;
        sums.ssq += resid * resid / steady_gain;
        sums.sumlog += steady_log_gain;
        if (residuals != nullptr) residuals[l] = resid / std::sqrt(steady_gain);
        const double f = resid / steady_gain;
        for (int i = 0; i < rd; ++i) a[i] = anew[i] + M[i] * f;
        if (recording_) record_gain(l, M, steady_gain);
        continue;
      }
      // A missing value: P = Pnew, and the recursion must run in full again.
      if (recording_) recorded_gain_[l] = std::nan("");
      steady = false;
      compare_pending = false;
      for (int i = 0; i < rd; ++i) a[i] = anew[i];
      std::copy(Pnew_.begin(), Pnew_.end(), P_.begin());
      if (residuals != nullptr) residuals[l] = std::nan("");
      continue;
    }
    if (l > 0) {
      // ARMA block: rows φ_a e_0 + e_{a+1}. The shift P_{a+1,b+1} and the φ_b P_{0,a+1}
      // terms first, then the few nonzero φ_a (seasonal polynomials are sparse).
      const double p00 = P[0];
      for (int x = 0; x < rd; ++x) row0[x] = P[rd * x];  // P_{0,x}
      for (int b = 0; b < r; ++b) {
        const double fb = b < p ? phi[b] : 0.0;
        double* out = Pnew + static_cast<size_t>(rd) * b;
        if (b < r - 1) {
          const double* shifted = P + static_cast<size_t>(rd) * (b + 1) + 1;  // P_{a+1,b+1}
          Eigen::Map<Eigen::VectorXd> o(out, b + 1);
          const Eigen::Map<const Eigen::VectorXd> sh(shifted, b + 1);
          if (fb != 0.0) {
            o = sh + fb * Eigen::Map<const Eigen::VectorXd>(row0 + 1, b + 1);
          } else {
            o = sh;
          }
        } else {
          for (int a_i = 0; a_i < b; ++a_i) out[a_i] = fb * row0[a_i + 1];
          out[b] = 0.0;
        }
        const double common = fb * p00 + (b < r - 1 ? row0[b + 1] : 0.0);
        for (int z = 0; z < n_phi_nz; ++z) {
          const int a_i = phi_nz[z];
          if (a_i > b) break;
          out[a_i] += phi[a_i] * common;
        }
      }
      // + V = R R' with R = (1, θ): only the nonzero entries of R.
      for (int zb = 0; zb < n_r_nz; ++zb) {
        const int b = r_nz[zb];
        const double vb = b == 0 ? 1.0 : theta[b - 1];
        for (int za = 0; za <= zb; ++za) {
          const int a_i = r_nz[za];
          Pnew[a_i + rd * b] += vb * (a_i == 0 ? 1.0 : theta[a_i - 1]);
        }
      }
      if (d > 0) {
        // u = P z with z = e_0 + Σ δ_k e_{r+k}.
        symmetric_times_z(P, rd, r, delta, dnz, nnz, u);
        // Column r (the differencing row of T).
        double* col = Pnew + static_cast<size_t>(rd) * r;
        for (int a_i = 0; a_i < r - 1; ++a_i) col[a_i] = u[a_i + 1];
        col[r - 1] = 0.0;
        for (int z = 0; z < n_phi_nz; ++z) col[phi_nz[z]] += phi[phi_nz[z]] * u[0];
        double s = u[0];
        for (int z = 0; z < nnz; ++z) s += delta[dnz[z]] * u[r + dnz[z]];
        col[r] = s;
        // Columns r + k, k ≥ 1 (shifted past observations).
        for (int k = 1; k < d; ++k) {
          double* c = Pnew + static_cast<size_t>(rd) * (r + k);
          const double* src = P + static_cast<size_t>(rd) * (r + k - 1);  // column r+k−1
          std::copy(src + 1, src + r, c);
          c[r - 1] = 0.0;
          for (int z = 0; z < n_phi_nz; ++z) c[phi_nz[z]] += phi[phi_nz[z]] * src[0];
          c[r] = u[r + k - 1];
          std::copy(src + r, src + r + k, c + r + 1);
        }
      }
    }
    if (!std::isnan(y[l])) {
      double resid = y[l] - anew[0];
      for (int z = 0; z < nnz; ++z) resid -= delta[dnz[z]] * anew[r + dnz[z]];
      symmetric_times_z(Pnew, rd, r, delta, dnz, nnz, M);
      double gain = M[0];
      for (int z = 0; z < nnz; ++z) gain += delta[dnz[z]] * M[r + dnz[z]];
      // Steady-state detection, cheap first: M and F_t unchanged since the last row, then
      // the whole predicted covariance unchanged over one more row.
      bool gain_steady = l > 0 && std::fabs(gain - prev_gain) <= kSteadyTolerance * gain;
      if (gain_steady) {
        double change = 0.0, scale = 0.0;
        for (int i = 0; i < rd; ++i) {
          change = std::max(change, std::fabs(M[i] - m_prev[i]));
          scale = std::max(scale, std::fabs(M[i]));
        }
        gain_steady = change <= kSteadyTolerance * scale;
      }
      if (gain_steady && compare_pending && gain < kCountedVariance) {
        double change = 0.0, scale = 0.0;
        for (int j = 0; j < rd; ++j) {
          const size_t base = static_cast<size_t>(rd) * j;
          for (int i = 0; i <= j; ++i) {
            change = std::max(change, std::fabs(Pnew[base + i] - prev[base + i]));
            scale = std::max(scale, std::fabs(Pnew[base + i]));
          }
        }
        if (change <= kSteadyTolerance * scale) {
          steady = true;
          steady_gain = gain;
          steady_log_gain = std::log(gain);
        }
      }
      if (gain_steady && !steady) {
        for (int j = 0; j < rd; ++j) {
          const size_t base = static_cast<size_t>(rd) * j;
          for (int i = 0; i <= j; ++i) prev[base + i] = Pnew[base + i];
        }
      }
      compare_pending = gain_steady;
      prev_gain = gain;
      for (int i = 0; i < rd; ++i) m_prev[i] = M[i];
      if (gain < kCountedVariance) {
        ++sums.nu;
        sums.ssq += resid * resid / gain;
        sums.sumlog += std::log(gain);
      }
      if (residuals != nullptr) residuals[l] = resid / std::sqrt(gain);
      for (int i = 0; i < rd; ++i) a[i] = anew[i] + M[i] * resid / gain;
      if (recording_) record_gain(l, M, gain);
      // P = Pnew − M M' / F on the upper triangle (Eigen for SIMD; maps do not allocate).
      const Eigen::Map<const Eigen::VectorXd> m_vec(M, rd);
      for (int j = 0; j < rd; ++j) {
        const double mj = M[j] / gain;
        Eigen::Map<Eigen::VectorXd> pc(P + static_cast<size_t>(rd) * j, j + 1);
        const Eigen::Map<const Eigen::VectorXd> pn(Pnew + static_cast<size_t>(rd) * j, j + 1);
        pc = pn - m_vec.head(j + 1) * mj;
      }
    } else {
      for (int i = 0; i < rd; ++i) a[i] = anew[i];
      std::copy(Pnew_.begin(), Pnew_.end(), P_.begin());
      if (residuals != nullptr) residuals[l] = std::nan("");
      if (recording_) recorded_gain_[l] = std::nan("");
      compare_pending = false;
      prev_gain = 0.0;
    }
  }
  return sums;
}

void ArimaLikelihood::record_gain(int l, const double* M, double gain) {
  double* k = recorded_k_.data() + static_cast<size_t>(rd_) * l;
  for (int i = 0; i < rd_; ++i) k[i] = M[i] / gain;
  recorded_gain_[l] = gain;
  recorded_log_gain_[l] = std::log(gain);
}

double ArimaLikelihood::css(const double* y, const double* phi, const double* theta, int ncond,
                            int* nu_out) {
  const int n = n_;
  double* w = w_.data();
  double* resid = resid_.data();
  for (int l = 0; l < n; ++l) w[l] = y[l];
  for (int i = 0; i < order_.d; ++i)
    for (int l = n - 1; l > 0; --l) w[l] -= w[l - 1];
  const int ns = order_.m;
  for (int i = 0; i < order_.D; ++i)
    for (int l = n - 1; l >= ns; --l) w[l] -= w[l - ns];
  for (int l = 0; l < std::min(ncond, n); ++l) resid[l] = 0.0;
  bool finite = true;
  for (int l = 0; l < n; ++l) finite = finite && std::isfinite(w[l]);
  // Zero coefficients (most of a seasonal polynomial) can be skipped only when every value
  // is finite: in R, 0 · NaN still turns a residual into NaN.
  int* phi_nz = phi_nonzero_.data();
  int* theta_nz = r_nonzero_.data();
  int n_phi = 0, n_theta = 0;
  for (int j = 0; j < p_; ++j)
    if (!finite || phi[j] != 0.0) phi_nz[n_phi++] = j;
  for (int j = 0; j < q_; ++j)
    if (!finite || theta[j] != 0.0) theta_nz[n_theta++] = j;
  double ssq = 0.0;
  int nu = 0;
  for (int l = ncond; l < n; ++l) {
    double tmp = w[l];
    for (int z = 0; z < n_phi; ++z) tmp -= phi[phi_nz[z]] * w[l - phi_nz[z] - 1];
    const int jmax = std::min(l - ncond, q_);
    for (int z = 0; z < n_theta && theta_nz[z] < jmax; ++z)
      tmp -= theta[theta_nz[z]] * resid[l - theta_nz[z] - 1];
    resid[l] = tmp;
    if (!std::isnan(tmp)) {
      ++nu;
      ssq += tmp * tmp;
    }
  }
  if (nu_out != nullptr) *nu_out = nu;
  return ssq / nu;
}

}  // namespace traind::engines::timeseries::detail
