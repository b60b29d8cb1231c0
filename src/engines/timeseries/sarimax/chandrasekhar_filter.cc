// Chandrasekhar recursions for a scalar observation y_t = d_t + α_t[0] (Z = e_0):
//   f_{t+1} = f_t + M_t (z'W_t)²
//   K_{t+1} = (K_t f_t + T W_t M_t (z'W_t)) / f_{t+1}          (K_t = T P_t z / f_t)
//   M_{t+1} = M_t + M_t² (z'W_t)² / f_t
//   W_{t+1} = T W_t − K_{t+1} (z'W_t)
// from W_0 = K_0, M_0 = −f_0 (P_1 − P_0 = −K_0 f_0 K_0' when P_0 solves the Lyapunov equation).
#include "engines/timeseries/sarimax/chandrasekhar_filter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace traind::engines::timeseries::detail {
namespace {

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

}  // namespace

ChandrasekharFilter::ChandrasekharFilter(int k_states)
    : k_(k_states), a_(k_states), gain_(k_states), w_(k_states) {}

FilterSums ChandrasekharFilter::run(const HarveyStateSpace& ss, const FilterInputs& in,
                                    double trend_time_offset, std::vector<double>* loglike_obs) {
  FilterSums sums;
  if (loglike_obs != nullptr) loglike_obs->assign(in.n, 0.0);
  const int r = k_;
  // T is the companion block alone: (T x)_i = φ*_{i+1} x_0 + x_{i+1}.
  const int p = static_cast<int>(ss.reduced_ar.size());
  const double* phi = ss.reduced_ar.data();
  double* a = a_.data();
  double* gain = gain_.data();
  double* w = w_.data();
  for (int i = 0; i < r; ++i) a[i] = ss.initial_state[i];
  double f = ss.initial_cov(0, 0);
  // K_0 = T P_0 e_0 / f_0; W_0 = K_0, M_0 = −f_0.
  for (int i = 0; i < r; ++i) {
    const double next = i + 1 < r ? ss.initial_cov(i + 1, 0) : 0.0;
    gain[i] = ((i < p ? phi[i] * f : 0.0) + next) / f;
    w[i] = gain[i];
  }
  double m = -f;
  // Steady state: once the increment W M W' is below rounding (1e-15 of F, three steps
  // running) P, F and K are constant; the covariance recursion and ln F are then skipped.
  bool steady = false;
  int calm_steps = 0;
  double log_f = std::log(f);
  for (int t = 0; t < in.n; ++t) {
    if (!(f > 0.0) || !std::isfinite(f)) {
      sums.ok = false;
      return sums;
    }
    const double mean = (in.obs_intercept != nullptr ? in.obs_intercept[t] : 0.0) + a[0];
    const double v = in.y[t] - mean;
    if (t >= in.burn) {
      const double scaled = v * v / f;
      const double contribution = -0.5 * (kLog2Pi + log_f + scaled);
      sums.loglike += contribution;
      sums.sum_log_f += log_f;
      sums.sum_scaled_squares += scaled;
      ++sums.counted;
      if (loglike_obs != nullptr) (*loglike_obs)[t] = contribution;
    }
    // a_{t+1} = T a_t + K_t v_t + c_t, in place (ascending i reads a[i+1] before it changes).
    const double a0 = a[0];
    for (int i = 0; i < r; ++i) {
      const double next = i + 1 < r ? a[i + 1] : 0.0;
      a[i] = (i < p ? phi[i] * a0 : 0.0) + next + gain[i] * v;
    }
    a[0] += ss.intercept + ss.drift * (static_cast<double>(t + 1) + trend_time_offset);
    if (steady) continue;
    // Covariance quantities for t + 1.
    const double zw = w[0];
    const double f_next = f + m * zw * zw;
    const double mzw = m * zw;
    const double inv_f_next = 1.0 / f_next;
    double w_size = 0.0;
    for (int i = 0; i < r; ++i) {
      const double next = i + 1 < r ? w[i + 1] : 0.0;
      const double tw = (i < p ? phi[i] * zw : 0.0) + next;
      gain[i] = (gain[i] * f + tw * mzw) * inv_f_next;
      w[i] = tw - gain[i] * zw;
      w_size = std::max(w_size, std::fabs(w[i]));
    }
    m += m * m * zw * zw / f;
    f = f_next;
    log_f = std::log(f);
    calm_steps = std::fabs(m) * w_size * w_size <= 1e-15 * f ? calm_steps + 1 : 0;
    steady = calm_steps >= 3;
  }
  if (!std::isfinite(sums.loglike)) sums.ok = false;
  return sums;
}

}  // namespace traind::engines::timeseries::detail
