// The Kalman filter for the SARIMAX state space (spec A.3): prediction-error decomposition
// of the Gaussian likelihood with missing observations skipped, and the same recursion run
// past the data for forecasts (A.8). Workspace is allocated once per filter object, so a
// likelihood evaluation does no heap allocation per time step.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/sarimax/state_space.h"

namespace traind::engines::timeseries::detail {

struct FilterInputs {
  const double* y = nullptr;  // NaN = missing
  int n = 0;
  const double* obs_intercept = nullptr;  // d_t = x_t'β, or null for none
  int burn = 0;                           // contributions of t < burn are not counted
};

// Sums over the counted observations (t >= burn, observed).
struct FilterSums {
  double loglike = 0.0;             // Σ −½ (ln 2π + ln F_t + v_t²/F_t) with the system's σ²
  double sum_log_f = 0.0;           // Σ ln F_t
  double sum_scaled_squares = 0.0;  // Σ v_t²/F_t
  int counted = 0;
  bool ok = true;  // false when some F_t was not positive and finite
};

// Per-step outputs, when asked for.
struct FilterRecord {
  std::vector<double> mean;        // d_t + Z a_t
  std::vector<double> variance;    // F_t = Z P_t Z'
  std::vector<double> innovation;  // v_t (NaN when y_t is missing)
  Eigen::VectorXd final_state;     // a_n: the predicted state for the first period past the data
  RowMatrix final_cov;             // P_n
};

class KalmanFilter {
 public:
  explicit KalmanFilter(int k_states);

  FilterSums run(const HarveyStateSpace& ss, const FilterInputs& in, FilterRecord* record);

  // From (a, P) predicted for period t0 (0-based, so its transition uses A(τ = t0 + 1)),
  // `steps` periods with no observations: means d + Z a and variances Z P Z'.
  void forecast(const HarveyStateSpace& ss, const Eigen::VectorXd& state, const RowMatrix& cov,
                long long t0, int steps, const double* obs_intercept, std::vector<double>* mean,
                std::vector<double>* variance);

 private:
  // a <- T a + c_t, P <- T P T' + σ² R R' (c_t = A(trend_time) in the first ARMA state).
  void predict(const HarveyStateSpace& ss, double trend_time);
  void predict_state(const HarveyStateSpace& ss, double trend_time);  // a only

  int k_;
  Eigen::VectorXd a_;
  Eigen::VectorXd a_next_;
  Eigen::VectorXd pz_;
  Eigen::VectorXd previous_pz_;
  RowMatrix p_;
  RowMatrix w_;
  RowMatrix wt_;
};

}  // namespace traind::engines::timeseries::detail
