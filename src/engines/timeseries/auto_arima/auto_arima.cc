// auto_arima(): forecast 8.20's auto.arima preparation (spec A.9.2): leading missing
// values, bounds from the series length, regressor checks, D by seasonal strength, d by
// KPSS (on the regression residuals when there are regressors), the approximation offset,
// then the search (model_search.cc).
#include "engines/timeseries/auto_arima.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "engines/timeseries/auto_arima/arima_fit.h"
#include "engines/timeseries/auto_arima/candidate_model.h"
#include "engines/timeseries/auto_arima/differencing_tests.h"
#include "engines/timeseries/auto_arima/model_search.h"

namespace traind::engines::timeseries {
namespace {

using detail::CandidateSeries;
using detail::is_constant_series;
using detail::lagged_difference;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status validate(const std::vector<double>& y, const std::vector<std::vector<double>>& exog,
                const AutoArimaOptions& o) {
  if (o.ic != "aicc" && o.ic != "aic" && o.ic != "bic")
    return Status(ErrorCode::kInvalidConfig,
                  "ic must be \"aicc\", \"aic\" or \"bic\", got \"" + o.ic + "\"");
  if (o.max_p < 0 || o.max_q < 0 || o.max_P < 0 || o.max_Q < 0 || o.max_d < 0 || o.max_D < 0 ||
      o.max_order < 0 || o.start_p < 0 || o.start_q < 0 || o.start_P < 0 || o.start_Q < 0)
    return Status(ErrorCode::kInvalidConfig, "ARIMA order bounds and start orders must be >= 0");
  if (o.nmodels < 1) return Status(ErrorCode::kInvalidConfig, "nmodels must be at least 1");
  for (size_t j = 0; j < exog.size(); ++j)
    if (exog[j].size() != y.size())
      return Status(ErrorCode::kInvalidConfig, "exogenous column " + std::to_string(j + 1) +
                                                   " has " + std::to_string(exog[j].size()) +
                                                   " rows, the series has " +
                                                   std::to_string(y.size()));
  return Status::ok();
}

bool all_missing(const std::vector<double>& x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

std::vector<double> difference_times(std::vector<double> x, int lag, int times) {
  for (int i = 0; i < times; ++i) x = lagged_difference(x, lag);
  return x;
}

bool any_column_constant(const std::vector<std::vector<double>>& cols, int lag, int times) {
  for (const auto& c : cols)
    if (is_constant_series(difference_times(c, lag, times))) return true;
  return false;
}

// Rows where y and every regressor are observed.
std::vector<int> complete_rows(const std::vector<double>& y,
                               const std::vector<std::vector<double>>& cols) {
  std::vector<int> rows;
  for (int i = 0; i < static_cast<int>(y.size()); ++i) {
    bool ok = !std::isnan(y[i]);
    for (const auto& c : cols) ok = ok && !std::isnan(c[i]);
    if (ok) rows.push_back(i);
  }
  return rows;
}

// auto.arima's "xreg is rank deficient" test on [1, X] and the residuals of lm(y ~ X).
Result<std::vector<double>> regression_residuals(const std::vector<double>& y,
                                                 const std::vector<std::vector<double>>& cols) {
  const int k = static_cast<int>(cols.size()) + 1;
  std::vector<int> xrows;
  for (int i = 0; i < static_cast<int>(y.size()); ++i) {
    bool ok = true;
    for (const auto& c : cols) ok = ok && !std::isnan(c[i]);
    if (ok) xrows.push_back(i);
  }
  Eigen::MatrixXd X(xrows.size(), k);
  for (size_t r = 0; r < xrows.size(); ++r) {
    X(r, 0) = 1.0;
    for (int j = 1; j < k; ++j) X(r, j) = cols[j - 1][xrows[r]];
  }
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(X);
  const auto sv = svd.singularValues();
  if (sv.size() < k || sv.minCoeff() / sv.sum() < DBL_EPSILON)
    return Status(ErrorCode::kDataError,
                  "the exogenous regressors are rank deficient "
                  "(a column is a linear combination of the others)");
  const std::vector<int> rows = complete_rows(y, cols);
  Eigen::MatrixXd A(rows.size(), k);
  Eigen::VectorXd b(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    A(r, 0) = 1.0;
    for (int j = 1; j < k; ++j) A(r, j) = cols[j - 1][rows[r]];
    b(r) = y[rows[r]];
  }
  const Eigen::VectorXd beta = A.colPivHouseholderQr().solve(b);
  const Eigen::VectorXd resid = b - A * beta;
  std::vector<double> out = y;
  for (size_t r = 0; r < rows.size(); ++r) out[rows[r]] = resid(r);
  return out;
}

double mean_of_observed(const std::vector<double>& x) {
  double s = 0.0;
  int n = 0;
  for (double v : x)
    if (!std::isnan(v)) {
      s += v;
      ++n;
    }
  return n > 0 ? s / n : kNaN;
}

}  // namespace

Result<AutoArimaResult> auto_arima(const std::vector<double>& y,
                                   const std::vector<std::vector<double>>& exog_columns, int m,
                                   const AutoArimaOptions& options) {
  TRAIND_RETURN_IF_ERROR(validate(y, exog_columns, options));
  try {
    AutoArimaResult result;
    result.seasonal_strength = kNaN;
    result.mean_or_drift = kNaN;
    result.ic_name = options.ic;

    // 1. Drop leading missing values.
    int first = 0;
    while (first < static_cast<int>(y.size()) && std::isnan(y[first])) ++first;
    if (first == static_cast<int>(y.size()))
      return Status(ErrorCode::kDataError, "all values of the series are missing");
    const std::vector<double> x(y.begin() + first, y.end());
    std::vector<std::vector<double>> xreg;
    for (const auto& c : exog_columns) xreg.emplace_back(c.begin() + first, c.end());
    const int serieslength = detail::observed_span_count(x);

    if (is_constant_series(x)) {
      result.constant = options.allowmean;
      result.mean_or_drift = options.allowmean ? mean_of_observed(x) : kNaN;
      result.ic_value = kNaN;
      return result;
    }

    // 2–3. Frequency and bounds.
    const int frequency = m;
    m = options.seasonal ? std::max(1, m) : 1;
    std::string ic = options.ic;
    int max_p = std::min(options.max_p, serieslength / 3);
    int max_q = std::min(options.max_q, serieslength / 3);
    int max_P = std::min(options.max_P, serieslength / 3 / m);
    int max_Q = std::min(options.max_Q, serieslength / 3 / m);
    if (serieslength <= 3) ic = "aic";
    result.ic_name = ic;

    // 4. Regressors: drop constant columns, check rank, test on the residuals.
    std::vector<std::vector<double>> xregg;
    for (const auto& c : xreg)
      if (!is_constant_series(c)) xregg.push_back(c);
    std::vector<double> xx = x;
    if (!xregg.empty()) {
      auto resid = regression_residuals(x, xregg);
      if (!resid.is_ok()) return resid.status();
      xx = std::move(resid.value());
    }

    // 5. Seasonal differences.
    int D = 0;
    if (m == 1) {
      max_P = max_Q = 0;
    } else if (static_cast<int>(xx.size()) > 2 * m) {
      const auto seasonal = detail::seasonal_differences(xx, m, options.max_D);
      D = seasonal.order;
      if (!seasonal.statistics.empty()) result.seasonal_strength = seasonal.statistics[0];
      if (D > 0 && !xregg.empty() && any_column_constant(xregg, m, D)) --D;
      if (D > 0 && all_missing(difference_times(xx, m, D))) --D;
    }
    std::vector<double> dx = D > 0 ? difference_times(xx, m, D) : xx;
    std::vector<std::vector<double>> diffxreg;
    for (const auto& c : xregg) diffxreg.push_back(D > 0 ? difference_times(c, m, D) : c);

    // 6. Differences.
    const auto kpss = detail::kpss_differences(dx, options.max_d);
    int d = kpss.order;
    result.kpss_statistics = kpss.statistics;
    if (d > 0 && !diffxreg.empty() && any_column_constant(diffxreg, 1, d)) --d;
    if (d > 0 && all_missing(difference_times(dx, 1, d))) --d;
    if (d > 0) dx = difference_times(dx, 1, d);
    if (dx.empty()) return Status(ErrorCode::kDataError, "not enough data to fit an ARIMA model");

    result.m = m;
    result.d = d;
    result.D = D;
    // 7. A constant differenced series: R's fixed special cases, no search.
    if (is_constant_series(dx)) {
      if (xreg.empty()) {
        if (D > 0 && d == 0) {
          result.constant = true;
          result.mean_or_drift = mean_of_observed(dx) / m;
        } else if (D == 0 && d < 2) {
          result.constant = true;
          result.mean_or_drift = mean_of_observed(dx);
        }
      }
      result.ic_value = kNaN;
      return result;
    }

    // 8. Non-seasonal orders below the period when seasonal terms are allowed.
    if (m > 1) {
      if (max_P > 0) max_p = std::min(max_p, m - 1);
      if (max_Q > 0) max_q = std::min(max_q, m - 1);
    }

    // 9. Approximation and its offset.
    bool approximation = options.approximation == AutoArimaApproximation::kOn;
    if (options.approximation == AutoArimaApproximation::kAuto)
      approximation = static_cast<int>(x.size()) > 150 || frequency > 12;
    result.approximation = approximation;
    double offset = 0.0;
    if (approximation) {
      detail::ArimaFitRequest request;
      request.order.d = d;
      request.order.D = D;
      request.order.m = m;
      request.include_mean = true;
      request.method = detail::ArimaMethod::kCssMl;
      auto fit = detail::fit_arima(x, xreg, request);
      if (fit.is_ok()) offset = -2.0 * fit->loglik - serieslength * std::log(fit->sigma2);
    }

    // 10–. Search.
    CandidateSeries series;
    series.x = &x;
    series.xreg = &xreg;
    series.m = m;
    series.ic = ic;
    detail::SearchBounds bounds;
    bounds.max_p = max_p;
    bounds.max_q = max_q;
    bounds.max_P = max_P;
    bounds.max_Q = max_Q;
    bounds.max_order = options.max_order;
    bounds.start_p = options.start_p;
    bounds.start_q = options.start_q;
    bounds.start_P = options.start_P;
    bounds.start_Q = options.start_Q;
    bounds.nmodels = options.nmodels;
    bounds.d = d;
    bounds.D = D;
    bounds.allowdrift = options.allowdrift && d + D == 1;
    bounds.allowmean = options.allowmean && d + D == 0;
    bounds.short_series = x.size() < 10;
    const detail::SearchOutcome found =
        options.stepwise ? detail::stepwise_search(series, bounds, approximation, offset)
                         : detail::exhaustive_search(series, bounds, approximation, offset);
    result.trace = found.trace;
    result.models_fitted = found.models_fitted;
    if (!found.found) return Status(ErrorCode::kTrainingError, "No suitable ARIMA model found");
    result.p = found.order.p;
    result.q = found.order.q;
    result.P = found.order.P;
    result.Q = found.order.Q;
    result.constant = found.order.constant;
    result.mean_or_drift = found.score.constant_coefficient;
    result.ic_value = found.score.ic;
    result.aic = found.score.aic;
    result.aicc = found.score.aicc;
    result.bic = found.score.bic;
    return result;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("auto_arima failed: ") + e.what());
  }
}

}  // namespace traind::engines::timeseries
