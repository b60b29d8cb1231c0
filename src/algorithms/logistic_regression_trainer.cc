// The "logistic_regression" algorithm: L1/L2-regularised logistic regression via liblinear.
//
// Parameters follow scikit-learn's LogisticRegression(solver="liblinear"): the same
// solvers (L2R_LR primal for l2, L1R_LR for l1), C, tol as liblinear's eps, and
// "balanced" class weights as n_samples / (n_classes * count of the class).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/dataset_checks.h"
#include "algorithms/liblinear_model.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

// liblinear 2.30's `parameter` has no iteration limit, so max_iter is not declared.
std::vector<HyperParameter> logistic_regression_hyperparameters() {
  return {
      {.name = "penalty",
       .type = ParamType::kString,
       .default_value = "l2",
       .choices = {"l1", "l2"},
       .help = "Regularisation: l2 (liblinear L2R_LR) or l1 (L1R_LR, sparse coefficients)."},
      {.name = "C",
       .type = ParamType::kNumber,
       .default_value = 1.0,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Inverse of regularisation strength; smaller values regularise more.",
       .aliases = {"c"}},
      {.name = "tol",
       .type = ParamType::kNumber,
       .default_value = 1e-4,
       .minimum = 0.0,
       .exclusive_minimum = true,
       .help = "Tolerance of the stopping criterion.",
       .aliases = {"eps"}},
      {.name = "fit_intercept",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Add an intercept (liblinear bias term, regularised as liblinear does)."},
      {.name = "class_weight",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"balanced"},
       .help = "null: every class weighs 1; balanced: n_samples / (n_classes * class count)."},
      {.name = "random_state",
       .type = ParamType::kInteger,
       .default_value = 0,
       .minimum = 0,
       .help = "Seed of liblinear's random permutation (l1 solver).",
       .aliases = {"seed"}},
  };
}

// Mean negative log-likelihood of the true classes, probabilities clipped as sklearn does.
double log_loss(const std::vector<double>& probabilities, const std::vector<float>& y,
                int num_classes) {
  double total = 0.0;
  for (size_t r = 0; r < y.size(); ++r) {
    const double p = probabilities[r * num_classes + static_cast<size_t>(y[r])];
    total -= std::log(std::clamp(p, 1e-15, 1.0 - 1e-15));
  }
  return y.empty() ? 0.0 : total / static_cast<double>(y.size());
}

class LogisticRegressionTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override;
};

Result<std::unique_ptr<Model>> LogisticRegressionTrainer::train(const Dataset& train,
                                                                const Dataset* valid,
                                                                const TrainOptions& options) {
  Result<nlohmann::json> resolved =
      resolve_hyperparameters(logistic_regression_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  const nlohmann::json& hp = *resolved;
  if (options.task != Task::kClassification) {
    return Status(ErrorCode::kInvalidConfig, "logistic_regression supports classification only");
  }
  TRAIND_RETURN_IF_ERROR(
      check_training_data("logistic_regression", train, valid, options, {.allow_missing = false}));

  const double bias = hp["fit_intercept"].get<bool>() ? 1.0 : -1.0;
  LiblinearRows rows = to_liblinear_rows(train.x, bias);
  std::vector<double> labels(train.y.begin(), train.y.end());
  problem prob{};
  prob.l = static_cast<int>(train.x.rows);
  prob.n = static_cast<int>(train.x.cols) + (bias >= 0 ? 1 : 0);
  prob.y = labels.data();
  prob.x = rows.rows.data();
  prob.bias = bias;

  // Zero-initialised: Debian's liblinear 2.30 header may lag the library's struct.
  parameter param{};
  param.solver_type = hp["penalty"] == "l1" ? L1R_LR : L2R_LR;
  param.C = hp["C"].get<double>();
  param.eps = hp["tol"].get<double>();
  std::vector<int> weight_labels;
  std::vector<double> weights;
  if (hp["class_weight"] == "balanced") {
    std::map<int, size_t> counts;
    for (float y : train.y) ++counts[static_cast<int>(y)];
    for (const auto& [label, count] : counts) {
      weight_labels.push_back(label);
      weights.push_back(static_cast<double>(train.y.size()) /
                        (static_cast<double>(counts.size()) * static_cast<double>(count)));
    }
    param.nr_weight = static_cast<int>(weights.size());
    param.weight_label = weight_labels.data();
    param.weight = weights.data();
  }
  if (const char* problem_text = check_parameter(&prob, &param)) {
    return Status(ErrorCode::kInvalidConfig, fmt::format("liblinear: {}", problem_text));
  }

  silence_liblinear();
  // The l1 solver shuffles with rand(); seeding it makes a run repeatable.
  std::srand(hp["random_state"].get<unsigned>());
  LiblinearModelPtr trained(::train(&prob, &param));
  if (!trained) return Status(ErrorCode::kTrainingError, "liblinear: training failed");
  // The model keeps a shallow copy of `param`; its pointers die with this function.
  trained->param.nr_weight = 0;
  trained->param.weight_label = nullptr;
  trained->param.weight = nullptr;
  trained->param.init_sol = nullptr;

  auto model = std::make_unique<LogisticRegressionModel>(std::move(trained), options.num_classes,
                                                         train.feature_names);
  if (options.on_iteration) {
    IterationReport report{.iteration = 1, .total_iterations = 1, .metrics = {}};
    Result<std::vector<double>> p = model->predict(train.x);
    if (!p) return p.status();
    report.metrics["train_logloss"] = log_loss(*p, train.y, options.num_classes);
    if (valid != nullptr) {
      Result<std::vector<double>> pv = model->predict(valid->x);
      if (!pv) return pv.status();
      report.metrics["valid_logloss"] = log_loss(*pv, valid->y, options.num_classes);
    }
    // A single-shot solver has nothing left to stop; the answer is ignored.
    options.on_iteration(report);
  }
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace

const AlgorithmSpec& logistic_regression_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "logistic_regression";
    s.aliases = {"logistic", "logreg", "lr"};
    s.tasks = {"classification"};
    s.library = "liblinear 2.30";
    s.model_format = "liblinear";
    s.description =
        "Logistic regression (liblinear), one-vs-rest for more than two classes. Needs "
        "imputed, standardised features.";
    s.hyperparameters = logistic_regression_hyperparameters();
    s.handles_missing = false;
    s.wants_standardized = true;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<LogisticRegressionTrainer>();
    };
    s.load_model = &LogisticRegressionModel::load;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
