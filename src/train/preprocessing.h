// Preprocessor: raw feature columns -> the numeric matrix a trainer sees.
//
// Fitted on the training rows only (medians, means, standard deviations, category lists)
// and then applied unchanged to the test rows and, after a round trip through
// preprocess.json, to the rows /predict receives. Training and prediction run this same
// code, so a model sees identical numbers for identical inputs.
// Encoding per column type:
//   numeric, boolean   one feature ("tenure")
//   datetime           four: "<col>.days_since_epoch", ".year", ".month", ".day_of_week"
//   text               nothing in the matrix: with keep_text, the raw strings ride in
//                      Matrix::texts ("" when missing) for algorithms that tokenise them
//   categorical        one-hot "<col>=<value>" for the 50 most frequent training values
//                      (frequency, then name), "<col>=__other__" when there were more,
//                      "<col>=__missing__" when imputing and training had missing values;
//                      or, for algorithms that split on categories natively, one feature
//                      "<col>" holding the category's code: its index among the 1000 most
//                      frequent training values, then one code for all others; missing
//                      and unseen values are NaN
// Missing values: kept as NaN when the algorithm routes them itself; otherwise numeric
// features take the training median and categoricals the __missing__ indicator. Unseen
// categories go to __other__ (or all zeros). Thread-safe after construction.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "core/status.h"
#include "data/table.h"
#include "train/column_types.h"

namespace traind::train {

constexpr size_t kMaxOneHotCategories = 50;
constexpr size_t kMaxCategoryCodes = 1000;
constexpr const char* kOtherCategory = "__other__";
constexpr const char* kMissingCategory = "__missing__";

struct PreprocessOptions {
  bool impute_missing = false;     // the algorithm cannot route NaN itself
  bool standardize = false;        // scale numeric features to mean 0, std 1
  bool categorical_codes = false;  // categoricals as one code feature, not one-hot
  bool keep_text = false;          // free text passed through (Matrix::texts), not dropped
};

// A feature column to encode and the type inferred for it.
struct FeatureColumn {
  std::string name;
  ColumnType type = ColumnType::kNumeric;
};

// One numeric-valued encoded feature: NaN -> fill (when fill is not NaN), then
// (v - mean) / scale.
struct NumericScaling {
  double fill;
  double mean = 0;
  double scale = 1;
};

// How one input column turns into encoded features.
struct ColumnEncoding {
  std::string name;
  ColumnType type = ColumnType::kNumeric;
  data::StorageType storage = data::StorageType::kNumber;  // as the source delivered it
  std::vector<NumericScaling> scalings;  // numeric/boolean: 1; datetime: 4; categorical: 0
  std::vector<std::string> categories;   // categorical, in one-hot column order
  bool has_other = false;
  bool has_missing_indicator = false;
};

class Preprocessor {
 public:
  // Learns the encoding of `columns` from `rows` of `table` (the training part).
  // kDataError when a column is absent from the table or nothing is left to encode.
  static Result<Preprocessor> fit(const data::Table& table,
                                  const std::vector<FeatureColumn>& columns,
                                  const std::vector<size_t>& rows,
                                  const PreprocessOptions& options);
  static Result<Preprocessor> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Encodes `rows` of `table` (every encoded column must be present by name; its storage
  // may differ from training's, values are read as text or numbers accordingly).
  Result<algorithms::Matrix> transform(const data::Table& table,
                                       const std::vector<size_t>& rows) const;
  // All rows of `table`.
  Result<algorithms::Matrix> transform(const data::Table& table) const;

  const std::vector<ColumnEncoding>& columns() const { return columns_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  // For each encoded feature, the index in columns() of the input column it comes from.
  const std::vector<size_t>& feature_sources() const { return feature_sources_; }
  // Indices in columns() of the free-text columns, in Matrix::texts order (keep_text only).
  std::vector<size_t> text_columns() const;
  // feature_sources(), then text_columns(): the input column behind each value of
  // Model::feature_importance().
  std::vector<size_t> importance_sources() const;
  // Indices of the encoded features that hold category codes (categorical_codes only).
  std::vector<int> categorical_code_features() const;
  const PreprocessOptions& options() const { return options_; }

 private:
  void index_features();

  PreprocessOptions options_;
  std::vector<ColumnEncoding> columns_;
  std::vector<std::string> feature_names_;
  std::vector<size_t> feature_sources_;
};

}  // namespace traind::train
