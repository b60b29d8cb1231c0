// The "linear_regression" algorithm: ordinary least squares or ridge, solved with Eigen.
//
// As scikit-learn does, X and y are centred when fitting an intercept, so the intercept
// is never penalised and is recovered as mean(y) - mean(X) . w. OLS uses a complete
// orthogonal decomposition (rank-revealing; the minimum-norm solution when columns are
// collinear, like lstsq); ridge solves (Xc'Xc + alpha I) w = Xc'yc by LDLT.
#include <Eigen/Dense>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "algorithms/algorithm_specs.h"
#include "algorithms/dataset_checks.h"
#include "algorithms/linear_model.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

std::vector<HyperParameter> linear_regression_hyperparameters() {
  return {
      {.name = "alpha",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .help = "L2 (ridge) penalty on the coefficients; 0 is ordinary least squares. "
               "The intercept is never penalised.",
       .aliases = {"l2", "ridge_alpha", "lambda"}},
      {.name = "fit_intercept",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Fit an intercept (centres X and y before solving)."},
  };
}

double rmse(const std::vector<double>& predicted, const std::vector<float>& y) {
  double sum = 0.0;
  for (size_t i = 0; i < y.size(); ++i) sum += (predicted[i] - y[i]) * (predicted[i] - y[i]);
  return y.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(y.size()));
}

class LinearRegressionTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override;
};

Result<std::unique_ptr<Model>> LinearRegressionTrainer::train(const Dataset& train,
                                                              const Dataset* valid,
                                                              const TrainOptions& options) {
  Result<nlohmann::json> resolved =
      resolve_hyperparameters(linear_regression_spec(), options.hyperparameters);
  if (!resolved) return resolved.status();
  const nlohmann::json& hp = *resolved;
  if (options.task != Task::kRegression) {
    return Status(ErrorCode::kInvalidConfig, "linear_regression supports regression only");
  }
  TRAIND_RETURN_IF_ERROR(
      check_training_data("linear_regression", train, valid, options, {.allow_missing = false}));
  const double alpha = hp["alpha"].get<double>();
  const bool fit_intercept = hp["fit_intercept"].get<bool>();

  using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajorMatrix> xf(train.x.values.data(),
                                            static_cast<Eigen::Index>(train.x.rows),
                                            static_cast<Eigen::Index>(train.x.cols));
  Eigen::MatrixXd x = xf.cast<double>();
  Eigen::VectorXd y =
      Eigen::Map<const Eigen::VectorXf>(train.y.data(), static_cast<Eigen::Index>(train.y.size()))
          .cast<double>();
  Eigen::RowVectorXd x_mean = Eigen::RowVectorXd::Zero(x.cols());
  double y_mean = 0.0;
  if (fit_intercept) {
    x_mean = x.colwise().mean();
    y_mean = y.mean();
    x.rowwise() -= x_mean;
    y.array() -= y_mean;
  }
  Eigen::VectorXd w;
  if (alpha > 0) {
    Eigen::MatrixXd gram = x.transpose() * x;
    gram.diagonal().array() += alpha;
    w = gram.ldlt().solve(x.transpose() * y);
  } else {
    w = x.completeOrthogonalDecomposition().solve(y);
  }
  if (!w.allFinite()) {
    return Status(ErrorCode::kTrainingError,
                  "linear_regression: the solution is not finite (features too large?)");
  }
  const double intercept = fit_intercept ? y_mean - x_mean.dot(w) : 0.0;

  auto model = std::make_unique<LinearRegressionModel>(
      std::vector<double>(w.data(), w.data() + w.size()), intercept, train.feature_names, alpha);
  if (options.on_iteration) {
    IterationReport report{.iteration = 1, .total_iterations = 1, .metrics = {}};
    Result<std::vector<double>> p = model->predict(train.x);
    if (!p) return p.status();
    report.metrics["train_rmse"] = rmse(*p, train.y);
    if (valid != nullptr) {
      Result<std::vector<double>> pv = model->predict(valid->x);
      if (!pv) return pv.status();
      report.metrics["valid_rmse"] = rmse(*pv, valid->y);
    }
    // A single-shot solver has nothing left to stop; the answer is ignored.
    options.on_iteration(report);
  }
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace

const AlgorithmSpec& linear_regression_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "linear_regression";
    s.aliases = {"linear", "ols", "ridge"};
    s.tasks = {"regression"};
    s.library = "Eigen 3.4";
    s.model_format = "traind-linear-json";
    s.description =
        "Linear least squares (Eigen), with an optional ridge penalty alpha. Needs imputed, "
        "standardised features.";
    s.hyperparameters = linear_regression_hyperparameters();
    s.handles_missing = false;
    s.wants_standardized = true;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<LinearRegressionTrainer>();
    };
    s.load_model = &LinearRegressionModel::load;
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
