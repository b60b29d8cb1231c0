// Data preparation of forecasting jobs (spec C.2): a loaded table becomes one regular,
// time-ordered series per value of the series column, ready for an engine.
//
// Steps: parse the time column (ISO-8601 text, read as UTC; numbers are refused: an epoch
// number is ambiguous between seconds, milliseconds and days), sort by (series, time),
// refuse a missing or a duplicate time, take the given frequency or infer it per series
// (all series must agree), lay each series on its grid from its first to its last observed
// target (grid points without a row, or with a null target, hold NaN), check that every row
// with an observed target has its feature values, and take the rows after the last observed
// target as the future feature values of the `horizon` periods that follow (C.2.4).
// Rows before a series' first observed target are left out. The model-specific minimum
// history (C.2.5) is checked by the caller, which knows the model. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/table.h"
#include "train/forecast_frequency.h"
#include "train/forecast_timestamp.h"

namespace traind::train {

// The job's forecasting fields (C.1) that data preparation reads.
struct ForecastDataSpec {
  std::string time_column;
  std::string target_column;
  std::string series_column;  // "" = the whole table is one series
  std::vector<std::string> feature_columns;
  std::optional<Frequency> frequency;  // nullopt = inferred (C.2.2)
  int64_t horizon = 1;                 // >= 1
};

// One series on its regular grid. Features are indexed [feature][period], in the order of
// ForecastDataSpec::feature_columns.
struct PreparedSeries {
  std::string name;                 // the series column's value as text; "" without one
  std::vector<int64_t> timestamps;  // epoch seconds (UTC), first to last observed target
  std::vector<double> y;            // NaN at grid points with no observed target
  // NaN only where y is NaN (a grid point without a row, or a row with a null target and a
  // null feature): ARIMA skips those points, Prophet has no row there.
  std::vector<std::vector<double>> features;
  std::vector<int64_t> future_timestamps;  // the `horizon` periods after the last timestamp
  // [feature][horizon step], every value present; empty when there are no feature columns.
  std::vector<std::vector<double>> future_features;

  // Grid points with an observed target.
  size_t observed_count() const;
};

struct PreparedForecastData {
  Frequency frequency;
  bool frequency_inferred = false;
  // Every timestamp is a midnight on a daily-or-longer grid: show them as 'YYYY-MM-DD'.
  bool dates_only = false;
  std::vector<std::string> feature_names;
  // Ordered by series value (numerically for a numeric series column).
  std::vector<PreparedSeries> series;

  std::string format(int64_t timestamp) const { return format_timestamp(timestamp, dates_only); }
};

// kInvalidConfig (with the field's JSON Pointer as detail path) for a column that does not
// exist, is named twice, or cannot hold times, and for horizon < 1; kDataError naming the
// column, series and timestamp (or row, counted from 1) for values that do not fit.
Result<PreparedForecastData> prepare_forecast_data(const data::Table& table,
                                                   const ForecastDataSpec& spec);

// How messages name a series: "series 'store_1'" ("the series" for a table without a
// series column).
std::string series_label(const std::string& series_column, const std::string& name);

}  // namespace traind::train
