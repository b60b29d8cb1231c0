// What a SarimaxModel holds: everything the artifact stores (spec A.8) plus the in-sample
// predictions of a fitted model.
#pragma once

#include <string>
#include <vector>

#include "engines/timeseries/sarimax.h"
#include "engines/timeseries/sarimax/sarimax_structure.h"

namespace traind::engines::timeseries::detail {

struct SarimaxModelData {
  SarimaxStructure structure;  // spec, exog and parameter names, state dimensions
  std::vector<double> params;
  std::vector<double> bse;
  std::vector<double> cov_params;  // row-major k_params²
  double llf = 0.0;
  double aic = 0.0;
  double aicc = 0.0;
  double bic = 0.0;
  double hqic = 0.0;
  double scale = 1.0;
  int nobs = 0;
  int nobs_effective = 0;
  int df_model = 0;
  bool converged = true;
  int evaluations = 0;
  SarimaxInSample in_sample;
  // a_n and P_n (row-major, in units of σ² = scale): the predicted state for the first period
  // past the data; the next transition uses the trend at τ = nobs + 1.
  std::vector<double> final_state;
  std::vector<double> final_cov;
  std::string frequency;
  std::string last_timestamp;
};

}  // namespace traind::engines::timeseries::detail
