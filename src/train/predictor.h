// Predictor: a saved model bundle loaded back for /predict.
//
// Applies the same preprocessing as training to raw rows given as JSON objects (column
// name -> value as in the source table) and answers API.md's prediction items.
// Loaded once, then thread-safe for concurrent predict calls.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind::train {

class Predictor {
 public:
  virtual ~Predictor() = default;
  // body: {"rows": [{...}, ...]}. Answer: {"predictions": [...]} with, per row,
  // classification {"label": "1", "probabilities": {"0": 0.12, "1": 0.88}} or
  // regression {"value": 12.3}. A missing feature or wrong type: kInvalidConfig with the
  // row's JSON Pointer (e.g. /rows/3/tenure).
  virtual Result<nlohmann::json> predict(const nlohmann::json& body) const = 0;
  // The input columns and their types, as model metadata shows them.
  virtual const nlohmann::json& feature_schema() const = 0;
};

Result<std::unique_ptr<Predictor>> load_predictor(const std::string& model_dir);

}  // namespace traind::train
