// Prophet's uncertainty intervals by simulation (R prophet 1.0 sample_posterior_predictive,
// sample_predictive_trend, sample_model; spec B.6).
#pragma once

#include <cstdint>
#include <vector>

#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/prophet_frame.h"
#include "engines/timeseries/prophet/prophet_model_data.h"

namespace traind::engines::timeseries::detail {

// Fills yhat_lower/upper and trend_lower/upper of `out` for the prepared rows.
// `xb_additive` is X (beta * s_a) * y_scale, `xb_multiplicative` is X (beta * s_m).
void simulate_intervals(const ProphetModelData& model, const PreparedFrame& frame,
                        const std::vector<double>& xb_additive,
                        const std::vector<double>& xb_multiplicative, uint64_t seed,
                        ProphetForecast& out);

// R's quantile(type = 7) of the values (reordered in place).
double quantile_type7(std::vector<double>::iterator first, std::vector<double>::iterator last,
                      double p);

}  // namespace traind::engines::timeseries::detail
