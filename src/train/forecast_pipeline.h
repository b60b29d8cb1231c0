// The forecasting pipeline (spec timeseries.md §C): load -> one regular series per value of
// the series column -> per series, a model fitted on the training part forecasts the
// hold-out (the metrics come from it) and a model refitted on the whole history is the
// artifact, with its in-sample fit and the `horizon` future periods -> save.
//
// Series are fitted in parallel within the job's threads. The result adds to the tabular
// pipeline's fields: `forecast` (per series: history, hold-out and horizon, each with ds,
// yhat and interval bounds), `series_metrics` (with a series column) and, inside `model`,
// each series' fitted parameters. The bundle holds model.forecast.json (every series'
// engine artifact) and model_meta.json.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "train/pipeline.h"

namespace traind::train {

// The bundle's artifact file and its format name.
constexpr const char* kForecastArtifactFile = "model.forecast.json";
constexpr const char* kForecastBundleFormat = "traind.forecast/1";

// run_training's path for "task_type": "forecasting" (same contract as run_training).
Result<nlohmann::json> run_forecasting(const nlohmann::json& resolved_config,
                                       const PipelineEnv& env);

}  // namespace traind::train
