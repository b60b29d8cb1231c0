// Builds T, Z, R as statsmodels' SARIMAX.initial_transition / initial_design /
// initial_selection lay them out, and the default initialisation of
// SARIMAX.initialize_default (approximate diffuse + stationary ARMA block).
#include "engines/timeseries/sarimax/state_space.h"

#include <Eigen/LU>
#include <cmath>
#include <utility>

namespace traind::engines::timeseries::detail {
namespace {

// Sets (not adds) an entry, as statsmodels assigns into its dense matrix.
void set_entry(std::vector<std::vector<std::pair<int, double>>>& rows, int i, int j, double v) {
  for (auto& entry : rows[i]) {
    if (entry.first == j) {
      entry.second = v;
      return;
    }
  }
  rows[i].emplace_back(j, v);
}

}  // namespace

HarveyStateSpace make_state_space(const SarimaxStructure& s) {
  const SarimaxSpec& spec = s.spec;
  HarveyStateSpace ss;
  ss.k_states = s.k_states;
  ss.k_diff_states = s.k_diff_states;
  ss.k_order = s.k_order;
  const int k = s.k_states;
  const int nd = s.k_diff_states;
  const int d = spec.d;
  const int period = spec.period;
  const int seasonal_d = spec.seasonal_d;

  std::vector<std::vector<std::pair<int, double>>> rows(k);
  // ARMA block: φ* down the first column (values set later), ones on the superdiagonal.
  constexpr double kPlaceholder = 0.0;
  for (int i = 0; i < s.ar_degree; ++i) set_entry(rows, nd + i, nd, kPlaceholder);
  for (int i = 0; i + 1 < s.k_order; ++i) set_entry(rows, nd + i, nd + i + 1, 1.0);
  // Seasonal differencing blocks: cyclic shifts. statsmodels links block j's first row to
  // the last state of the next block only, rewriting the same entry once per later block.
  for (int j = 0; j < seasonal_d; ++j) {
    const int start = d + j * period;
    const int end = start + period;
    set_entry(rows, start, end - 1, 1.0);
    for (int i = 1; i < period; ++i) set_entry(rows, start + i, start + i - 1, 1.0);
    for (int later = j + 1; later < seasonal_d; ++later) {
      set_entry(rows, start, end + period - 1, 1.0);
    }
    set_entry(rows, start, nd, 1.0);
  }
  // Integrated levels: an upper-triangular block of ones, plus the last state of every
  // seasonal block and the first ARMA state.
  for (int i = 0; i < d; ++i) {
    for (int j = i; j < d; ++j) set_entry(rows, i, j, 1.0);
    for (int j = 0; j < seasonal_d; ++j) set_entry(rows, i, d + j * period + period - 1, 1.0);
    set_entry(rows, i, nd, 1.0);
  }

  ss.row_start.assign(k + 1, 0);
  ss.ar_value_index.assign(s.ar_degree, -1);
  for (int i = 0; i < k; ++i) {
    ss.row_start[i] = static_cast<int>(ss.column.size());
    for (const auto& [j, v] : rows[i]) {
      if (j == nd && i >= nd && i < nd + s.ar_degree) {
        ss.ar_value_index[i - nd] = static_cast<int>(ss.value.size());
      }
      ss.column.push_back(j);
      ss.value.push_back(v);
    }
  }
  ss.row_start[k] = static_cast<int>(ss.column.size());

  for (int i = 0; i < d; ++i) ss.design.push_back(i);
  for (int j = 0; j < seasonal_d; ++j) ss.design.push_back(d + j * period + period - 1);
  ss.design.push_back(nd);

  ss.selection.assign(s.k_order, 0.0);
  ss.selection[0] = 1.0;
  ss.reduced_ar.assign(s.ar_degree, 0.0);
  ss.reduced_ma.assign(s.ma_degree, 0.0);
  ss.initial_state = Eigen::VectorXd::Zero(k);
  ss.initial_cov = RowMatrix::Zero(k, k);
  return ss;
}

bool solve_companion_lyapunov(const std::vector<double>& phi, const std::vector<double>& selection,
                              double variance, int r, RowMatrix* p) {
  // Row i of T_b has φ*_{i+1} in column 0 and 1 in column i+1, so
  //   P[i][j] = f_i f_j u_0 + f_i u_{j+1} + f_j u_{i+1} + Q[i][j] + P[i+1][j+1]
  // with u = P's first row (u_r = 0). Unrolling along diagonals turns the first row's
  // equations into an r×r linear system; the rest of P follows by back substitution.
  auto f = [&](int i) { return i < static_cast<int>(phi.size()) ? phi[i] : 0.0; };
  auto q = [&](int i, int j) { return variance * selection[i] * selection[j]; };
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(r, r);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(r);
  for (int j = 0; j < r; ++j) {
    for (int kk = 0; j + kk < r; ++kk) {
      const double fk = f(kk);
      const double fjk = f(j + kk);
      a(j, 0) -= fk * fjk;
      if (j + kk + 1 < r) a(j, j + kk + 1) -= fk;
      if (kk + 1 < r) a(j, kk + 1) -= fjk;
      b[j] += q(kk, j + kk);
    }
  }
  Eigen::VectorXd u = a.partialPivLu().solve(b);
  if (!u.allFinite()) return false;
  auto u_at = [&](int i) { return i < r ? u[i] : 0.0; };
  RowMatrix& out = *p;
  out.resize(r, r);
  for (int j = 0; j < r; ++j) out(0, j) = u[j];
  for (int i = r - 1; i >= 1; --i) {
    for (int j = i; j < r; ++j) {
      double v = f(i) * f(j) * u[0] + f(i) * u_at(j + 1) + f(j) * u_at(i + 1) + q(i, j);
      if (j + 1 < r) v += out(i + 1, j + 1);
      out(i, j) = v;
    }
  }
  for (int i = 0; i < r; ++i) {
    for (int j = 0; j < i; ++j) out(i, j) = out(j, i);
  }
  return out.allFinite() && !(out(0, 0) < 0.0);
}

bool update_state_space(const SarimaxStructure& s, const double* params, HarveyStateSpace* ss,
                        double initial_trend_time) {
  const SarimaxSpec& spec = s.spec;
  const int period = spec.period;
  // Lag polynomials with statsmodels' signs: 1 − Σ φ_i L^i, 1 + Σ θ_i L^i.
  std::vector<double> ar(spec.p + 1, 0.0), seasonal_ar(spec.seasonal_p * period + 1, 0.0);
  std::vector<double> ma(spec.q + 1, 0.0), seasonal_ma(spec.seasonal_q * period + 1, 0.0);
  ar[0] = seasonal_ar[0] = ma[0] = seasonal_ma[0] = 1.0;
  for (int i = 0; i < spec.p; ++i) ar[i + 1] = -params[s.ar_offset + i];
  for (int i = 0; i < spec.q; ++i) ma[i + 1] = params[s.ma_offset + i];
  for (int i = 0; i < spec.seasonal_p; ++i) {
    seasonal_ar[(i + 1) * period] = -params[s.seasonal_ar_offset + i];
  }
  for (int i = 0; i < spec.seasonal_q; ++i) {
    seasonal_ma[(i + 1) * period] = params[s.seasonal_ma_offset + i];
  }
  std::fill(ss->reduced_ar.begin(), ss->reduced_ar.end(), 0.0);
  for (size_t i = 0; i < ar.size(); ++i) {
    for (size_t j = 0; j < seasonal_ar.size(); ++j) {
      const size_t lag = i + j;
      if (lag > 0 && ar[i] != 0.0 && seasonal_ar[j] != 0.0) {
        ss->reduced_ar[lag - 1] -= ar[i] * seasonal_ar[j];
      }
    }
  }
  std::fill(ss->reduced_ma.begin(), ss->reduced_ma.end(), 0.0);
  for (size_t i = 0; i < ma.size(); ++i) {
    for (size_t j = 0; j < seasonal_ma.size(); ++j) {
      const size_t lag = i + j;
      if (lag > 0 && ma[i] != 0.0 && seasonal_ma[j] != 0.0) {
        ss->reduced_ma[lag - 1] += ma[i] * seasonal_ma[j];
      }
    }
  }
  for (int i = 0; i < s.ar_degree; ++i) ss->value[ss->ar_value_index[i]] = ss->reduced_ar[i];
  ss->selection_nonzero.clear();
  ss->selection_nonzero.push_back(0);
  for (int j = 0; j < s.ma_degree; ++j) {
    ss->selection[j + 1] = ss->reduced_ma[j];
    if (ss->reduced_ma[j] != 0.0) ss->selection_nonzero.push_back(j + 1);
  }
  ss->state_variance = s.has_sigma2 ? params[s.sigma2_offset] : 1.0;
  int t = s.trend_offset;
  ss->intercept = s.has_intercept ? params[t++] : 0.0;
  ss->drift = s.has_drift ? params[t] : 0.0;

  // Initialisation (A.3).
  const int nd = s.k_diff_states;
  ss->initial_state.setZero();
  ss->initial_cov.setZero();
  if (!spec.enforce_stationarity) {
    ss->initial_cov.diagonal().setConstant(kApproximateDiffuseVariance);
    return true;
  }
  for (int i = 0; i < nd; ++i) ss->initial_cov(i, i) = kApproximateDiffuseVariance;
  const int r = s.k_order;
  // Stationary mean (I − T_b)^{-1} c_b with c_b = (A(τ=1), 0, …): x_0 (1 − Σ φ*) = A(1).
  const double trend_at_start = ss->intercept + ss->drift * initial_trend_time;
  if (trend_at_start != 0.0) {
    double sum_phi = 0.0;
    for (double v : ss->reduced_ar) sum_phi += v;
    if (1.0 - sum_phi == 0.0) return false;
    const double x0 = trend_at_start / (1.0 - sum_phi);
    double tail = 0.0;
    for (int i = r - 1; i >= 1; --i) {
      if (i < s.ar_degree) tail += ss->reduced_ar[i];  // x_i = Σ_{m≥i} φ*_{m+1} x_0
      ss->initial_state[nd + i] = tail * x0;
    }
    ss->initial_state[nd] = x0;
  }
  RowMatrix block;
  if (!solve_companion_lyapunov(ss->reduced_ar, ss->selection, ss->state_variance, r, &block)) {
    return false;
  }
  ss->initial_cov.block(nd, nd, r, r) = block;
  return true;
}

RowMatrix dense_transition(const HarveyStateSpace& ss) {
  RowMatrix t = RowMatrix::Zero(ss.k_states, ss.k_states);
  for (int i = 0; i < ss.k_states; ++i) {
    for (int e = ss.row_start[i]; e < ss.row_start[i + 1]; ++e) t(i, ss.column[e]) = ss.value[e];
  }
  return t;
}

}  // namespace traind::engines::timeseries::detail
