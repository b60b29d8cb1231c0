// The Kalman filter by Chandrasekhar recursions (Morf, Sidhu & Kailath 1974) for the ARMA
// block alone: with a stationary initialisation P_0 = T P_0 T' + Q the covariance
// increments P_{t+1} − P_t = W_t M_t W_t' stay rank one, so a step costs O(k) instead of the
// O(k²) covariance update. Algebraically the same likelihood as KalmanFilter; usable when
// the model has no differencing states, the prior is stationary and no observation is
// missing (a skipped update would break the recursion).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/sarimax/kalman_filter.h"
#include "engines/timeseries/sarimax/state_space.h"

namespace traind::engines::timeseries::detail {

class ChandrasekharFilter {
 public:
  explicit ChandrasekharFilter(int k_states);

  // `ss` must have no differencing states; in.y must have no missing values. The transition
  // from t to t+1 uses the trend at τ = t + 1 + trend_time_offset. With `loglike_obs`, the
  // per-observation contributions (zero before in.burn).
  FilterSums run(const HarveyStateSpace& ss, const FilterInputs& in, double trend_time_offset,
                 std::vector<double>* loglike_obs);

 private:
  int k_;
  Eigen::VectorXd a_, gain_, w_;
};

}  // namespace traind::engines::timeseries::detail
