// The conventional Kalman filter as statsmodels runs it for univariate SARIMAX models.
// T P T' uses T's compressed rows: W = T P row by row, then T W' (= T P T') row by row, both
// as contiguous row updates because P is symmetric.
#include "engines/timeseries/sarimax/kalman_filter.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace traind::engines::timeseries::detail {
namespace {

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

}  // namespace

KalmanFilter::KalmanFilter(int k_states)
    : k_(k_states),
      a_(k_states),
      a_next_(k_states),
      pz_(k_states),
      previous_pz_(k_states),
      p_(k_states, k_states),
      w_(k_states, k_states),
      wt_(k_states, k_states) {}

void KalmanFilter::predict_state(const HarveyStateSpace& ss, double trend_time) {
  const int* row_start = ss.row_start.data();
  const int* column = ss.column.data();
  const double* value = ss.value.data();
  for (int i = 0; i < k_; ++i) {
    double s = 0.0;
    for (int e = row_start[i]; e < row_start[i + 1]; ++e) s += value[e] * a_[column[e]];
    a_next_[i] = s;
  }
  a_next_[ss.k_diff_states] += ss.intercept + ss.drift * trend_time;
  a_.swap(a_next_);
}

void KalmanFilter::predict(const HarveyStateSpace& ss, double trend_time) {
  const int k = k_;
  const int* row_start = ss.row_start.data();
  const int* column = ss.column.data();
  const double* value = ss.value.data();
  predict_state(ss, trend_time);
  // W = T P.
  for (int i = 0; i < k; ++i) {
    double* wi = w_.data() + static_cast<std::ptrdiff_t>(i) * k;
    std::fill(wi, wi + k, 0.0);
    for (int e = row_start[i]; e < row_start[i + 1]; ++e) {
      const double v = value[e];
      if (v == 0.0) continue;
      const double* pc = p_.data() + static_cast<std::ptrdiff_t>(column[e]) * k;
      for (int j = 0; j < k; ++j) wi[j] += v * pc[j];
    }
  }
  wt_.noalias() = w_.transpose();
  // P = T W' = T P T', upper triangle only (then mirrored below).
  for (int i = 0; i < k; ++i) {
    double* pi = p_.data() + static_cast<std::ptrdiff_t>(i) * k;
    std::fill(pi + i, pi + k, 0.0);
    for (int e = row_start[i]; e < row_start[i + 1]; ++e) {
      const double v = value[e];
      if (v == 0.0) continue;
      const double* wc = wt_.data() + static_cast<std::ptrdiff_t>(column[e]) * k;
      for (int j = i; j < k; ++j) pi[j] += v * wc[j];
    }
  }
  // + σ² R R' on the ARMA block.
  const int nd = ss.k_diff_states;
  const double q = ss.state_variance;
  for (int a : ss.selection_nonzero) {
    const double ra = q * ss.selection[a];
    double* row = p_.data() + static_cast<std::ptrdiff_t>(nd + a) * k + nd;
    for (int b : ss.selection_nonzero) row[b] += ra * ss.selection[b];
  }
  // Mirror the upper triangle: the predicted covariance is exactly symmetric, as statsmodels
  // forces it to be (STABILITY_FORCE_SYMMETRY). With several 1e6 diffuse states rounding
  // would otherwise move ℓ visibly (5e-3 on a d = 2, D = 3 model in statsmodels itself).
  for (int i = 0; i < k; ++i) {
    const double* row = p_.data() + static_cast<std::ptrdiff_t>(i) * k;
    for (int j = i + 1; j < k; ++j) p_.data()[static_cast<std::ptrdiff_t>(j) * k + i] = row[j];
  }
}

