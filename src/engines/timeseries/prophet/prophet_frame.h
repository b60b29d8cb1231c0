// Input rows in the shape Prophet's setup_dataframe() leaves them: sorted by ds, history rows
// without y dropped, and scaled with the model's y_scale / start / t_scale / regressor mu, std.
#pragma once

#include <vector>

#include "core/status.h"
#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/prophet_model_data.h"

namespace traind::engines::timeseries::detail {

struct PreparedFrame {
  std::vector<double> ds;                       // epoch seconds, sorted
  std::vector<double> t;                        // (ds - start) / t_scale
  std::vector<double> y;                        // history only
  std::vector<double> y_scaled;                 // history only: (y - floor) / y_scale
  std::vector<double> cap_scaled;               // logistic only: (cap - floor) / y_scale
  std::vector<double> floor;                    // 0 unless logistic with a floor column
  std::vector<std::vector<double>> regressors;  // standardised, in model.regressors order
  size_t rows() const { return ds.size(); }
};

// Checks the columns the model needs, drops rows without y when `history` (kDataError for
// infinite values, missing columns, NaN regressors) and sorts by ds (stable, as dplyr::arrange).
Result<ProphetFrame> sort_frame(const ProphetFrame& frame, const ProphetModelData& model,
                                bool history);

// Applies the fitted scaling to sorted rows; cap must exceed floor on every row.
Result<PreparedFrame> scale_frame(const ProphetFrame& sorted, const ProphetModelData& model);

}  // namespace traind::engines::timeseries::detail
