// Gradient-boosted decision trees with LightGBM's semantics (v4.6): parameters by LightGBM's
// names and aliases, histogram-based leaf-wise growth, and models in LightGBM's text format
// (`version=v4`) that a LightGBM installation loads and predicts identically.
//
// The behaviour this engine must match is written down in the project's tree-engine
// specification (LightGBM 4.6.0). Threads: a GbdtModel is immutable and may be shared;
// train_gbdt uses config.num_threads threads and returns the same model for any value.
#pragma once

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

// Parameters as a LightGBM user writes them: (name, value text) pairs, aliases allowed.
using GbdtParameterList = std::vector<std::pair<std::string, std::string>>;

// Every parameter the engine understands, by LightGBM's canonical name, after aliases and
// the derived defaults (seed derivation, max_depth → num_leaves, …) were applied.
struct GbdtConfig {
  std::string objective = "regression";  // regression | regression_l1 | huber | binary | multiclass
  std::string boosting = "gbdt";
  std::string data_sample_strategy = "bagging";
  int num_iterations = 100;
  double learning_rate = 0.1;
  int num_leaves = 31;
  int max_depth = -1;
  int min_data_in_leaf = 20;
  double min_sum_hessian_in_leaf = 1e-3;
  double lambda_l1 = 0.0;
  double lambda_l2 = 0.0;
  double min_gain_to_split = 0.0;
  double max_delta_step = 0.0;
  double feature_fraction = 1.0;
  double bagging_fraction = 1.0;
  int bagging_freq = 0;
  int max_bin = 255;
  int min_data_in_bin = 3;
  int bin_construct_sample_cnt = 200000;
  bool feature_pre_filter = true;
  int early_stopping_round = 0;
  double early_stopping_min_delta = 0.0;
  bool first_metric_only = false;
  std::optional<int> seed;
  int data_random_seed = 1;
  int bagging_seed = 3;
  int drop_seed = 4;
  int feature_fraction_seed = 2;
  int objective_seed = 5;
  int extra_seed = 6;
  int num_threads = 0;  // 0 = all cores
  int num_class = 1;
  bool is_unbalance = false;
  double scale_pos_weight = 1.0;
  double sigmoid = 1.0;
  double alpha = 0.9;
  bool boost_from_average = true;
  std::vector<int> categorical_feature;
  int max_cat_to_onehot = 4;
  int max_cat_threshold = 32;
  double cat_smooth = 10.0;
  double cat_l2 = 10.0;
  int min_data_per_group = 100;
  bool use_missing = true;
  bool zero_as_missing = false;
  // Accepted and recorded, never change results: traind is always deterministic.
  bool deterministic = false;
  bool force_col_wise = false;
  bool force_row_wise = false;
  bool enable_bundle = true;
  int verbosity = 1;
};

// Resolves LightGBM-style parameters. Unknown names and duplicate aliases add a warning and
// never fail; a value of the wrong type or out of range is an error naming the parameter.
Result<GbdtConfig> parse_gbdt_config(const GbdtParameterList& parameters,
                                     std::vector<std::string>* warnings);

// One data set: features plus float32 labels (as LightGBM holds them) and optional weights.
struct GbdtDataset {
  FeatureMatrix features;
  std::span<const float> labels;
  std::span<const float> weights;  // empty = every row weighs 1
};

// What the engine reports after each boosting iteration.
struct GbdtIterationReport {
  int iteration = 0;  // iterations completed so far (1-based)
  int num_iterations = 0;
  std::string metric_name;                  // the objective's default metric, e.g. "binary_logloss"
  std::optional<double> validation_metric;  // on the validation set, when one was given
  int best_iteration = 0;                   // 0 while early stopping is off
};
// Returns false to stop training after this iteration (the job was cancelled).
using GbdtIterationCallback = std::function<bool(const GbdtIterationReport&)>;

namespace detail {
struct GbdtModelData;
}

enum class GbdtImportanceType { kSplit, kGain };

// A trained or loaded model. Cheap to copy (shares its immutable trees).
class GbdtModel {
 public:
  // Reads LightGBM's text model format: files LightGBM wrote and files this engine wrote.
  static Result<GbdtModel> from_text(std::string_view text);
  // LightGBM's text model format, byte-stable: from_text(m.to_text()).to_text() == m.to_text().
  std::string to_text() const;

  int num_features() const;
  const std::vector<std::string>& feature_names() const;
  int num_class() const;               // 1 for regression and binary
  int num_tree_per_iteration() const;  // = num_class
  int num_iterations() const;          // iterations held by the model
  int best_iteration() const;          // 0 unless early stopping chose one
  std::string_view objective() const;  // as in the file, e.g. "binary sigmoid:1"

  // Raw scores, row-major [row][class]; out.size() == num_rows * num_tree_per_iteration.
  // num_iterations < 0 uses every iteration in the model.
  void predict_raw(const FeatureMatrix& x, std::span<double> out, int num_iterations = -1) const;
  // Scores after the objective's transform (probabilities for binary and multiclass).
  void predict(const FeatureMatrix& x, std::span<double> out, int num_iterations = -1) const;
  // One value per feature: split counts or summed split gains (float gains summed in double).
  std::vector<double> feature_importance(GbdtImportanceType type, int num_iterations = -1) const;

  explicit GbdtModel(std::shared_ptr<const detail::GbdtModelData> data);
  const detail::GbdtModelData& data() const { return *data_; }

 private:
  std::shared_ptr<const detail::GbdtModelData> data_;
};

// Trains on `train`; `validation` (may be null) drives the reported metric and early
// stopping. Feature names default to f0, f1, … when `feature_names` is empty.
Result<GbdtModel> train_gbdt(const GbdtConfig& config, const GbdtDataset& train,
                             const GbdtDataset* validation,
                             const std::vector<std::string>& feature_names = {},
                             const GbdtIterationCallback& on_iteration = {});

}  // namespace traind::engines::trees
