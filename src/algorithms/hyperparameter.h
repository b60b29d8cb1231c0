// HyperParameter and AlgorithmSpec: each algorithm's parameters declared once.
//
// The JSON Schema served at /api/v1/ml/schema, the /api/v1/ml/algorithms answer, the
// validation of a submitted configuration and the defaults filled into the resolved
// configuration are all generated from these declarations (see train/config_schema.h).
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::algorithms {

class Trainer;
class Model;
class FittedForecaster;
struct ForecastSeries;
struct ForecastOptions;

// kNumberOrString: a number within the bounds, or one of `choices` (scikit-learn's
// max_features="sqrt" | 0.5 | 3). Integer or fraction is the
// adapter's to tell apart by the JSON type, as scikit-learn does by the Python type.
enum class ParamType { kInteger, kNumber, kBoolean, kString, kIntegerArray, kNumberOrString };

struct HyperParameter {
  std::string name;  // canonical name, what the resolved config shows
  ParamType type = ParamType::kNumber;
  nlohmann::json default_value;   // null: optional with no default
  std::optional<double> minimum;  // numeric bounds (inclusive unless exclusive_*)
  std::optional<double> maximum;
  bool exclusive_minimum = false;
  bool exclusive_maximum = false;
  std::vector<std::string> choices;  // allowed values of a string parameter
  std::string help;
  std::vector<std::string> aliases;  // the library's own names and common alternatives
  // kNumberOrString only: true and false are values too (Prophet's seasonality switches:
  // "auto", true, false or a Fourier order).
  bool accepts_boolean = false;
};

struct AlgorithmSpec {
  std::string name;                  // binding name from API.md, e.g. "xgboost"
  std::vector<std::string> aliases;  // e.g. "xgb"
  std::vector<std::string> tasks;    // "classification", "regression", ...
  std::string library;               // e.g. "libxgboost 1.7.4"
  std::string model_format;          // e.g. "xgboost-json"
  std::string description;
  std::vector<HyperParameter> hyperparameters;
  // What the pipeline must do before handing data over: impute NaNs when the library
  // cannot route missing values itself, standardise numeric features when its solver or
  // regularisation depends on scale.
  bool handles_missing = false;
  bool wants_standardized = false;
  // Splits on categories itself: categorical columns arrive as one code feature each
  // (Dataset::categorical_features) instead of one-hot features.
  bool native_categorical = false;
  // Decides native_categorical per configuration instead (the network's
  // categorical_encoding "embedding"); `resolved` as in check_for_task. Optional.
  std::function<bool(const nlohmann::json& resolved)> native_categorical_when;
  // Reads free-text columns itself (Matrix::texts); for the others the pipeline leaves
  // text columns out, with a warning.
  bool reads_text = false;
  // Checks that depend on the task or on several parameters together, run when a
  // configuration is validated so that they answer 400 with the parameter's path instead
  // of failing the job later. `resolved` has canonical names and defaults (nulls = unset).
  // Optional; paths are "/hyperparameters/<name>".
  std::function<std::vector<ErrorDetail>(const std::string& task, const nlohmann::json& resolved)>
      check_for_task;
  // Tabular algorithms (classification, regression): make_trainer and load_model.
  std::function<std::unique_ptr<Trainer>()> make_trainer;
  // Loads a model that Model::save wrote into `dir`; `meta` is what Model::metadata gave.
  std::function<Result<std::unique_ptr<Model>>(const std::string& dir, const nlohmann::json& meta)>
      load_model;
  // Forecasting algorithms (forecaster.h): fit one series, or load what to_json wrote.
  std::function<Result<std::unique_ptr<FittedForecaster>>(const ForecastSeries&,
                                                          const ForecastOptions&)>
      fit_forecaster;
  std::function<Result<std::unique_ptr<FittedForecaster>>(const std::string& json_text,
                                                          const ForecastOptions&)>
      load_forecaster;

  bool supports(const std::string& task) const;
  // native_categorical, or native_categorical_when(resolved) when given.
  bool categorical_codes_for(const nlohmann::json& resolved) const;
};

}  // namespace traind::algorithms
