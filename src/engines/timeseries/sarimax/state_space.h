// The Harvey state-space form of a SARIMAX model (spec A.2) and its default initialisation
// (A.3). The transition matrix is held in compressed rows: it has about two entries per
// row, which the filter exploits (T P T' in O(k²) instead of O(k³)).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/sarimax/sarimax_structure.h"

namespace traind::engines::timeseries::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// statsmodels' `initial_variance` for approximate-diffuse states.
inline constexpr double kApproximateDiffuseVariance = 1e6;

struct HarveyStateSpace {
  int k_states = 0;
  int k_diff_states = 0;  // the ARMA block starts here
  int k_order = 0;
  // Transition T: row i holds entries [row_start[i], row_start[i+1]) of (column, value).
  std::vector<int> row_start;
  std::vector<int> column;
  std::vector<double> value;
  std::vector<int> ar_value_index;  // where φ*_1 … φ*_{ar_degree} sit in `value`
  std::vector<int> design;          // Z is 1 at these states, 0 elsewhere
  // R restricted to the ARMA block: (1, θ*_1, …, θ*_{k_order−1}), and its non-zero rows.
  std::vector<double> selection;
  std::vector<int> selection_nonzero;
  std::vector<double> reduced_ar;  // φ*_1 … φ*_{ar_degree}
  std::vector<double> reduced_ma;  // θ*_1 … θ*_{ma_degree}
  double state_variance = 1.0;     // σ² (1 when the scale is concentrated out)
  // Trend A(τ) = intercept + drift·τ enters the first ARMA state (the state intercept).
  double intercept = 0.0;
  double drift = 0.0;
  Eigen::VectorXd initial_state;
  RowMatrix initial_cov;
};

// The fixed layout for a structure; parameter-dependent values are zero until updated.
HarveyStateSpace make_state_space(const SarimaxStructure& s);

// Writes the parameters (constrained, A.1 order) into the system and recomputes the
// initialisation. False when the stationary initialisation does not exist (the AR part is
// not stationary), so the likelihood is undefined there. The stationary mean uses the trend
// at τ = initial_trend_time (1 for the model's own data, A.2).
bool update_state_space(const SarimaxStructure& s, const double* params, HarveyStateSpace* ss,
                        double initial_trend_time = 1.0);

// P solving P = T_b P T_b' + Q for the ARMA companion block T_b (first column φ*, ones on
// the superdiagonal) with Q = v·R R'; exact, O(r³) through the first row of P.
bool solve_companion_lyapunov(const std::vector<double>& phi, const std::vector<double>& selection,
                              double variance, int r, RowMatrix* p);

// The full T as a dense matrix (tests and the artifact checks).
RowMatrix dense_transition(const HarveyStateSpace& ss);

}  // namespace traind::engines::timeseries::detail
