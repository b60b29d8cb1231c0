// The "xgboost" algorithm: gradient-boosted trees through libxgboost's C API.
//
// Declares the hyperparameters (scikit-learn names, XGBoost's own names as aliases) and
// trains one boosting round at a time so that progress, cancellation and early stopping
// are decided here, as XGBoost's Python training loop does.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/dataset_checks.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"
#include "algorithms/xgboost_evaluation.h"
#include "algorithms/xgboost_handles.h"
#include "algorithms/xgboost_model.h"

namespace traind::algorithms {
namespace {

std::vector<HyperParameter> xgboost_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "n_estimators",
       .type = ParamType::kInteger,
       .default_value = 100,
       .minimum = 1,
       .maximum = 100000,
       .help = "Number of boosting rounds (trees per class).",
       .aliases = {"num_boost_round", "num_round", "n_trees"}});
  add({.name = "max_depth",
       .type = ParamType::kInteger,
       .default_value = 6,
       .minimum = 0,
       .maximum = 64,
       .help = "Maximum depth of a tree; 0 means no limit (lossguide only)."});
  add({.name = "learning_rate",
       .type = ParamType::kNumber,
       .default_value = 0.3,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Step size shrinkage applied to each new tree.",
       .aliases = {"eta"}});
  add({.name = "min_child_weight",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .help = "Minimum sum of instance weight (hessian) needed in a child."});
  add({.name = "subsample",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Fraction of rows sampled for each tree."});
  add({.name = "colsample_bytree",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Fraction of columns sampled for each tree."});
  add({.name = "colsample_bylevel",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Fraction of columns sampled for each depth level."});
  add({.name = "colsample_bynode",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .help = "Fraction of columns sampled for each split."});
  add({.name = "gamma",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "Minimum loss reduction required to make a split.",
       .aliases = {"min_split_loss"}});
  add({.name = "reg_lambda",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .help = "L2 regularisation of leaf weights.",
       .aliases = {"lambda"}});
  add({.name = "reg_alpha",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "L1 regularisation of leaf weights.",
       .aliases = {"alpha"}});
  add({.name = "max_bin",
       .type = ParamType::kInteger,
       .default_value = 256,
       .minimum = 2,
       .maximum = 65536,
       .help = "Maximum number of histogram bins per feature (hist, approx)."});
  add({.name = "tree_method",
       .type = ParamType::kString,
       .default_value = "hist",
       .choices = {"hist", "approx", "exact"},
       .help = "Split-finding algorithm."});
  add({.name = "grow_policy",
       .type = ParamType::kString,
       .default_value = "depthwise",
       .choices = {"depthwise", "lossguide"},
       .help = "depthwise: split nodes closest to the root; lossguide: split the nodes with "
               "the highest loss change (hist and approx only)."});
  add({.name = "max_leaves",
       .type = ParamType::kInteger,
       .default_value = 0,
       .minimum = 0,
       .help = "Maximum number of leaves per tree; 0 means no limit."});
  add({.name = "scale_pos_weight",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Weight of positive examples (binary classification), e.g. negatives/positives."});
  add({.name = "max_delta_step",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "Maximum delta step of each leaf output; 0 means no limit."});
  add({.name = "early_stopping_rounds",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 1,
       .help = "Stop when the validation metric has not improved for this many rounds; "
               "null turns early stopping off. Needs a validation set."});
  add({.name = "random_state",
       .type = ParamType::kInteger,
       .default_value = 0,
       .minimum = 0,
       .help = "Seed of the random number generator (row and column sampling).",
       .aliases = {"seed"}});
  return p;
}

std::vector<std::string> names_or_default(const Dataset& d) {
  if (!d.feature_names.empty()) return d.feature_names;
  std::vector<std::string> names;
  for (size_t i = 0; i < d.x.cols; ++i) names.push_back(fmt::format("f{}", i));
  return names;
}

Result<DMatrixPtr> make_dmatrix(const Dataset& d, const std::vector<std::string>& names) {
  DMatrixHandle h = nullptr;
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGDMatrixCreateFromMat(d.x.values.data(), d.x.rows, d.x.cols,
                                            std::numeric_limits<float>::quiet_NaN(), &h),
                     "creating a DMatrix"));
  DMatrixPtr m(h);
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGDMatrixSetFloatInfo(h, "label", d.y.data(), d.y.size()), "setting labels"));
  std::vector<const char*> c_names;
  for (const std::string& n : names) c_names.push_back(n.c_str());
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGDMatrixSetStrFeatureInfo(h, "feature_name", c_names.data(), c_names.size()),
                     "setting feature names"));
  return m;
}

// A number as XGBoost's parameter parser reads it (shortest round-trip form).
std::string param_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return fmt::format("{}", v.get<double>());
}

