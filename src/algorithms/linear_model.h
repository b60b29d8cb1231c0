// LinearRegressionModel: y = x . coefficients + intercept, behind the Model interface.
//
// Private to the algorithms layer. Saved as `model.json` in traind's own small format
// {"format": "traind-linear-v1", "coefficients", "intercept", "feature_names", "alpha"},
// readable by anything that reads JSON. Immutable after construction: thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "algorithms/trainer.h"

namespace traind::algorithms {

inline constexpr char kLinearArtifactFile[] = "model.json";
inline constexpr char kLinearFormat[] = "traind-linear-v1";

class LinearRegressionModel final : public Model {
 public:
  LinearRegressionModel(std::vector<double> coefficients, double intercept,
                        std::vector<std::string> feature_names, double alpha);
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override;
  std::string importance_type() const override { return "abs_coefficient"; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kLinearArtifactFile; }
  nlohmann::json metadata() const override;

  const std::vector<double>& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }

 private:
  std::vector<double> coefficients_;
  double intercept_;
  std::vector<std::string> feature_names_;
  double alpha_;
};

}  // namespace traind::algorithms
