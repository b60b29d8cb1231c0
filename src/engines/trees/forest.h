// Random forests with scikit-learn 1.2 semantics (RandomForestClassifier / RandomForestRegressor).
//
// Parameters carry scikit-learn's names and defaults; training follows its fit algorithm
// (float32 features, bootstrap as sample weights, exact best splits over max_features
// candidates). Random streams are traind's own, so forests match scikit-learn in distribution;
// single trees without randomness match exactly. The model is saved as `.rf.json`
// (docs/forest_model_format.md).
//
// Thread safety: a ForestModel is immutable after training or loading; its const methods may
// be called from many threads. train_forest uses `n_jobs` threads internally; the model it
// returns does not depend on that number.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "engines/trees/feature_matrix.h"

namespace traind::engines::trees {

enum class ForestTask { kClassification, kRegression };

// An integer count or a fraction of a total; scikit-learn tells them apart by the Python type
// (int vs float), so `1` and `1.0` mean different things.
struct CountOrFraction {
  bool is_fraction = false;
  double value = 0.0;
};

struct MaxFeatures {
  enum class Kind { kSqrt, kLog2, kAll, kCount, kFraction, kAuto };
  Kind kind = Kind::kSqrt;
  double value = 0.0;  // kCount / kFraction only
};

struct ClassWeight {
  enum class Kind { kNone, kBalanced, kBalancedSubsample, kDict };
  Kind kind = Kind::kNone;
  std::vector<std::pair<double, double>> weights;  // kDict: (class label, weight)
};

// The scikit-learn 1.2 constructor parameters. Defaults depend on the task: use
// ForestConfig::defaults(task), or parse_forest_config.
struct ForestConfig {
  ForestTask task = ForestTask::kClassification;
  int n_estimators = 100;
  std::string criterion = "gini";  // clf: gini|entropy|log_loss; reg: squared_error|
                                   // friedman_mse|absolute_error|poisson
  std::optional<int> max_depth;    // none = unlimited
  CountOrFraction min_samples_split{false, 2.0};
  CountOrFraction min_samples_leaf{false, 1.0};
  double min_weight_fraction_leaf = 0.0;
  MaxFeatures max_features;  // clf "sqrt", reg 1.0
  std::optional<int> max_leaf_nodes;
  double min_impurity_decrease = 0.0;
  bool bootstrap = true;
  bool oob_score = false;
  int n_jobs = 1;                              // -1 = all cores; results never depend on it
  std::optional<int64_t> random_state;         // none = drawn from entropy (recorded in the model)
  ClassWeight class_weight;                    // classification only
  std::optional<CountOrFraction> max_samples;  // none = n rows
  double ccp_alpha = 0.0;
  // Not a scikit-learn parameter: names written into the artifact (default f0, f1, ...).
  std::vector<std::string> feature_names;

  static ForestConfig defaults(ForestTask task);

  // Sets one parameter from its JSON value text (e.g. name "max_features", value "\"sqrt\"").
  // The error names the parameter and says which values are allowed.
  Status set(std::string_view name, std::string_view json_value);
};

// Parses a JSON object of scikit-learn parameters over the task's defaults. Unknown names
// and invalid values are kInvalidConfig errors (scikit-learn raises on both).
Result<ForestConfig> parse_forest_config(ForestTask task, std::string_view json_object);

namespace detail {
struct ForestModelData;
}

class ForestModel {
 public:
  ForestModel() = default;

  ForestTask task() const;
  int n_features() const;
  int num_trees() const;
  const std::vector<double>& classes() const;  // sorted labels; empty for regression
  const std::vector<std::string>& feature_names() const;

  // Class label (classification) or mean value (regression) per row. NaN/inf is an error.
  Result<std::vector<double>> predict(const FeatureMatrix& x) const;
  // Row-major num_rows x classes().size() mean of the trees' leaf class distributions.
  Result<std::vector<double>> predict_proba(const FeatureMatrix& x) const;

  // Mean decrease in impurity, normalised to sum 1 (all zero if no tree split).
  const std::vector<double>& feature_importances() const;
  // Accuracy (classification) or R² (regression) of the out-of-bag predictions; set when
  // trained with oob_score=true (and kept through to_json/from_json).
  std::optional<double> oob_score() const;
  // scikit-learn's oob_decision_function_ (row-major num_rows x num_classes) or
  // oob_prediction_ (num_rows); only right after training with oob_score=true.
  const std::vector<double>& oob_decision() const;

  // scikit-learn's warnings for this training run (deprecated "auto", rows never out of
  // bag); only right after training.
  const std::vector<std::string>& warnings() const;

  // The .rf.json artifact (deterministic, 17 significant digits).
  std::string to_json() const;
  static Result<ForestModel> from_json(std::string_view text);

  // The engine's internal representation (trees, resolved parameters); for the engine's own
  // code and tests.
  const detail::ForestModelData& data() const { return *data_; }
  explicit ForestModel(std::shared_ptr<const detail::ForestModelData> data)
      : data_(std::move(data)) {}

 private:
  std::shared_ptr<const detail::ForestModelData> data_;
};

// What the progress callback sees after each finished tree.
struct ForestProgressReport {
  int trees_done = 0;
  int n_estimators = 0;
  // With a validation matrix: the forest-so-far's output on its rows (the mean over the
  // finished trees), row-major, one column per class (probabilities, classes() order) or
  // one value per row for regression. Trees finish in parallel, so which trees are in the
  // mean depends on timing; the final forest does not. Empty without validation rows.
  std::span<const double> validation_output;
};

// Called after each finished tree, serialised; return false to cancel training
// (train_forest then returns kCancelled).
using ForestProgress = std::function<bool(const ForestProgressReport&)>;

// Trains a forest. `labels` has x.num_rows entries (class labels of any numeric value, or
// regression targets); `sample_weights` is empty or has x.num_rows non-negative entries.
// `validation` (optional, same columns as x) is only predicted, for the progress reports.
Result<ForestModel> train_forest(const ForestConfig& config, const FeatureMatrix& x,
                                 std::span<const double> labels,
                                 std::span<const double> sample_weights = {},
                                 const ForestProgress& progress = {},
                                 const FeatureMatrix* validation = nullptr);

}  // namespace traind::engines::trees