// XGBoost parameter name for each canonical hyperparameter passed through unchanged.
const std::vector<std::pair<const char*, const char*>>& passthrough_parameters() {
  static const std::vector<std::pair<const char*, const char*>> kParams = {
      {"max_depth", "max_depth"},
      {"learning_rate", "eta"},
      {"min_child_weight", "min_child_weight"},
      {"subsample", "subsample"},
      {"colsample_bytree", "colsample_bytree"},
      {"colsample_bylevel", "colsample_bylevel"},
      {"colsample_bynode", "colsample_bynode"},
      {"gamma", "gamma"},
      {"reg_lambda", "lambda"},
      {"reg_alpha", "alpha"},
      {"max_bin", "max_bin"},
      {"tree_method", "tree_method"},
      {"grow_policy", "grow_policy"},
      {"max_leaves", "max_leaves"},
      {"max_delta_step", "max_delta_step"},
  };
  return kParams;
}

class XgboostTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override;

 private:
  Status configure(BoosterHandle booster, const nlohmann::json& hp, const TrainOptions& options);
};

Status XgboostTrainer::configure(BoosterHandle booster, const nlohmann::json& hp,
                                 const TrainOptions& options) {
  std::vector<std::pair<std::string, std::string>> params;
  if (options.task == Task::kRegression) {
    params = {{"objective", "reg:squarederror"}, {"eval_metric", "rmse"}};
  } else if (options.num_classes == 2) {
    params = {{"objective", "binary:logistic"},
              {"eval_metric", "logloss"},
              {"scale_pos_weight", param_text(hp["scale_pos_weight"])}};
  } else {
    params = {{"objective", "multi:softprob"},
              {"eval_metric", "mlogloss"},
              {"num_class", std::to_string(options.num_classes)}};
  }
  for (const auto& [ours, theirs] : passthrough_parameters()) {
    params.emplace_back(theirs, param_text(hp[ours]));
  }
  params.emplace_back("seed", param_text(hp["random_state"]));
  params.emplace_back("nthread", std::to_string(std::max(options.threads, 0)));
  params.emplace_back("verbosity", "1");  // warnings only, to the worker's log
  for (const auto& [name, value] : params) {
    TRAIND_RETURN_IF_ERROR(xgboost_status(XGBoosterSetParam(booster, name.c_str(), value.c_str()),
                                          fmt::format("setting {}={}", name, value)));
  }
  return Status::ok();
}

