// The SARIMAX log-likelihood at constrained parameters (spec A.3, A.7's concentrated form):
// owns the state space and the filter workspace so that repeated evaluations by the
// optimiser and the OPG scores reuse their memory.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/sarimax/chandrasekhar_filter.h"
#include "engines/timeseries/sarimax/kalman_filter.h"
#include "engines/timeseries/sarimax/sarimax_structure.h"
#include "engines/timeseries/sarimax/state_space.h"

namespace traind::engines::timeseries::detail {

struct LikelihoodEvaluation {
  bool ok = false;  // false: the parameters have no finite likelihood
  double loglike = 0.0;
  double scale = 1.0;  // σ² (the concentrated estimate with concentrate_scale)
  int counted = 0;     // observations in the likelihood (t >= burn, observed)
};

class SarimaxLikelihood {
 public:
  // `y` and `exog` (k_exog columns of y.size() rows) must outlive this object. Row t of y
  // sits at trend time τ = t + 1 + trend_time_offset (non-zero for a differenced series).
  SarimaxLikelihood(const SarimaxStructure& s, const std::vector<double>& y,
                    const std::vector<std::vector<double>>& exog, double trend_time_offset = 0.0);

  // ℓ(params); with `record`, also the per-step filter outputs.
  LikelihoodEvaluation evaluate(const double* params, FilterRecord* record = nullptr);

  // Per-observation contributions ℓ_t (zero for t < burn and for missing rows).
  bool loglike_obs(const double* params, std::vector<double>* out);

  const HarveyStateSpace& state_space() const { return ss_; }
  int nobs() const { return static_cast<int>(y_.size()); }

 private:
  bool prepare(const double* params);

  const SarimaxStructure& s_;
  const std::vector<double>& y_;
  const std::vector<std::vector<double>>& exog_;
  HarveyStateSpace ss_;
  double trend_time_offset_;
  // Chandrasekhar recursions apply: no differencing states, stationary prior, no gaps.
  bool chandrasekhar_ = false;
  KalmanFilter filter_;
  ChandrasekharFilter fast_filter_;
  std::vector<double> obs_intercept_;
  FilterRecord scratch_;
};

}  // namespace traind::engines::timeseries::detail
