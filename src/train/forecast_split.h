// Hold-out of forecasting jobs (spec C.3): per series, the last periods in time order are
// the test part and everything before them the training part; never shuffled.
//
// n_test is split.test_size when it is a whole number of periods, else
// ceil(test_size * N) with N the series' grid periods (missing points included), as
// scikit-learn sizes a test part. data_summary counts grid periods with an observed target.
// Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::train {

// split.test_size of a forecasting job.
struct ForecastTestSize {
  std::optional<int64_t> periods;  // a whole number of periods (>= 1) ...
  double fraction = 0.2;           // ... or, when periods is absent, a fraction in (0, 1)
};

// Reads split.test_size: a value in (0, 1) is a fraction, a whole number >= 1 (12 or 12.0)
// is a number of periods; anything else is kInvalidConfig at /split/test_size.
Result<ForecastTestSize> forecast_test_size(double value);

// One series' hold-out: grid periods [0, train_periods) train, the rest test.
struct SeriesHoldout {
  size_t train_periods = 0;
  size_t test_periods = 0;
  size_t train_samples = 0;  // of them with an observed target
  size_t test_samples = 0;
};

// y: the series on its grid (NaN = missing). kDataError naming `series_label` when the
// training or the test part would be empty or hold no observed target.
Result<SeriesHoldout> split_series_holdout(const std::vector<double>& y,
                                           const ForecastTestSize& test_size,
                                           const std::string& series_label);

// data_summary's counts over all series: {"total_samples", "train_samples", "test_samples",
// "n_series"}.
nlohmann::json forecast_sample_counts(const std::vector<SeriesHoldout>& holdouts);

}  // namespace traind::train
