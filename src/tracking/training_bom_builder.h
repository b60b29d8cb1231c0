// Ways to assemble a TrainingBom: step by step while a job trains (the seed's
// TrainingWorkflowTracker), or at once from a recorded run (the seed's
// create_training_bom_from_mlflow).
// Thread-compatible: one builder per job; guard it when several threads feed it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "tracking/run.h"
#include "tracking/training_bom.h"

namespace traind::tracking {

// A moment as Python's datetime.isoformat() writes an aware UTC datetime:
// "2026-11-23T17:40:15.123000+00:00", and "2026-11-23T17:40:15+00:00" when the
// microseconds are zero (isoformat drops a zero fraction).
std::string iso8601_utc(int64_t ms_since_epoch);

class TrainingBomBuilder {
 public:
  void start_training(std::string training_id, std::string start_time);
  void register_dataset(std::string origin, int64_t size);
  void register_features(std::vector<std::string> original_features,
                         std::vector<std::string> selected_features);
  void register_model(std::string type, std::string architecture);
  // A key logged again keeps its first place and takes the new value (a Python dict).
  void log_parameter(const std::string& key, nlohmann::ordered_json value);
  void log_metric(const std::string& key, double value);

  // The BOM when everything the model requires was registered; otherwise kInvalidConfig
  // naming what is missing (pydantic refuses None for the id, times and the three infos).
  Result<TrainingBom> finalize(std::string end_time) const;

  // The BOM of a job that stopped early: carries what was known and says "unknown" (empty
  // feature lists, size 0) for what was never registered.
  TrainingBom partial(std::string end_time) const;

 private:
  std::optional<std::string> training_id_;
  std::optional<std::string> start_time_;
  std::optional<TrainingBom::DatasetInfo> dataset_info_;
  std::optional<TrainingBom::FeatureInfo> feature_info_;
  std::optional<TrainingBom::ModelInfo> model_info_;
  nlohmann::ordered_json mlflow_params_ = nlohmann::ordered_json::object();
  nlohmann::ordered_json mlflow_metrics_ = nlohmann::ordered_json::object();
};

// create_training_bom_from_mlflow: id "mlflow-<run_id>", the times as str() of the
// millisecond integers ("None" for a run that has not ended), dataset/model/features from
// the params dataset_path, dataset_size, original_features, selected_features, model_type
// and model_architecture, every param (as strings) and the latest metric values. Fails
// (kInvalidConfig) when dataset_size is not what Python's int() accepts.
Result<TrainingBom> bom_from_run(const Run& run);

}  // namespace traind::tracking
