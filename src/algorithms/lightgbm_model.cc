#include "algorithms/lightgbm_model.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "algorithms/column_major_matrix.h"
#include "algorithms/dataset_checks.h"

namespace traind::algorithms {

using engines::trees::GbdtImportanceType;
using engines::trees::GbdtModel;

Result<std::vector<double>> LightgbmModel::predict(const Matrix& x) const {
  TRAIND_RETURN_IF_ERROR(check_prediction_input(x, static_cast<size_t>(model_.num_features())));
  const ColumnMajorMatrix columns(x);
  const size_t outputs = static_cast<size_t>(model_.num_tree_per_iteration());
  std::vector<double> scores(x.rows * outputs);
  model_.predict(columns.view(), scores);
  if (task_ == Task::kClassification && num_classes_ == 2) {
    // The binary objective gives P(class 1); the interface wants both columns.
    std::vector<double> out(x.rows * 2);
    for (size_t r = 0; r < x.rows; ++r) {
      out[2 * r] = 1.0 - scores[r];
      out[2 * r + 1] = scores[r];
    }
    return out;
  }
  return scores;
}

Status LightgbmModel::save(const std::string& dir) const {
  const std::string path = (std::filesystem::path(dir) / kLightgbmArtifactFile).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << model_.to_text();
  out.flush();
  if (!out) return Status(ErrorCode::kInternal, "lightgbm: cannot write " + path);
  return Status::ok();
}

nlohmann::json LightgbmModel::metadata() const {
  const bool classification = task_ == Task::kClassification;
  return {{"type", classification ? "LGBMClassifier" : "LGBMRegressor"},
          {"architecture", "gradient_boosted_trees"},
          {"task", classification ? "classification" : "regression"},
          {"num_classes", classification ? num_classes_ : 0},
          {"num_features", model_.num_features()},
          {"feature_names", model_.feature_names()},
          {"objective", std::string(model_.objective())},
          {"num_iterations", model_.num_iterations()},
          {"best_iteration", model_.best_iteration()},
          {"importance_type", importance_type_}};
}

Result<std::unique_ptr<Model>> LightgbmModel::load(const std::string& dir,
                                                   const nlohmann::json& meta) {
  const std::string path = (std::filesystem::path(dir) / kLightgbmArtifactFile).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "lightgbm: no model file at " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto model = GbdtModel::from_text(text.str());
  if (!model) {
    return Status(ErrorCode::kInternal,
                  "lightgbm: cannot read " + path + ": " + model.status().message());
  }
  Task task = Task::kClassification;
  int num_classes = 0;
  std::string importance_type = "split";
  try {
    task = meta.value("task", std::string("classification")) == "regression"
               ? Task::kRegression
               : Task::kClassification;
    num_classes = meta.value("num_classes", 0);
    importance_type = meta.value("importance_type", importance_type);
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal, std::string("lightgbm: bad model metadata: ") + e.what());
  }
  if (task == Task::kClassification && num_classes < 2) {
    return Status(ErrorCode::kInternal, "lightgbm: model metadata lacks num_classes");
  }
  const auto kind =
      importance_type == "gain" ? GbdtImportanceType::kGain : GbdtImportanceType::kSplit;
  std::vector<double> importance = model->feature_importance(kind);
  return std::unique_ptr<Model>(std::make_unique<LightgbmModel>(
      std::move(model).value(), task, num_classes, std::move(importance), importance_type));
}

}  // namespace traind::algorithms
