// The shape of a SARIMAX model that follows from its spec alone: where each parameter block
// sits in the parameter vector (statsmodels' order, spec A.1), the state dimensions of the
// Harvey form (A.2) and the likelihood burn (A.3).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "engines/timeseries/sarimax.h"

namespace traind::engines::timeseries::detail {

struct SarimaxStructure {
  SarimaxSpec spec;
  int k_exog = 0;
  bool has_intercept = false;  // trend power 0
  bool has_drift = false;      // trend power 1
  int k_trend = 0;
  bool has_sigma2 = true;  // false with concentrate_scale
  int k_params = 0;
  // Offsets of each block in the parameter vector; a block's size is its order.
  int trend_offset = 0;
  int exog_offset = 0;
  int ar_offset = 0;
  int ma_offset = 0;
  int seasonal_ar_offset = 0;
  int seasonal_ma_offset = 0;
  int sigma2_offset = -1;
  // Degrees of the reduced polynomials φ(L)Φ(L^s) and θ(L)Θ(L^s).
  int ar_degree = 0;
  int ma_degree = 0;
  int k_diff_states = 0;  // d + s·D
  int k_order = 0;        // r = max(ar_degree, ma_degree + 1)
  int k_states = 0;
  int burn = 0;  // approximate-diffuse states: d + s·D, or every state without stationarity
  std::vector<std::string> param_names;
  std::vector<std::string> exog_names;
};

// kInvalidConfig for a spec statsmodels would reject (or that A.1 does not cover).
Result<SarimaxStructure> make_sarimax_structure(const SarimaxSpec& spec, int k_exog,
                                                const std::vector<std::string>& exog_names);

}  // namespace traind::engines::timeseries::detail
