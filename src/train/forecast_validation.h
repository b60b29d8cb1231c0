// Schema-context validation of a forecasting configuration (API.md layer 2, spec §C.2):
// the time, series, target and feature columns are read (only they, under the query
// limits) and prepared exactly as the job will prepare them, so that a column that holds
// no times, irregular timestamps without a frequency, a duplicate time, a too short
// history or a hold-out that leaves nothing to train on answer 400 with the field's path
// before a job exists, instead of failing the job later.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/status.h"
#include "data/sql_source.h"

namespace traind::train {

// Appends each problem to `problems` (paths /time_column, /series_column, /target_column,
// /feature_columns/i, /forecast/..., /split/test_size, /hyperparameters/order); returns a
// Status only for a failure that is not the configuration's fault (kInternal).
std::optional<Status> check_forecast_data(const nlohmann::json& resolved, data::SqlSource& source,
                                          const data::QueryLimits& limits,
                                          std::vector<ErrorDetail>& problems);

}  // namespace traind::train
