// LinearRegressionModel: prediction, importance, save and load.
#include "algorithms/linear_model.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "algorithms/dataset_checks.h"

namespace traind::algorithms {

LinearRegressionModel::LinearRegressionModel(std::vector<double> coefficients, double intercept,
                                             std::vector<std::string> feature_names, double alpha)
    : coefficients_(std::move(coefficients)),
      intercept_(intercept),
      feature_names_(std::move(feature_names)),
      alpha_(alpha) {
  if (feature_names_.size() != coefficients_.size()) {
    feature_names_.clear();
    for (size_t i = 0; i < coefficients_.size(); ++i)
      feature_names_.push_back(fmt::format("f{}", i));
  }
}

Result<std::vector<double>> LinearRegressionModel::predict(const Matrix& x) const {
  TRAIND_RETURN_IF_ERROR(check_prediction_input(x, coefficients_.size()));
  std::vector<double> out(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    double sum = intercept_;
    for (size_t c = 0; c < x.cols; ++c) sum += coefficients_[c] * row[c];
    out[r] = sum;
  }
  return out;
}

std::vector<double> LinearRegressionModel::feature_importance() const {
  std::vector<double> importance(coefficients_.size());
  for (size_t i = 0; i < importance.size(); ++i) importance[i] = std::abs(coefficients_[i]);
  return importance;
}

Status LinearRegressionModel::save(const std::string& dir) const {
  const std::string path = (std::filesystem::path(dir) / kLinearArtifactFile).string();
  const nlohmann::json doc = {
      {"format", kLinearFormat}, {"coefficients", coefficients_},
      {"intercept", intercept_}, {"feature_names", feature_names_},
      {"alpha", alpha_},
  };
  std::ofstream out(path, std::ios::trunc);
  out << doc.dump(2) << '\n';
  out.close();
  if (!out) return Status(ErrorCode::kInternal, "linear_regression: cannot write " + path);
  return Status::ok();
}

nlohmann::json LinearRegressionModel::metadata() const {
  return {
      {"type", alpha_ > 0 ? "Ridge" : "LinearRegression"},
      {"architecture", "linear_model"},
      {"task", "regression"},
      {"num_features", coefficients_.size()},
      {"feature_names", feature_names_},
      {"alpha", alpha_},
  };
}

Result<std::unique_ptr<Model>> LinearRegressionModel::load(const std::string& dir,
                                                           const nlohmann::json& /*meta*/) {
  const std::string path = (std::filesystem::path(dir) / kLinearArtifactFile).string();
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kNotFound, "linear_regression: no model file at " + path);
  try {
    const nlohmann::json doc = nlohmann::json::parse(in);
    if (doc.value("format", std::string()) != kLinearFormat) {
      return Status(ErrorCode::kInternal,
                    fmt::format("linear_regression: {} is not in format {}", path, kLinearFormat));
    }
    auto coefficients = doc.at("coefficients").get<std::vector<double>>();
    auto names = doc.value("feature_names", std::vector<std::string>());
    return std::unique_ptr<Model>(std::make_unique<LinearRegressionModel>(
        std::move(coefficients), doc.at("intercept").get<double>(), std::move(names),
        doc.value("alpha", 0.0)));
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal,
                  fmt::format("linear_regression: cannot read {}: {}", path, e.what()));
  }
}

}  // namespace traind::algorithms
