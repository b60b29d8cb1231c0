// The bridge from a Prophet model to prophet.stan's data block: the MAP problem over the
// model's history, and log p at given parameters (used by tests and diagnostics).
#pragma once

#include "core/status.h"
#include "engines/timeseries/prophet/map_objective.h"
#include "engines/timeseries/prophet/prophet_frame.h"
#include "engines/timeseries/prophet/prophet_model_data.h"

namespace traind::engines::timeseries::detail {

MapProblem make_map_problem(const ProphetModelData& model, const PreparedFrame& history);

// log p of prophet.stan (spec B.4) over the model's history at `params`.
Result<double> log_posterior(const ProphetModelData& model, const ProphetParams& params);

}  // namespace traind::engines::timeseries::detail
