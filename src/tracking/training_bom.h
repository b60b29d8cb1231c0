// The Training BOM (Bill of Materials) of seed 004: what a training run used and produced,
// field for field the Python model aissemble_core_bom.training_bom.TrainingBOM, and written
// as pydantic v2's model_dump_json would write it.
// Thread-compatible: a TrainingBom is a value.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::tracking {

struct TrainingBom {
  struct DatasetInfo {
    std::string origin;
    int64_t size = 0;
  };
  struct FeatureInfo {
    std::vector<std::string> original_features;
    std::vector<std::string> selected_features;
  };
  struct ModelInfo {
    std::string type;
    std::string architecture;
  };

  std::string id;
  std::string start_time;
  std::string end_time;
  DatasetInfo dataset_info;
  FeatureInfo feature_info;
  ModelInfo model_info;
  nlohmann::ordered_json mlflow_params = nlohmann::ordered_json::object();   // values: any JSON
  nlohmann::ordered_json mlflow_metrics = nlohmann::ordered_json::object();  // values: any JSON

  // The model's fields in the seed's order (pydantic's model_dump).
  nlohmann::ordered_json to_json() const;
  // model_dump_json(indent=...): compact when indent < 0.
  std::string dump(int indent = -1) const;

  // What TrainingBOM.model_validate would accept, in pydantic's strict terms: required
  // fields present, strings are strings, size an integer, feature lists arrays of strings,
  // the two mlflow dicts objects; missing defaults filled; unknown fields ignored. Refusals
  // are kInvalidConfig with one detail per problem (JSON Pointer path, pydantic's wording).
  // The ordered_json overload keeps the order of the mlflow dicts as given.
  static Result<TrainingBom> from_json(const nlohmann::json& value);
  static Result<TrainingBom> from_json(const nlohmann::ordered_json& value);
};

// TrainingBOM.model_json_schema() of pydantic v2 (draft 2020-12, "$defs" for the nested
// models, titles, defaults and the class docstrings as descriptions).
const nlohmann::json& training_bom_schema();

}  // namespace traind::tracking
