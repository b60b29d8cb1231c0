// The "random_forest" algorithm: random forests of traind's own engine with scikit-learn's
// RandomForestClassifier / RandomForestRegressor parameters, defaults and semantics
// (engines/trees/forest.h).
//
// Null means scikit-learn's default for the task (criterion gini / squared_error,
// max_features "sqrt" / 1.0). random_state null uses the job's seed, so a job is repeatable.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/column_major_matrix.h"
#include "algorithms/dataset_checks.h"
#include "algorithms/permutation_importance.h"
#include "algorithms/random_forest_model.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"
#include "engines/trees/forest.h"

namespace traind::algorithms {
namespace {

namespace trees = engines::trees;

// min_samples_split, min_samples_leaf and max_samples are plain numbers: an integer JSON value
// is a count and a float a fraction, as scikit-learn tells int from float (kNumber keeps the
// JSON type). Only max_features also takes names.
std::vector<HyperParameter> random_forest_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "n_estimators",
       .type = ParamType::kInteger,
       .default_value = 100,
       .minimum = 1,
       .maximum = 100000,
       .help = "Number of trees.",
       .aliases = {"num_trees", "n_trees"}});
  add({.name = "criterion",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"gini", "entropy", "log_loss", "squared_error", "friedman_mse", "absolute_error",
                   "poisson"},
       .help = "Split quality. Null: gini (classification) or squared_error (regression)."});
  add({.name = "max_depth",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 1,
       .help = "Maximum tree depth; null grows until leaves are pure or too small."});
  add({.name = "min_samples_split",
       .type = ParamType::kNumber,
       .default_value = 2,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Minimum rows to split a node: an integer >= 2, or a fraction in (0, 1] of the "
               "rows."});
  add({.name = "min_samples_leaf",
       .type = ParamType::kNumber,
       .default_value = 1,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Minimum rows in a leaf: an integer >= 1, or a fraction in (0, 1) of the rows."});
  add({.name = "min_weight_fraction_leaf",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .maximum = 0.5,
       .help = "Minimum share of the total sample weight in a leaf."});
  add({.name = "max_features",
       .type = ParamType::kNumberOrString,
       .default_value = nullptr,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .choices = {"sqrt", "log2", "auto"},
       .help = "Features considered per split: \"sqrt\", \"log2\", an integer count or a fraction "
               "in (0, 1]. Null: \"sqrt\" (classification) or 1.0 (regression)."});
  add({.name = "max_leaf_nodes",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 2,
       .help = "Grow best-first up to this many leaves; null grows depth-first without limit."});
  add({.name = "min_impurity_decrease",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "Split only when the weighted impurity decrease is at least this."});
  add({.name = "bootstrap",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Train each tree on a bootstrap sample of the rows."});
  add({.name = "oob_score",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Score the forest on the out-of-bag rows (accuracy or R²); needs bootstrap."});
  add({.name = "random_state",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 0,
       // scikit-learn (numpy's RandomState) takes seeds in [0, 2^32 - 1].
       .maximum = 4294967295.0,
       .help = "Seed of the bootstrap and feature draws; null uses the job's seed.",
       .aliases = {"seed", "random_seed"}});
  add({.name = "class_weight",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"balanced", "balanced_subsample"},
       .help = "Classification: weigh classes inversely to their frequency (over all rows, or "
               "per bootstrap sample); null weighs every row 1."});
  add({.name = "max_samples",
       .type = ParamType::kNumber,
       .default_value = nullptr,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Rows drawn per bootstrap: an integer count or a fraction in (0, 1]; null draws "
               "as many rows as there are."});
  add({.name = "ccp_alpha",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "Minimal cost-complexity pruning strength; 0 does not prune."});
  add({.name = "importance_type",
       .type = ParamType::kString,
       .default_value = "impurity",
       .choices = {"impurity", "permutation"},
       .help = "Feature importance reported with the result: mean decrease in impurity, or the "
               "drop of test accuracy / R² when the feature is shuffled (5 repeats)."});
  add({.name = "learning_rate",
       .type = ParamType::kNumber,
       .default_value = nullptr,
       .minimum = 0.0,
       .help = "Not used by random forests. Accepted, and ignored, so that a configuration "
               "written for a boosting algorithm runs unchanged."});
  return p;
}

// scikit-learn's constructor arguments: what was given, minus traind's own options.
nlohmann::json sklearn_arguments(const nlohmann::json& resolved) {
  nlohmann::json sklearn = nlohmann::json::object();
  for (const auto& [name, value] : resolved.items()) {
    if (value.is_null() || name == "importance_type" || name == "learning_rate") continue;
    sklearn[name] = value;
  }
  return sklearn;
}

// Each argument applied alone to scikit-learn's defaults for the task, so a problem names
// its parameter (e.g. criterion 'gini' or a class_weight for a regression).
std::vector<ErrorDetail> check_for_task(const std::string& task, const nlohmann::json& resolved) {
  std::vector<ErrorDetail> problems;
  const auto forest_task = task == "classification" ? trees::ForestTask::kClassification
                                                    : trees::ForestTask::kRegression;
  const nlohmann::json arguments = sklearn_arguments(resolved);
  for (const auto& [name, value] : arguments.items()) {
    trees::ForestConfig config = trees::ForestConfig::defaults(forest_task);
    const Status status = config.set(name, value.dump());
    if (!status.is_ok()) problems.push_back({"/hyperparameters/" + name, status.message()});
  }
  return problems;
}

// The forest's classes (sorted distinct training labels, as the engine orders its
// probability columns); empty for regression.
std::vector<double> forest_classes(const Dataset& train, bool classification) {
  if (!classification) return {};
  std::vector<double> classes(train.y.begin(), train.y.end());
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

// Progress metrics of the trees finished so far on the validation part: log-loss and
// accuracy (classification) or RMSE (regression), named like the boosting algorithms'.
std::map<std::string, double> validation_metrics(std::span<const double> output,
                                                 const std::vector<float>& y,
                                                 const std::vector<double>& classes) {
  const size_t n = y.size();
  if (classes.empty()) {
    double sse = 0.0;
    for (size_t i = 0; i < n; ++i) sse += (output[i] - y[i]) * (output[i] - y[i]);
    return {{"valid_rmse", std::sqrt(sse / static_cast<double>(n))}};
  }
  const size_t width = classes.size();
  double loss = 0.0;
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i) {
    const double* row = output.data() + i * width;
    const auto column = static_cast<size_t>(
        std::lower_bound(classes.begin(), classes.end(), static_cast<double>(y[i])) -
        classes.begin());
    // A class absent from the training part gets probability 0 (clipped like scikit-learn).
    const double p = column < width && classes[column] == y[i] ? row[column] : 0.0;
    loss -= std::log(std::clamp(p, 1e-15, 1.0));
    const size_t predicted = static_cast<size_t>(std::max_element(row, row + width) - row);
    if (column < width && predicted == column) ++correct;
  }
  return {{"valid_logloss", loss / static_cast<double>(n)},
          {"valid_accuracy", static_cast<double>(correct) / static_cast<double>(n)}};
}

class RandomForestTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override {
    Result<nlohmann::json> resolved =
        resolve_hyperparameters(random_forest_spec(), options.hyperparameters);
    if (!resolved) return resolved.status();
    const nlohmann::json& hp = *resolved;
    TRAIND_RETURN_IF_ERROR(
        check_training_data("random_forest", train, valid, options, {.allow_missing = false}));
    const bool classification = options.task == Task::kClassification;

    nlohmann::json sklearn = sklearn_arguments(hp);
    if (!sklearn.contains("random_state")) sklearn["random_state"] = options.seed % 2147483648ULL;
    sklearn["n_jobs"] = std::max(options.threads, 1);
    const auto task =
        classification ? trees::ForestTask::kClassification : trees::ForestTask::kRegression;
    auto config = trees::parse_forest_config(task, sklearn.dump());
    if (!config) return config.status();
    config->feature_names = train.feature_names;

    const ColumnMajorMatrix x(train.x);
    const std::vector<double> labels(train.y.begin(), train.y.end());
    std::optional<ColumnMajorMatrix> valid_x;
    if (valid != nullptr && valid->x.rows > 0) valid_x.emplace(valid->x);
    const trees::FeatureMatrix valid_view = valid_x ? valid_x->view() : trees::FeatureMatrix{};
    const std::vector<double> classes = forest_classes(train, classification);
    auto forest = trees::train_forest(
        *config, x.view(), labels, {},
        [&](const trees::ForestProgressReport& report) {
          if (!options.on_iteration) return true;
          IterationReport progress;
          progress.iteration = report.trees_done;
          progress.total_iterations = report.n_estimators;
          if (!report.validation_output.empty()) {
            progress.metrics = validation_metrics(report.validation_output, valid->y, classes);
          }
          return options.on_iteration(progress);
        },
        valid_x && options.on_iteration ? &valid_view : nullptr);
    if (!forest) return forest.status();

    const int num_classes = classification ? options.num_classes : 0;
    std::vector<double> importance = forest->feature_importances();
    std::string importance_type = "impurity_decrease";
    if (hp["importance_type"] == "permutation" && valid != nullptr) {
      const RandomForestModel plain(*forest, num_classes, {}, "");
      auto permuted = permutation_importance(
          plain, *valid, {.task = options.task, .repeats = 5, .seed = options.seed});
      if (!permuted) return permuted.status();
      importance = std::move(permuted).value();
      importance_type = classification ? "permutation_accuracy" : "permutation_r2";
    }
    return std::unique_ptr<Model>(std::make_unique<RandomForestModel>(
        std::move(forest).value(), num_classes, std::move(importance), importance_type));
  }
};

}  // namespace

const AlgorithmSpec& random_forest_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "random_forest";
    s.aliases = {"rf",
                 "randomforest",
                 "random_forest_classifier",
                 "random_forest_regressor",
                 "RandomForestClassifier",
                 "RandomForestRegressor"};
    s.tasks = {"classification", "regression"};
    s.library = "traind trees engine (scikit-learn 1.2 semantics)";
    s.model_format = "traind-rf-json";
    s.description =
        "Random forest with scikit-learn's semantics: bootstrap samples, exact best splits over "
        "max_features candidates, impurity-based importance, optional out-of-bag score. "
        "Missing values are imputed (scikit-learn 1.2 forests do not take NaN).";
    s.hyperparameters = random_forest_hyperparameters();
    s.handles_missing = false;
    s.check_for_task = &check_for_task;
    s.wants_standardized = false;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<RandomForestTrainer>();
    };
    s.load_model = &RandomForestModel::load;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
