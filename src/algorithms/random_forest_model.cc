#include "algorithms/random_forest_model.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "algorithms/column_major_matrix.h"
#include "algorithms/dataset_checks.h"

namespace traind::algorithms {

using engines::trees::ForestModel;
using engines::trees::ForestTask;

Result<std::vector<double>> RandomForestModel::predict(const Matrix& x) const {
  TRAIND_RETURN_IF_ERROR(check_prediction_input(x, static_cast<size_t>(model_.n_features())));
  const ColumnMajorMatrix columns(x);
  if (model_.task() == ForestTask::kRegression) return model_.predict(columns.view());
  auto proba = model_.predict_proba(columns.view());
  if (!proba) return proba.status();
  // The forest knows the classes it saw in training (sorted class indices); the interface
  // wants a column for every class of the task.
  const std::vector<double>& classes = model_.classes();
  const size_t k = classes.size();
  std::vector<double> out(x.rows * static_cast<size_t>(num_classes_), 0.0);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t j = 0; j < k; ++j) {
      const auto c = static_cast<size_t>(std::llround(classes[j]));
      if (c < static_cast<size_t>(num_classes_)) out[r * num_classes_ + c] = (*proba)[r * k + j];
    }
  }
  return out;
}

Status RandomForestModel::save(const std::string& dir) const {
  const std::string path = (std::filesystem::path(dir) / kRandomForestArtifactFile).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << model_.to_json();
  out.flush();
  if (!out) return Status(ErrorCode::kInternal, "random_forest: cannot write " + path);
  return Status::ok();
}

nlohmann::json RandomForestModel::metadata() const {
  const bool classification = model_.task() == ForestTask::kClassification;
  nlohmann::json meta = {
      {"type", classification ? "RandomForestClassifier" : "RandomForestRegressor"},
      {"architecture", "ensemble_tree_based"},
      {"task", classification ? "classification" : "regression"},
      {"num_classes", num_classes_},
      {"num_features", model_.n_features()},
      {"feature_names", model_.feature_names()},
      {"num_trees", model_.num_trees()},
      {"oob_score", nullptr},
      {"importance_type", importance_type_}};
  if (auto oob = model_.oob_score()) meta["oob_score"] = *oob;
  return meta;
}

Result<std::unique_ptr<Model>> RandomForestModel::load(const std::string& dir,
                                                       const nlohmann::json& meta) {
  const std::string path = (std::filesystem::path(dir) / kRandomForestArtifactFile).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "random_forest: no model file at " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto model = ForestModel::from_json(text.str());
  if (!model) {
    return Status(ErrorCode::kInternal,
                  "random_forest: cannot read " + path + ": " + model.status().message());
  }
  int num_classes = 0;
  std::string importance_type = "impurity";
  try {
    num_classes = meta.value("num_classes", 0);
    importance_type = meta.value("importance_type", importance_type);
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal,
                  std::string("random_forest: bad model metadata: ") + e.what());
  }
  if (model->task() == ForestTask::kClassification && num_classes < 2) {
    return Status(ErrorCode::kInternal, "random_forest: model metadata lacks num_classes");
  }
  std::vector<double> importance = model->feature_importances();
  return std::unique_ptr<Model>(std::make_unique<RandomForestModel>(
      std::move(model).value(), num_classes, std::move(importance), importance_type));
}

}  // namespace traind::algorithms
