// Start values as statsmodels 0.13.5 computes them (SARIMAX.start_params and
// SARIMAX._conditional_sum_squares). np.linalg.pinv(X).dot(Y) is the minimum-norm least
// squares solution, which a complete orthogonal decomposition also gives.
#include "engines/timeseries/sarimax/start_params.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <optional>

#include "engines/timeseries/sarimax/parameter_transforms.h"

namespace traind::engines::timeseries::detail {
namespace {

Eigen::VectorXd least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.rows() == 0 || x.cols() == 0) return Eigen::VectorXd::Zero(x.cols());
  return x.completeOrthogonalDecomposition().solve(y);
}

// statsmodels.tsa.statespace.tools.diff: seasonal differences first, then simple ones.
std::vector<double> difference(std::vector<double> x, int d, int seasonal_d, int period) {
  for (int i = 0; i < seasonal_d; ++i) {
    if (static_cast<int>(x.size()) <= period) return {};
    std::vector<double> out(x.size() - period);
    for (size_t t = 0; t < out.size(); ++t) out[t] = x[t + period] - x[t];
    x.swap(out);
  }
  for (int i = 0; i < d; ++i) {
    if (x.size() <= 1) return {};
    std::vector<double> out(x.size() - 1);
    for (size_t t = 0; t < out.size(); ++t) out[t] = x[t + 1] - x[t];
    x.swap(out);
  }
  return x;
}

double population_variance(const Eigen::VectorXd& w) {
  if (w.size() == 0) return std::nan("");
  const double mean = w.mean();
  return (w.array() - mean).square().mean();
}

struct CssResult {
  Eigen::VectorXd trend;
  Eigen::VectorXd ar;
  Eigen::VectorXd ma;
  std::optional<double> variance;
};

// SARIMAX._conditional_sum_squares. max_ar / max_ma are the largest lags; the parameters sit
// at `ar_lags` / `ma_lags` (1..p, or s, 2s, … for the seasonal call).
CssResult conditional_sum_squares(const Eigen::VectorXd& w, int max_ar,
                                  const std::vector<int>& ar_lags, int max_ma,
                                  const std::vector<int>& ma_lags, int k_trend,
                                  const Eigen::MatrixXd& trend_data) {
  const int n = static_cast<int>(w.size());
  const int k_params_ar = static_cast<int>(ar_lags.size());
  const int k_params_ma = static_cast<int>(ma_lags.size());
  CssResult out;
  out.trend = Eigen::VectorXd::Zero(k_trend);
  out.ar = Eigen::VectorXd::Zero(k_params_ar);
  out.ma = Eigen::VectorXd::Zero(k_params_ma);
  if (max_ar + max_ma + k_trend == 0) return out;

  const int k = 2 * max_ma;
  const int r = std::max(k + max_ma, max_ar);
  // lagmat raises ValueError when maxlag >= nobs; statsmodels then starts from zeros.
  const bool too_few = (max_ma > 0 && (k >= n || max_ma >= n - k)) || (max_ar > 0 && max_ar >= n);
  Eigen::VectorXd residuals;
  if (too_few) {
    if (n == 0) {
      residuals = Eigen::VectorXd::Ones(2 * k_params_ma + 1);
    } else {
      residuals = Eigen::VectorXd::Zero(2 * k_params_ma + n);
      residuals.tail(n) = w.array() - w.mean();
    }
  } else {
    Eigen::VectorXd long_ar_residuals;
    if (max_ma > 0) {
      // Long autoregression AR(2q) on rows k.. (lagmat trim='both').
      Eigen::MatrixXd x(n - k, k);
      for (int t = k; t < n; ++t) {
        for (int lag = 1; lag <= k; ++lag) x(t - k, lag - 1) = w[t - lag];
      }
      const Eigen::VectorXd yk = w.tail(n - k);
      long_ar_residuals = yk - x * least_squares(x, yk);
    }
    const int rows = std::max(n - r, 0);
    const int cols = k_trend + k_params_ar + k_params_ma;
    Eigen::MatrixXd x(rows, cols);
    for (int j = 0; j < rows; ++j) {
      const int t = r + j;
      int c = 0;
      // Quirk kept: the first rows of the trend data, not the rows aligned with t.
      for (int i = 0; i < k_trend; ++i) x(j, c++) = trend_data(j, i);
      for (int lag : ar_lags) x(j, c++) = w[t - lag];
      for (int lag : ma_lags) x(j, c++) = long_ar_residuals[t - lag - k];
    }
    const Eigen::VectorXd yr = w.tail(rows);
    const Eigen::VectorXd params = least_squares(x, yr);
    residuals = yr - x * params;
    out.trend = params.head(k_trend);
    out.ar = params.segment(k_trend, k_params_ar);
    out.ma = params.segment(k_trend + k_params_ar, k_params_ma);
  }
  if (residuals.size() > 1) {
    out.variance = residuals.tail(residuals.size() - k_params_ma).array().square().mean();
  } else {
    out.variance = population_variance(w);
  }
  return out;
}

}  // namespace

