// forecast 8.20 R/newarima2.R myarima(), on our stats::arima port.
#include "engines/timeseries/auto_arima/candidate_model.h"

#include <cmath>
#include <limits>

#include "engines/timeseries/auto_arima/arima_fit.h"
#include "engines/timeseries/auto_arima/polynomial_roots.h"

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRootMargin = 1.0 + 1e-2;       // forecast's minroot threshold
constexpr double kNegligibleCoefficient = 1e-8;  // trailing polynomial terms ignored

}  // namespace

int observed_span_count(const std::vector<double>& x) {
  int first = -1, last = -1;
  for (int i = 0; i < static_cast<int>(x.size()); ++i)
    if (!std::isnan(x[i])) {
      if (first < 0) first = i;
      last = i;
    }
  int n = 0;
  for (int i = first; first >= 0 && i <= last; ++i) n += std::isnan(x[i]) ? 0 : 1;
  return n;
}

CandidateScore fit_candidate(const CandidateSeries& series, const CandidateOrder& order,
                             bool approximation, double offset) {
  CandidateScore score;
  score.ic = score.aic = score.aicc = score.bic = kInf;
  score.constant_coefficient = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double>& x = *series.x;
  const int n = observed_span_count(x);
  const int diffs = order.d + order.D;

  ArimaFitRequest request;
  request.order.p = order.p;
  request.order.d = order.d;
  request.order.q = order.q;
  request.order.P = order.P;
  request.order.D = order.D;
  request.order.Q = order.Q;
  request.order.m = series.m;
  request.method = approximation ? ArimaMethod::kCss : ArimaMethod::kCssMl;

  std::vector<std::vector<double>> xreg;
  const bool drift = diffs == 1 && order.constant;
  if (drift) {
    std::vector<double> t(x.size());
    for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i + 1);
    xreg.push_back(std::move(t));
    request.include_mean = true;
  } else {
    request.include_mean = order.constant;
  }
  if (series.xreg != nullptr)
    for (const auto& col : *series.xreg) xreg.push_back(col);

  auto fit = fit_arima(x, xreg, request);
  if (!fit.is_ok()) return score;
  score.fitted = true;
  const int narma = request.order.n_arma();
  if ((drift || fit->has_intercept) && static_cast<int>(fit->coef.size()) > narma)
    score.constant_coefficient = fit->coef[narma];

  const int nstar = n - order.d - order.D * series.m;
  const int npar = fit->n_coef + 1;
  double aic = fit->aic;
  if (approximation) aic = offset + nstar * std::log(fit->sigma2) + 2.0 * npar;
  if (std::isnan(aic)) return score;
  score.aic = aic;
  score.bic = aic + npar * (std::log(static_cast<double>(nstar)) - 2.0);
  score.aicc = aic + 2.0 * npar * (npar + 1) / static_cast<double>(nstar - npar - 1);
  score.ic = series.ic == "bic" ? score.bic : (series.ic == "aic" ? score.aic : score.aicc);

  double minroot = 2.0;
  if (order.p + order.P > 0)
    minroot = std::min(minroot, min_root_modulus(fit->phi, -1.0, kNegligibleCoefficient));
  if (order.q + order.Q > 0 && score.ic < kInf)
    minroot = std::min(minroot, min_root_modulus(fit->theta, 1.0, kNegligibleCoefficient));
  bool bad_variance = false;
  for (double v : fit->var_diag) bad_variance = bad_variance || std::isnan(v) || v < 0.0;
  if (minroot < kRootMargin || bad_variance) score.ic = kInf;
  return score;
}

}  // namespace traind::engines::timeseries::detail