Result<std::unique_ptr<Model>> XgboostTrainer::train(const Dataset& train, const Dataset* valid,
                                                     const TrainOptions& options) {
  Result<nlohmann::json> resolved =
      resolve_hyperparameters(xgboost_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  const nlohmann::json& hp = *resolved;
  TRAIND_RETURN_IF_ERROR(
      check_training_data("xgboost", train, valid, options, {.allow_missing = true}));
  std::optional<int> early_stopping;
  if (!hp["early_stopping_rounds"].is_null()) {
    early_stopping = hp["early_stopping_rounds"].get<int>();
    if (valid == nullptr) {
      return Status(ErrorCode::kInvalidConfig,
                    "xgboost: early_stopping_rounds needs a validation set");
    }
  }
  const int rounds = hp["n_estimators"].get<int>();
  const std::vector<std::string> names = names_or_default(train);

  Result<DMatrixPtr> dtrain = make_dmatrix(train, names);
  if (!dtrain) return dtrain.status();
  std::vector<DMatrixHandle> eval_sets = {dtrain->get()};
  std::vector<const char*> eval_names = {"train"};
  DMatrixPtr dvalid;
  if (valid != nullptr) {
    Result<DMatrixPtr> m = make_dmatrix(*valid, names);
    if (!m) return m.status();
    dvalid = std::move(m).value();
    eval_sets.push_back(dvalid.get());
    eval_names.push_back("valid");
  }

  BoosterHandle h = nullptr;
  TRAIND_RETURN_IF_ERROR(xgboost_status(XGBoosterCreate(eval_sets.data(), eval_sets.size(), &h),
                                        "creating a booster"));
  BoosterPtr booster(h);
  TRAIND_RETURN_IF_ERROR(configure(h, hp, options));
  std::vector<const char*> c_names;
  for (const std::string& n : names) c_names.push_back(n.c_str());
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterSetStrFeatureInfo(h, "feature_name", c_names.data(), c_names.size()),
                     "setting feature names"));

  double best_score = std::numeric_limits<double>::infinity();
  int best_iteration = 0;
  for (int i = 0; i < rounds; ++i) {
    TRAIND_RETURN_IF_ERROR(xgboost_status(XGBoosterUpdateOneIter(h, i, dtrain->get()),
                                          fmt::format("boosting round {}", i)));
    const char* evaluation = nullptr;
    TRAIND_RETURN_IF_ERROR(
        xgboost_status(XGBoosterEvalOneIter(h, i, eval_sets.data(), eval_names.data(),
                                            eval_sets.size(), &evaluation),
                       fmt::format("evaluating round {}", i)));
    IterationReport report{.iteration = i + 1, .total_iterations = rounds, .metrics = {}};
    std::optional<double> valid_score;
    for (const auto& [name, value] : parse_xgboost_evaluation(evaluation)) {
      report.metrics[name] = value;
      if (name.rfind("valid_", 0) == 0) valid_score = value;
    }
    bool stop = false;
    if (early_stopping && valid_score) {
      // Every metric used here (logloss, mlogloss, rmse) is better when lower.
      if (*valid_score < best_score) {
        best_score = *valid_score;
        best_iteration = i;
      } else if (i - best_iteration >= *early_stopping) {
        stop = true;
      }
    }
    if (options.on_iteration && !options.on_iteration(report)) stop = true;
    if (stop) break;
  }

  std::optional<int> kept_best;
  if (early_stopping) {
    // Stored as XGBoost's sklearn API does, so other XGBoost front ends predict alike.
    kept_best = best_iteration;
    TRAIND_RETURN_IF_ERROR(xgboost_status(
        XGBoosterSetAttr(h, "best_iteration", std::to_string(best_iteration).c_str()),
        "setting best_iteration"));
    TRAIND_RETURN_IF_ERROR(
        xgboost_status(XGBoosterSetAttr(h, "best_score", fmt::format("{}", best_score).c_str()),
                       "setting best_score"));
  }
  Result<std::unique_ptr<XgboostModel>> model =
      XgboostModel::create(std::move(booster), options.task, options.num_classes, names, kept_best);
  if (!model) return model.status();
  return std::unique_ptr<Model>(std::move(model).value());
}

}  // namespace

std::vector<std::pair<std::string, double>> parse_xgboost_evaluation(const std::string& text) {
  std::vector<std::pair<std::string, double>> metrics;
  size_t pos = text.find('\t');
  while (pos != std::string::npos) {
    const size_t start = pos + 1;
    pos = text.find('\t', start);
    const std::string item = text.substr(start, pos == std::string::npos ? pos : pos - start);
    const size_t colon = item.rfind(':');
    const size_t dash = item.find('-');
    if (colon == std::string::npos || dash == std::string::npos || dash > colon) continue;
    std::string name = item.substr(0, colon);
    name[dash] = '_';
    char* end = nullptr;
    const std::string number = item.substr(colon + 1);
    const double value = std::strtod(number.c_str(), &end);
    if (end == number.c_str()) continue;
    metrics.emplace_back(std::move(name), value);
  }
  return metrics;
}

const AlgorithmSpec& xgboost_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "xgboost";
    s.aliases = {"xgb", "xgboost_classifier", "xgboost_regressor"};
    s.tasks = {"classification", "regression"};
    s.library = "libxgboost 1.7.4";
    s.model_format = "xgboost-json";
    s.description =
        "Gradient-boosted decision trees (XGBoost). Handles missing values natively; "
        "binary:logistic, multi:softprob or reg:squarederror depending on the task.";
    s.hyperparameters = xgboost_hyperparameters();
    s.handles_missing = true;
    s.wants_standardized = false;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<XgboostTrainer>();
    };
    s.load_model = &XgboostModel::load;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
