// Time-ordered hold-out per series and its sample counts.
#include "train/forecast_split.h"

#include <cmath>

namespace traind::train {

Result<ForecastTestSize> forecast_test_size(double value) {
  ForecastTestSize size;
  if (value > 0.0 && value < 1.0) {
    size.fraction = value;
    return size;
  }
  // 2^53: beyond it a double no longer tells whole numbers apart.
  if (value >= 1.0 && value <= 9007199254740992.0 && std::floor(value) == value) {
    size.periods = static_cast<int64_t>(value);
    return size;
  }
  const std::string message =
      "split.test_size must be a fraction between 0 and 1 or a whole number of periods >= 1";
  return Status(ErrorCode::kInvalidConfig, message, {{"/split/test_size", message}});
}

Result<SeriesHoldout> split_series_holdout(const std::vector<double>& y,
                                           const ForecastTestSize& test_size,
                                           const std::string& series_label) {
  const size_t n = y.size();
  const double wanted = test_size.periods ? static_cast<double>(*test_size.periods)
                                          : std::ceil(test_size.fraction * static_cast<double>(n));
  if (wanted >= static_cast<double>(n)) {
    return Status(ErrorCode::kDataError,
                  series_label + " has " + std::to_string(n) + " periods, so a hold-out of " +
                      std::to_string(static_cast<int64_t>(wanted)) +
                      " would leave no training part; lower split.test_size");
  }
  SeriesHoldout holdout;
  holdout.test_periods = static_cast<size_t>(wanted);
  holdout.train_periods = n - holdout.test_periods;
  for (size_t t = 0; t < n; ++t) {
    if (std::isnan(y[t])) continue;
    ++(t < holdout.train_periods ? holdout.train_samples : holdout.test_samples);
  }
  if (holdout.train_samples == 0 || holdout.test_samples == 0) {
    return Status(ErrorCode::kDataError,
                  series_label + " has no observed target in its " +
                      (holdout.train_samples == 0 ? "training part" : "hold-out") + " (the last " +
                      std::to_string(holdout.test_periods) + " of " + std::to_string(n) +
                      " periods are held out); change split.test_size");
  }
  return holdout;
}

nlohmann::json forecast_sample_counts(const std::vector<SeriesHoldout>& holdouts) {
  size_t train = 0, test = 0;
  for (const SeriesHoldout& h : holdouts) {
    train += h.train_samples;
    test += h.test_samples;
  }
  return {{"total_samples", train + test},
          {"train_samples", train},
          {"test_samples", test},
          {"n_series", holdouts.size()}};
}

}  // namespace traind::train