Eigen::VectorXd sarimax_start_params(const SarimaxStructure& s, const std::vector<double>& y,
                                     const std::vector<std::vector<double>>& exog) {
  const SarimaxSpec& spec = s.spec;
  const int n_full = static_cast<int>(y.size());
  std::vector<double> w_all = difference(y, spec.d, spec.seasonal_d, spec.period);
  const int n_diff = static_cast<int>(w_all.size());
  std::vector<std::vector<double>> x_all;
  for (const auto& column : exog) {
    x_all.push_back(difference(column, spec.d, spec.seasonal_d, spec.period));
  }
  // Trend data τ = 1, 2, … truncated to the differenced length, then the missing rows dropped.
  std::vector<int> kept;
  for (int t = 0; t < n_diff; ++t) {
    if (!std::isnan(w_all[t])) kept.push_back(t);
  }
  const int n = static_cast<int>(kept.size());
  Eigen::VectorXd w(n);
  Eigen::MatrixXd x(n, s.k_exog);
  Eigen::MatrixXd trend_data(n, s.k_trend);
  for (int i = 0; i < n; ++i) {
    const int t = kept[i];
    w[i] = w_all[t];
    for (int j = 0; j < s.k_exog; ++j) x(i, j) = x_all[j][t];
    int c = 0;
    if (s.has_intercept) trend_data(i, c++) = 1.0;
    if (s.has_drift) trend_data(i, c) = static_cast<double>(t + 1);
  }

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(s.k_exog);
  if (s.k_exog > 0) {
    beta = least_squares(x, w);
    w -= x * beta;
  }

  std::vector<int> ar_lags, ma_lags, seasonal_ar_lags, seasonal_ma_lags;
  for (int i = 1; i <= spec.p; ++i) ar_lags.push_back(i);
  for (int i = 1; i <= spec.q; ++i) ma_lags.push_back(i);
  for (int i = 1; i <= spec.seasonal_p; ++i) seasonal_ar_lags.push_back(i * spec.period);
  for (int i = 1; i <= spec.seasonal_q; ++i) seasonal_ma_lags.push_back(i * spec.period);

  CssResult regular =
      conditional_sum_squares(w, spec.p, ar_lags, spec.q, ma_lags, s.k_trend, trend_data);
  if (spec.p > 0 && spec.enforce_stationarity &&
      !is_stationary(regular.ar.data(), static_cast<int>(regular.ar.size()))) {
    regular.ar.setZero();
  }
  if (spec.q > 0 && spec.enforce_invertibility &&
      !is_invertible(regular.ma.data(), static_cast<int>(regular.ma.size()))) {
    regular.ma.setZero();
  }
  CssResult seasonal = conditional_sum_squares(w, spec.seasonal_p * spec.period, seasonal_ar_lags,
                                               spec.seasonal_q * spec.period, seasonal_ma_lags, 0,
                                               Eigen::MatrixXd(n, 0));
  if (spec.seasonal_p > 0 && spec.enforce_stationarity &&
      !is_stationary(seasonal.ar.data(), static_cast<int>(seasonal.ar.size()))) {
    seasonal.ar.setZero();
  }
  if (spec.seasonal_q > 0 && spec.enforce_invertibility &&
      !is_invertible(seasonal.ma.data(), static_cast<int>(seasonal.ma.size()))) {
    seasonal.ma.setZero();
  }

  double variance = 0.0;
  if (regular.variance) {
    variance = *regular.variance;
  } else if (seasonal.variance) {
    variance = *seasonal.variance;
  } else if (s.k_exog > 0) {
    variance = w.squaredNorm();
  } else {
    variance = w.squaredNorm() / n_full;
  }
  // statsmodels: max(params_variance, 1e-10) (a NaN variance stays NaN there too).
  if (variance < 1e-10) variance = 1e-10;

  Eigen::VectorXd params(s.k_params);
  params.segment(s.trend_offset, s.k_trend) = regular.trend;
  params.segment(s.exog_offset, s.k_exog) = beta;
  params.segment(s.ar_offset, spec.p) = regular.ar;
  params.segment(s.ma_offset, spec.q) = regular.ma;
  params.segment(s.seasonal_ar_offset, spec.seasonal_p) = seasonal.ar;
  params.segment(s.seasonal_ma_offset, spec.seasonal_q) = seasonal.ma;
  if (s.has_sigma2) params[s.sigma2_offset] = variance;
  return params;
}

}  // namespace traind::engines::timeseries::detail
