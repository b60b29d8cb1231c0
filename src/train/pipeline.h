// The training pipeline: resolved configuration in, trained model and results out.
//
// load (SQL) -> type inference -> missing values -> encoding -> split -> train -> evaluate
// -> save. Runs inside a worker process; reports progress through `emit` and returns the
// result object of API.md (metrics, feature_importance, training_duration_seconds,
// timings, data_summary, ...). Errors come back as a Status with a job-level code
// (kDataError, kDatasetTooLarge, kTimeout, kTrainingError, kOutOfMemory, kCancelled).
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/sql_source.h"

namespace traind::train {

struct PipelineEnv {
  std::vector<data::AttachedDatabase> databases;  // the tenant's data
  data::QueryLimits limits;                       // query deadline and dataset-size limit
  int threads = 1;                                // library thread count
  std::string model_dir;                          // where the model bundle is written
  // Receives events: {"type":"progress","phase":...,"percent":...,"iteration":...,
  // "total_iterations":...,"metrics":{...},"eta_seconds":...} and {"type":"log",...}.
  std::function<void(const nlohmann::json&)> emit;
  const std::atomic<bool>* stop_requested = nullptr;  // set on SIGTERM: stop soon, kCancelled
};

// Model bundle written into model_dir:
//   <native artifact>   e.g. model.json (XGBoost JSON), model.liblinear, model.eigen.json
//   preprocess.json     feature schema, encodings, classes: everything /predict needs
//   model_meta.json     algorithm, task, artifact file, format, Model::metadata()
// The returned result carries "model": {"algorithm", "format", "file", "size_bytes",
// "sha256", "feature_schema"} so the service can register the artifact.
Result<nlohmann::json> run_training(const nlohmann::json& resolved_config, const PipelineEnv& env);

}  // namespace traind::train
