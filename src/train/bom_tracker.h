// BomTracker: fills a job's Training BOM while the pipeline runs, step by step as the
// seed's TrainingWorkflowTracker does (dataset, features, model, params, metrics), and
// sends it to the server after every step as a {"type":"bom","bom":{...}} event, so that a
// job that fails or is stopped still carries what was known.
//
// Params are strings, as an MLflow client would have logged them, and include the names
// the seed's create_training_bom_from_mlflow reads back (dataset_path, dataset_size,
// original_features, selected_features, model_type, model_architecture): a BOM made from
// the job's run says the same as this one.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/table.h"
#include "tracking/training_bom_builder.h"
#include "train/pipeline.h"

namespace traind::train {

class BomTracker {
 public:
  BomTracker(const nlohmann::json& resolved_config, const PipelineEnv& env);

  // The library that trains, every resolved hyperparameter and the split settings.
  void settings(const std::string& library, const nlohmann::json& hyperparameters,
                const nlohmann::json& split);
  // Rows read and their hash (data_hash).
  void data_loaded(const data::Table& table);
  void features(const std::vector<std::string>& original, const std::vector<std::string>& selected);
  void model(const std::string& type, const std::string& architecture);
  // The job's metrics, flattened to numbers.
  void metrics(const nlohmann::json& metrics);

  // The BOM so far, as the job result's "training_bom" (the server sets id and times).
  nlohmann::json to_json() const;

 private:
  void log_param(const std::string& key, const std::string& value);
  void send() const;

  const PipelineEnv& env_;
  tracking::TrainingBomBuilder builder_;
};

}  // namespace traind::train
