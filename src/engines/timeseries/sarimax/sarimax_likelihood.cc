// Likelihood evaluation: parameters -> system -> filter -> ℓ. With concentrate_scale the
// filter runs at σ² = 1 and σ̂² = Σ v²/F / n* is profiled out (statsmodels'
// filter_concentrated).
#include "engines/timeseries/sarimax/sarimax_likelihood.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace traind::engines::timeseries::detail {
namespace {

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

}  // namespace

SarimaxLikelihood::SarimaxLikelihood(const SarimaxStructure& s, const std::vector<double>& y,
                                     const std::vector<std::vector<double>>& exog,
                                     double trend_time_offset)
    : s_(s),
      y_(y),
      exog_(exog),
      ss_(make_state_space(s)),
      trend_time_offset_(trend_time_offset),
      filter_(s.k_states),
      fast_filter_(s.k_states),
      obs_intercept_(s.k_exog > 0 ? y.size() : 0, 0.0) {
  chandrasekhar_ = s.k_diff_states == 0 && s.spec.enforce_stationarity && !y.empty() &&
                   std::none_of(y.begin(), y.end(), [](double v) { return std::isnan(v); });
}

bool SarimaxLikelihood::prepare(const double* params) {
  for (int i = 0; i < s_.k_params; ++i) {
    if (!std::isfinite(params[i])) return false;
  }
  if (s_.has_sigma2 && !(params[s_.sigma2_offset] >= 0.0)) return false;
  if (!update_state_space(s_, params, &ss_, 1.0 + trend_time_offset_)) return false;
  if (s_.k_exog > 0) {
    std::fill(obs_intercept_.begin(), obs_intercept_.end(), 0.0);
    for (int j = 0; j < s_.k_exog; ++j) {
      const double beta = params[s_.exog_offset + j];
      const double* x = exog_[j].data();
      for (size_t t = 0; t < obs_intercept_.size(); ++t) obs_intercept_[t] += beta * x[t];
    }
  }
  return true;
}

LikelihoodEvaluation SarimaxLikelihood::evaluate(const double* params, FilterRecord* record) {
  LikelihoodEvaluation out;
  if (!prepare(params)) return out;
  FilterInputs in;
  in.y = y_.data();
  in.n = static_cast<int>(y_.size());
  in.obs_intercept = s_.k_exog > 0 ? obs_intercept_.data() : nullptr;
  in.burn = s_.burn;
  const FilterSums sums = record == nullptr && chandrasekhar_
                              ? fast_filter_.run(ss_, in, trend_time_offset_, nullptr)
                              : filter_.run(ss_, in, record);
  if (!sums.ok) return out;
  out.counted = sums.counted;
  if (s_.has_sigma2) {
    out.loglike = sums.loglike;
    out.scale = ss_.state_variance;
  } else {
    if (sums.counted == 0) return out;
    const double n = sums.counted;
    out.scale = sums.sum_scaled_squares / n;
    out.loglike = -0.5 * (n * kLog2Pi + sums.sum_log_f) - 0.5 * n * std::log(out.scale) - 0.5 * n;
  }
  out.ok = std::isfinite(out.loglike);
  return out;
}

bool SarimaxLikelihood::loglike_obs(const double* params, std::vector<double>* out) {
  if (chandrasekhar_ && s_.has_sigma2) {
    if (!prepare(params)) return false;
    FilterInputs in;
    in.y = y_.data();
    in.n = static_cast<int>(y_.size());
    in.obs_intercept = s_.k_exog > 0 ? obs_intercept_.data() : nullptr;
    in.burn = s_.burn;
    return fast_filter_.run(ss_, in, trend_time_offset_, out).ok;
  }
  const LikelihoodEvaluation eval = evaluate(params, &scratch_);
  if (!eval.ok) return false;
  const int n = static_cast<int>(y_.size());
  out->assign(n, 0.0);
  for (int t = s_.burn; t < n; ++t) {
    const double v = scratch_.innovation[t];
    if (std::isnan(v)) continue;
    const double f = scratch_.variance[t];
    // Concentrated: ℓ_t = −½ (ln 2π + ln σ̂² + ln F_t + v_t² / (σ̂² F_t)).
    const double scaled_f = s_.has_sigma2 ? f : eval.scale * f;
    (*out)[t] = -0.5 * (kLog2Pi + std::log(scaled_f) + v * v / scaled_f);
  }
  return true;
}

}  // namespace traind::engines::timeseries::detail
