// XgboostModel: a trained XGBoost booster behind the Model interface.
//
// Private to the algorithms layer. Predicts with inplace prediction on dense rows, up to
// best_iteration when early stopping chose one; saves XGBoost's JSON model format, which
// any XGBoost (Python, R, JVM) loads with the feature names and best_iteration attribute.
// predict() is safe from several threads (calls into the booster are serialised).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "algorithms/xgboost_handles.h"

namespace traind::algorithms {

inline constexpr char kXgboostArtifactFile[] = "model.json";

class XgboostModel final : public Model {
 public:
  // Takes ownership of `booster`; computes feature importance once (hence the Result).
  // `best_iteration` (0-based) limits prediction to the trees up to it.
  static Result<std::unique_ptr<XgboostModel>> create(BoosterPtr booster, Task task,
                                                      int num_classes,
                                                      std::vector<std::string> feature_names,
                                                      std::optional<int> best_iteration);
  // Loads what save() wrote into `dir`; `meta` is what metadata() returned.
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override { return importance_; }
  std::string importance_type() const override { return "total_gain"; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kXgboostArtifactFile; }
  nlohmann::json metadata() const override;

  // Boosting rounds the model holds (including those after best_iteration).
  int boosted_rounds() const { return boosted_rounds_; }
  std::optional<int> best_iteration() const { return best_iteration_; }

 private:
  XgboostModel(BoosterPtr booster, Task task, int num_classes,
               std::vector<std::string> feature_names, std::optional<int> best_iteration)
      : booster_(std::move(booster)),
        task_(task),
        num_classes_(num_classes),
        feature_names_(std::move(feature_names)),
        best_iteration_(best_iteration) {}
  Status compute_importance();

  mutable std::mutex mutex_;  // guards calls into booster_
  BoosterPtr booster_;
  Task task_;
  int num_classes_;
  std::vector<std::string> feature_names_;
  std::optional<int> best_iteration_;
  int boosted_rounds_ = 0;
  std::vector<double> importance_;
};

}  // namespace traind::algorithms
