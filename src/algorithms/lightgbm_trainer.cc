// The "lightgbm" algorithm: gradient-boosted trees of traind's own engine, with LightGBM's
// parameter names, aliases, defaults and model format (engines/trees/gbdt.h).
//
// Parameters are declared by LightGBM's canonical names; LightGBM's aliases and the
// scikit-learn-style names of LightGBM's Python API (n_estimators, reg_lambda, ...) are
// aliases. Null means "LightGBM's own rule" (num_leaves from max_depth, the objective
// from the task, the seeds LightGBM uses when none is given). Categorical columns arrive as
// category codes and are split natively (LightGBM's categorical_feature).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/column_major_matrix.h"
#include "algorithms/dataset_checks.h"
#include "algorithms/lightgbm_model.h"
#include "algorithms/permutation_importance.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"
#include "engines/trees/gbdt.h"

namespace traind::algorithms {
namespace {

namespace trees = engines::trees;

std::vector<HyperParameter> lightgbm_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "num_iterations",
       .type = ParamType::kInteger,
       .default_value = 100,
       .minimum = 1,
       .maximum = 100000,
       .help = "Number of boosting iterations (one tree per class each).",
       .aliases = {"n_estimators", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round",
                   "num_rounds", "nrounds", "num_boost_round", "max_iter"}});
  add({.name = "learning_rate",
       .type = ParamType::kNumber,
       .default_value = 0.1,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Shrinkage applied to each new tree.",
       .aliases = {"shrinkage_rate", "eta"}});
  add({.name = "num_leaves",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 2,
       .maximum = 131072,
       .help = "Maximum leaves per tree (leaf-wise growth). Null: 31, or min(31, 2^max_depth) "
               "when max_depth > 0, as LightGBM does.",
       .aliases = {"num_leaf", "max_leaves", "max_leaf", "max_leaf_nodes"}});
  add({.name = "max_depth",
       .type = ParamType::kInteger,
       .default_value = -1,
       .minimum = -1,
       .maximum = 1024,
       .help = "Maximum tree depth; -1 (or 0) means no limit."});
  add({.name = "min_data_in_leaf",
       .type = ParamType::kInteger,
       .default_value = 20,
       .minimum = 0,
       .help = "Minimum rows in a leaf (estimated from hessians, as LightGBM does).",
       .aliases = {"min_data_per_leaf", "min_data", "min_child_samples", "min_samples_leaf"}});
  add({.name = "min_sum_hessian_in_leaf",
       .type = ParamType::kNumber,
       .default_value = 1e-3,
       .minimum = 0.0,
       .help = "Minimum sum of hessians in a leaf.",
       .aliases = {"min_sum_hessian_per_leaf", "min_sum_hessian", "min_hessian",
                   "min_child_weight"}});
  add({.name = "lambda_l1",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "L1 regularisation of leaf values.",
       .aliases = {"reg_alpha", "l1_regularization"}});
  add({.name = "lambda_l2",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "L2 regularisation of leaf values.",
       .aliases = {"reg_lambda", "lambda", "l2_regularization"}});
  add({.name = "min_gain_to_split",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "Minimum gain of a split.",
       .aliases = {"min_split_gain"}});
  add({.name = "max_delta_step",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .help = "Clamp of leaf outputs before shrinkage; <= 0 means no limit.",
       .aliases = {"max_tree_output", "max_leaf_output"}});
  add({.name = "feature_fraction",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Share of features drawn for each tree.",
       .aliases = {"sub_feature", "colsample_bytree"}});
  add({.name = "bagging_fraction",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Share of rows drawn for each bag; active when bagging_freq > 0.",
       .aliases = {"sub_row", "subsample", "bagging"}});
  add({.name = "bagging_freq",
       .type = ParamType::kInteger,
       .default_value = 0,
       .minimum = 0,
       .help = "Draw a new bag every this many iterations; 0 turns bagging off.",
       .aliases = {"subsample_freq"}});
  add({.name = "max_bin",
       .type = ParamType::kInteger,
       .default_value = 255,
       .minimum = 2,
       .maximum = 65535,
       .help = "Maximum histogram bins per feature.",
       .aliases = {"max_bins"}});
  add({.name = "min_data_in_bin",
       .type = ParamType::kInteger,
       .default_value = 3,
       .minimum = 1,
       .help = "Minimum rows per histogram bin."});
  add({.name = "early_stopping_round",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 1,
       .help = "Stop when the validation metric has not improved for this many iterations and "
               "keep the best iteration; null turns early stopping off.",
       .aliases = {"early_stopping_rounds", "early_stopping", "n_iter_no_change"}});
  add({.name = "objective",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"regression", "regression_l2", "l2", "mse", "mean_squared_error", "rmse",
                   "regression_l1", "l1", "mae", "mean_absolute_error", "huber", "binary",
                   "multiclass", "softmax"},
       .help = "Null: binary or multiclass for classification, regression (L2) for regression. "
               "Regression may choose regression_l1 or huber.",
       .aliases = {"objective_type", "app", "application", "loss"}});
  add({.name = "alpha",
       .type = ParamType::kNumber,
       .default_value = 0.9,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Huber loss: the absolute residual beyond which the loss is linear."});
  add({.name = "is_unbalance",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Binary: weigh the minority class by the majority/minority ratio.",
       .aliases = {"unbalance", "unbalanced_sets"}});
  add({.name = "scale_pos_weight",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Binary: weight of the positive class."});
  add({.name = "boost_from_average",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Start from the average label (regression) or the log-odds of the class "
               "shares (classification)."});
  add({.name = "max_cat_to_onehot",
       .type = ParamType::kInteger,
       .default_value = 4,
       .minimum = 1,
       .help = "A categorical column with at most this many categories (counting the missing "
               "bin) is split one category against the rest."});
  add({.name = "max_cat_threshold",
       .type = ParamType::kInteger,
       .default_value = 32,
       .minimum = 1,
       .help = "Most categories on one side of a categorical split."});
  add({.name = "cat_smooth",
       .type = ParamType::kNumber,
       .default_value = 10.0,
       .minimum = 0.0,
       .help = "Smoothing of the category statistics that order categories for a split."});
  add({.name = "cat_l2",
       .type = ParamType::kNumber,
       .default_value = 10.0,
       .minimum = 0.0,
       .help = "L2 regularisation of categorical splits."});
  add({.name = "min_data_per_group",
       .type = ParamType::kInteger,
       .default_value = 100,
       .minimum = 1,
       .help = "Minimum rows per category group of a categorical split."});
  add({.name = "use_missing",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Learn where missing values go at each split; false reads them as 0."});
  add({.name = "zero_as_missing",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Treat zeros as missing values."});
  add({.name = "seed",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 0,
       .maximum = 2147483647,
       .help = "Derives the bagging, feature-sampling and binning seeds as LightGBM does; null "
               "keeps LightGBM's fixed defaults.",
       .aliases = {"random_seed", "random_state"}});
  add({.name = "importance_type",
       .type = ParamType::kString,
       .default_value = "split",
       .choices = {"split", "gain", "permutation"},
       .help = "Feature importance reported with the result: split counts, total gain, or the "
               "drop of test accuracy / R² when the feature is shuffled (5 repeats)."});
  return p;
}

// LightGBM's text form of a resolved value.
std::string value_text(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return fmt::format("{}", v.get<double>());
}

Result<std::string> objective_for(const nlohmann::json& given, const TrainOptions& options) {
  if (options.task == Task::kClassification) {
    const std::string wanted = options.num_classes == 2 ? "binary" : "multiclass";
    if (given.is_string()) {
      const std::string g = given.get<std::string>();
      const bool is_binary = g == "binary";
      const bool is_multi = g == "multiclass" || g == "softmax";
      if (!(is_binary && wanted == "binary") && !(is_multi && wanted == "multiclass")) {
        return Status(ErrorCode::kInvalidConfig,
                      fmt::format("lightgbm: objective '{}' does not fit a {}-class "
                                  "classification; use '{}' (or leave it null)",
                                  g, options.num_classes, wanted));
      }
    }
    return wanted;
  }
  if (!given.is_string()) return std::string("regression");
  const std::string g = given.get<std::string>();
  if (g == "binary" || g == "multiclass" || g == "softmax") {
    return Status(ErrorCode::kInvalidConfig,
                  "lightgbm: objective '" + g + "' is for classification; this is a regression");
  }
  return g;
}

// The objective against the task, at validation: a regression objective for a
// classification (or the reverse) is a 400. Whether a classification is binary or
// multiclass is known only from the data; objective_for checks that when training.
std::vector<ErrorDetail> check_for_task(const std::string& task, const nlohmann::json& resolved) {
  const nlohmann::json objective = resolved.value("objective", nlohmann::json());
  if (!objective.is_string()) return {};
  const std::string g = objective.get<std::string>();
  const bool classifying = g == "binary" || g == "multiclass" || g == "softmax";
  if (task == "classification" && !classifying) {
    return {{"/hyperparameters/objective",
             "'" + g +
                 "' is a regression objective; a classification takes 'binary' or "
                 "'multiclass' (or null to choose from the classes)"}};
  }
  if (task == "regression" && classifying) {
    return {
        {"/hyperparameters/objective", "'" + g + "' is for classification; this is a regression"}};
  }
  return {};
}

class LightgbmTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override {
    Result<nlohmann::json> resolved =
        resolve_hyperparameters(lightgbm_spec(), options.hyperparameters);
    if (!resolved) return resolved.status();
    const nlohmann::json& hp = *resolved;
    TRAIND_RETURN_IF_ERROR(
        check_training_data("lightgbm", train, valid, options, {.allow_missing = true}));
    if (!hp["early_stopping_round"].is_null() && valid == nullptr) {
      return Status(ErrorCode::kInvalidConfig,
                    "lightgbm: early_stopping_round needs a validation set");
    }
    auto objective = objective_for(hp["objective"], options);
    if (!objective) return objective.status();

    trees::GbdtParameterList params = {{"objective", *objective}};
    if (options.task == Task::kClassification && options.num_classes > 2) {
      params.emplace_back("num_class", std::to_string(options.num_classes));
    }
    for (const auto& [name, value] : hp.items()) {
      if (value.is_null() || name == "objective" || name == "importance_type") continue;
      params.emplace_back(name, value_text(value));
    }
    params.emplace_back("num_threads", std::to_string(std::max(options.threads, 1)));
    if (!train.categorical_features.empty()) {
      params.emplace_back("categorical_feature",
                          fmt::format("{}", fmt::join(train.categorical_features, ",")));
    }
    std::vector<std::string> warnings;
    auto config = trees::parse_gbdt_config(params, &warnings);
    if (!config) return config.status();

    const ColumnMajorMatrix train_x(train.x);
    const trees::GbdtDataset train_set{train_x.view(), train.y, {}};
    std::optional<ColumnMajorMatrix> valid_x;
    trees::GbdtDataset valid_set;
    if (valid != nullptr) {
      valid_x.emplace(valid->x);
      valid_set = {valid_x->view(), valid->y, {}};
    }
    const int total = config->num_iterations;
    auto on_iteration = [&options, total](const trees::GbdtIterationReport& r) {
      if (!options.on_iteration) return true;
      IterationReport report{.iteration = r.iteration, .total_iterations = total, .metrics = {}};
      if (r.validation_metric) report.metrics["valid_" + r.metric_name] = *r.validation_metric;
      return options.on_iteration(report);
    };
    auto model = trees::train_gbdt(*config, train_set, valid ? &valid_set : nullptr,
                                   train.feature_names, on_iteration);
    if (!model) return model.status();

    const std::string importance_type = hp["importance_type"].get<std::string>();
    std::vector<double> importance;
    std::string reported_type = importance_type;
    if (importance_type == "permutation" && valid != nullptr) {
      const LightgbmModel plain(*model, options.task, options.num_classes, {}, "");
      auto permuted = permutation_importance(
          plain, *valid, {.task = options.task, .repeats = 5, .seed = options.seed});
      if (!permuted) return permuted.status();
      importance = std::move(permuted).value();
      reported_type =
          options.task == Task::kClassification ? "permutation_accuracy" : "permutation_r2";
    } else {
      importance =
          model->feature_importance(importance_type == "gain" ? trees::GbdtImportanceType::kGain
                                                              : trees::GbdtImportanceType::kSplit);
      if (importance_type == "permutation") reported_type = "split";
    }
    return std::unique_ptr<Model>(
        std::make_unique<LightgbmModel>(std::move(model).value(), options.task, options.num_classes,
                                        std::move(importance), reported_type));
  }
};

}  // namespace

const AlgorithmSpec& lightgbm_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "lightgbm";
    s.aliases = {"lgbm", "lightgbm_classifier", "lightgbm_regressor", "lgbm_classifier",
                 "lgbm_regressor"};
    s.tasks = {"classification", "regression"};
    s.library = "traind trees engine (LightGBM 4.6 semantics)";
    s.model_format = "lightgbm-text";
    s.description =
        "Gradient-boosted decision trees with LightGBM's semantics: histogram bins, leaf-wise "
        "growth, learned missing-value directions. The model is LightGBM's text format.";
    s.hyperparameters = lightgbm_hyperparameters();
    s.handles_missing = true;
    s.wants_standardized = false;
    s.native_categorical = true;
    s.check_for_task = &check_for_task;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<LightgbmTrainer>();
    };
    s.load_model = &LightgbmModel::load;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
