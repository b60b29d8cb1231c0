// The feature matrix X of R prophet 1.0 (make_all_seasonality_features): Fourier columns per
// seasonality, holiday indicator columns, extra regressors; and the layout that says which
// columns are additive, multiplicative and which component each belongs to.
#pragma once

#include <Eigen/Core>

#include "core/status.h"
#include "engines/timeseries/prophet/prophet_frame.h"
#include "engines/timeseries/prophet/prophet_model_data.h"

namespace traind::engines::timeseries::detail {

// Column names, prior scales, s_a / s_m and components (regressor_column_matrix) from the
// model's seasonalities, holidays and regressors. kInvalidConfig for inconsistent holidays.
Result<ColumnLayout> make_column_layout(const ProphetModelData& model);

// X for prepared rows (rows x columns, in layout order). One zero column when the model has
// no feature at all (the Stan model needs K >= 1).
Eigen::MatrixXd make_feature_matrix(const ProphetModelData& model, const PreparedFrame& frame);

// The unique holiday names in order of first appearance (R's unique(holidays$holiday)).
std::vector<std::string> holiday_names(const std::vector<HolidayRow>& holidays);

}  // namespace traind::engines::timeseries::detail
