// statsmodels' SARIMAX.start_params (spec A.5): least squares for the regressors on the
// differenced data, then Hannan–Rissanen-style conditional least squares for the
// non-seasonal and seasonal ARMA parts, with statsmodels' quirks kept.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "engines/timeseries/sarimax/sarimax_structure.h"

namespace traind::engines::timeseries::detail {

// Constrained start values in the A.1 order. `exog` holds k_exog columns of y.size() rows.
Eigen::VectorXd sarimax_start_params(const SarimaxStructure& s, const std::vector<double>& y,
                                     const std::vector<std::vector<double>>& exog);

}  // namespace traind::engines::timeseries::detail
