// The /predict side of forecasting models: a saved model.forecast.json bundle loaded back.
//
// Body {"horizon": N} forecasts N periods after each series' history ({"series": name or
// [names]} picks some of a panel's series). A model with feature columns needs their future
// values: {"rows": [{"promo": 1}, ...]} with N rows (per series, in the order of "series",
// when more than one is forecast). Answer {"predictions": [{"series", "ds", "yhat",
// "yhat_lower", "yhat_upper"}, ...]}.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "train/predictor.h"

namespace traind::train {

// model_dir holds model.forecast.json and model_meta.json (task "forecasting").
Result<std::unique_ptr<Predictor>> load_forecast_predictor(const std::string& model_dir);

}  // namespace traind::train
