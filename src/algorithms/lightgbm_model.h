// LightgbmModel: a GBDT of the tree engine (LightGBM semantics) behind the Model interface.
//
// Private to the algorithms layer. Saves LightGBM's text model format (model.txt), which
// LightGBM itself loads (`lightgbm.Booster(model_file=...)`) and predicts identically.
// Immutable after construction; predict() is safe from several threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "engines/trees/gbdt.h"

namespace traind::algorithms {

inline constexpr char kLightgbmArtifactFile[] = "model.txt";

class LightgbmModel final : public Model {
 public:
  // `importance` per feature, of the kind `importance_type` names ("split", "gain" or
  // "permutation_accuracy" / "permutation_r2").
  LightgbmModel(engines::trees::GbdtModel model, Task task, int num_classes,
                std::vector<double> importance, std::string importance_type)
      : model_(std::move(model)),
        task_(task),
        num_classes_(num_classes),
        importance_(std::move(importance)),
        importance_type_(std::move(importance_type)) {}
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override { return importance_; }
  std::string importance_type() const override { return importance_type_; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kLightgbmArtifactFile; }
  nlohmann::json metadata() const override;

  const engines::trees::GbdtModel& gbdt() const { return model_; }

 private:
  engines::trees::GbdtModel model_;
  Task task_;
  int num_classes_;
  std::vector<double> importance_;
  std::string importance_type_;
};

}  // namespace traind::algorithms