FilterSums KalmanFilter::run(const HarveyStateSpace& ss, const FilterInputs& in,
                             FilterRecord* record) {
  FilterSums sums;
  const int k = k_;
  a_ = ss.initial_state;
  p_ = ss.initial_cov;
  if (record != nullptr) {
    record->mean.assign(in.n, 0.0);
    record->variance.assign(in.n, 0.0);
    record->innovation.assign(in.n, std::nan(""));
  }
  const int* design = ss.design.data();
  const int n_design = static_cast<int>(ss.design.size());
  // Steady state: once P Z' stops changing (to 1e-14 relative, five steps running) the
  // covariance recursion has converged, as statsmodels also detects for time-invariant
  // models; P then stays fixed and a step costs O(nnz(T)) until a missing value (whose
  // skipped update changes P again) restarts the full recursion.
  bool steady = false;
  int calm_steps = 0;
  double* pz = pz_.data();
  double* previous_pz = previous_pz_.data();
  for (int t = 0; t < in.n; ++t) {
    const double y = in.y[t];
    const bool observed = !std::isnan(y);
    if (steady && !observed) steady = false;
    if (!steady) {
      // Z P (= (P Z')' by symmetry).
      const double* row = p_.data() + static_cast<std::ptrdiff_t>(design[0]) * k;
      for (int j = 0; j < k; ++j) pz[j] = row[j];
      for (int m = 1; m < n_design; ++m) {
        row = p_.data() + static_cast<std::ptrdiff_t>(design[m]) * k;
        for (int j = 0; j < k; ++j) pz[j] += row[j];
      }
      if (observed && t > in.burn) {
        double change = 0.0;
        double size = 0.0;
        for (int j = 0; j < k; ++j) {
          change = std::max(change, std::fabs(pz[j] - previous_pz[j]));
          size = std::max(size, std::fabs(pz[j]));
        }
        calm_steps = change <= 1e-14 * size ? calm_steps + 1 : 0;
      } else {
        calm_steps = 0;
      }
      for (int j = 0; j < k; ++j) previous_pz[j] = pz[j];
    }
    double f = 0.0;
    double za = 0.0;
    for (int m = 0; m < n_design; ++m) {
      f += pz[design[m]];
      za += a_[design[m]];
    }
    const double mean = (in.obs_intercept != nullptr ? in.obs_intercept[t] : 0.0) + za;
    if (record != nullptr) {
      record->mean[t] = mean;
      record->variance[t] = f;
    }
    if (observed) {
      const double v = y - mean;
      if (!(f > 0.0) || !std::isfinite(f)) {
        sums.ok = false;
        return sums;
      }
      if (record != nullptr) record->innovation[t] = v;
      if (t >= in.burn) {
        const double log_f = std::log(f);
        const double scaled = v * v / f;
        sums.loglike += -0.5 * (kLog2Pi + log_f + scaled);
        sums.sum_log_f += log_f;
        sums.sum_scaled_squares += scaled;
        ++sums.counted;
      }
      // a += P Z' v / F; P -= P Z' Z P / F.
      const double gain = v / f;
      for (int j = 0; j < k; ++j) a_[j] += pz[j] * gain;
      if (!steady) {
        const double inv_f = 1.0 / f;
        for (int i = 0; i < k; ++i) {
          const double ci = pz[i] * inv_f;
          if (ci == 0.0) continue;
          double* row = p_.data() + static_cast<std::ptrdiff_t>(i) * k;
          for (int j = 0; j < k; ++j) row[j] -= ci * pz[j];
        }
      }
    }
    // Column t of the state intercept holds A(τ = t + 1) (A.2 timing).
    if (steady) {
      predict_state(ss, static_cast<double>(t + 1));
    } else {
      predict(ss, static_cast<double>(t + 1));
      if (calm_steps >= 5) {
        // P_{t+1} equals P_t to rounding: freeze the predicted covariance at P_t's value
        // (the one P Z' was computed from), as a converged filter would.
        steady = true;
      }
    }
  }
  if (!std::isfinite(sums.loglike)) sums.ok = false;
  if (record != nullptr) {
    record->final_state = a_;
    record->final_cov = p_;
  }
  return sums;
}

void KalmanFilter::forecast(const HarveyStateSpace& ss, const Eigen::VectorXd& state,
                            const RowMatrix& cov, long long t0, int steps,
                            const double* obs_intercept, std::vector<double>* mean,
                            std::vector<double>* variance) {
  a_ = state;
  p_ = cov;
  mean->assign(steps, 0.0);
  variance->assign(steps, 0.0);
  for (int h = 0; h < steps; ++h) {
    double za = 0.0;
    double f = 0.0;
    for (int i : ss.design) {
      za += a_[i];
      for (int j : ss.design) f += p_(i, j);
    }
    (*mean)[h] = (obs_intercept != nullptr ? obs_intercept[h] : 0.0) + za;
    (*variance)[h] = f;
    predict(ss, static_cast<double>(t0 + h + 1));
  }
}

}  // namespace traind::engines::timeseries::detail
