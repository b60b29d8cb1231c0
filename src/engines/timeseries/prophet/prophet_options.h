// Checks of Prophet's constructor arguments (R prophet 1.0 validate_inputs, add_seasonality,
// add_regressor); every failure is kInvalidConfig naming the option.
#pragma once

#include "core/status.h"
#include "engines/timeseries/prophet.h"

namespace traind::engines::timeseries::detail {

Status validate_prophet_options(const ProphetOptions& options);

}  // namespace traind::engines::timeseries::detail
