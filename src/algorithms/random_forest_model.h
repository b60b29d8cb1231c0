// RandomForestModel: a forest of the tree engine (scikit-learn 1.2 semantics) behind the
// Model interface.
//
// Private to the algorithms layer. Saves the engine's documented JSON format (model.rf.json,
// docs/forest_model_format.md). Immutable; predict() is safe from several threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "engines/trees/forest.h"

namespace traind::algorithms {

inline constexpr char kRandomForestArtifactFile[] = "model.rf.json";

class RandomForestModel final : public Model {
 public:
  RandomForestModel(engines::trees::ForestModel model, int num_classes,
                    std::vector<double> importance, std::string importance_type)
      : model_(std::move(model)),
        num_classes_(num_classes),
        importance_(std::move(importance)),
        importance_type_(std::move(importance_type)) {}
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override { return importance_; }
  std::string importance_type() const override { return importance_type_; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kRandomForestArtifactFile; }
  nlohmann::json metadata() const override;

  const engines::trees::ForestModel& forest() const { return model_; }

 private:
  engines::trees::ForestModel model_;
  int num_classes_;  // 0 for regression
  std::vector<double> importance_;
  std::string importance_type_;
};

}  // namespace traind::algorithms
