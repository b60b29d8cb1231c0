// XgboostModel: prediction, importance, save and load of an XGBoost booster.
#include "algorithms/xgboost_model.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <unordered_map>

#include "algorithms/dataset_checks.h"

namespace traind::algorithms {
namespace {

const char* task_name(Task task) {
  return task == Task::kClassification ? "classification" : "regression";
}

// Feature importance as XGBoost's sklearn API computes it, mapped back to columns: the
// scores come keyed by feature name ("f<i>" when the booster has no names), and a feature
// no split uses is absent, hence 0.
Result<std::vector<double>> total_gain_by_column(BoosterHandle booster,
                                                 const std::vector<std::string>& names,
                                                 size_t num_features) {
  bst_ulong n_out = 0;
  const char** out_features = nullptr;
  bst_ulong out_dim = 0;
  const bst_ulong* out_shape = nullptr;
  const float* out_scores = nullptr;
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterFeatureScore(booster, R"({"importance_type": "total_gain"})", &n_out,
                                           &out_features, &out_dim, &out_shape, &out_scores),
                     "computing feature importance"));
  std::unordered_map<std::string, size_t> column_of;
  for (size_t i = 0; i < names.size(); ++i) column_of.emplace(names[i], i);
  std::vector<double> importance(num_features, 0.0);
  // Multi-output importance has one score per output; total_gain of trees is 1-D.
  const size_t per_feature = out_dim == 2 ? out_shape[1] : 1;
  for (bst_ulong i = 0; i < n_out; ++i) {
    const std::string name = out_features[i];
    size_t column = num_features;
    if (auto it = column_of.find(name); it != column_of.end()) {
      column = it->second;
    } else if (name.size() > 1 && name[0] == 'f') {
      column = std::strtoul(name.c_str() + 1, nullptr, 10);
    }
    if (column >= num_features) continue;
    for (size_t k = 0; k < per_feature; ++k) {
      importance[column] += out_scores[i * per_feature + k];
    }
  }
  return importance;
}

}  // namespace

Result<std::unique_ptr<XgboostModel>> XgboostModel::create(BoosterPtr booster, Task task,
                                                           int num_classes,
                                                           std::vector<std::string> feature_names,
                                                           std::optional<int> best_iteration) {
  std::unique_ptr<XgboostModel> model(new XgboostModel(std::move(booster), task, num_classes,
                                                       std::move(feature_names), best_iteration));
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterBoostedRounds(model->booster_.get(), &model->boosted_rounds_),
                     "reading the number of boosted rounds"));
  TRAIND_RETURN_IF_ERROR(model->compute_importance());
  return model;
}

Status XgboostModel::compute_importance() {
  BoosterHandle scored = booster_.get();
  BoosterPtr slice;
  // Only the trees predict() uses count: slice off those after best_iteration.
  if (best_iteration_ && *best_iteration_ + 1 < boosted_rounds_) {
    BoosterHandle h = nullptr;
    TRAIND_RETURN_IF_ERROR(
        xgboost_status(XGBoosterSlice(booster_.get(), 0, *best_iteration_ + 1, 1, &h),
                       "slicing the trees up to best_iteration"));
    slice.reset(h);
    scored = h;
  }
  Result<std::vector<double>> importance =
      total_gain_by_column(scored, feature_names_, feature_names_.size());
  if (!importance) return importance.status();
  importance_ = std::move(importance).value();
  return Status::ok();
}

Result<std::vector<double>> XgboostModel::predict(const Matrix& x) const {
  TRAIND_RETURN_IF_ERROR(check_prediction_input(x, feature_names_.size()));
  const size_t outputs = task_ == Task::kClassification ? static_cast<size_t>(num_classes_) : 1;
  if (x.rows == 0) return std::vector<double>();

  // NumPy's __array_interface__, which XGBoost reads for dense input. "NaN" is not JSON
  // but XGBoost's parser takes it, as the Python package relies on.
  const std::string array =
      fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                  reinterpret_cast<std::uintptr_t>(x.values.data()), x.rows, x.cols);
  const int iteration_end = best_iteration_ ? *best_iteration_ + 1 : 0;
  const std::string config =
      fmt::format(R"({{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": {}, )"
                  R"("strict_shape": true, "missing": NaN, "cache_id": 0}})",
                  iteration_end);

  std::lock_guard<std::mutex> lock(mutex_);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterPredictFromDense(booster_.get(), array.c_str(), config.c_str(),
                                               nullptr, &shape, &dim, &result),
                     "predicting"));
  size_t produced = 1;
  for (bst_ulong d = 0; d < dim; ++d) produced *= shape[d];
  const bool binary = task_ == Task::kClassification && num_classes_ == 2;
  const size_t expected = x.rows * (binary ? 1 : outputs);
  if (produced != expected) {
    return Status(
        ErrorCode::kTrainingError,
        fmt::format("xgboost: prediction has {} values, expected {}", produced, expected));
  }
  std::vector<double> out(x.rows * outputs);
  if (binary) {
    // binary:logistic gives P(class 1); the interface wants both columns.
    for (size_t r = 0; r < x.rows; ++r) {
      out[2 * r] = 1.0 - result[r];
      out[2 * r + 1] = result[r];
    }
  } else {
    for (size_t i = 0; i < out.size(); ++i) out[i] = result[i];
  }
  return out;
}

Status XgboostModel::save(const std::string& dir) const {
  const std::string path = (std::filesystem::path(dir) / kXgboostArtifactFile).string();
  std::lock_guard<std::mutex> lock(mutex_);
  // The .json extension selects XGBoost's JSON model format.
  return xgboost_status(XGBoosterSaveModel(booster_.get(), path.c_str()),
                        "saving the model to " + path);
}

nlohmann::json XgboostModel::metadata() const {
  nlohmann::json meta = {
      {"type", task_ == Task::kClassification ? "XGBClassifier" : "XGBRegressor"},
      {"architecture", "gradient_boosted_trees"},
      {"task", task_name(task_)},
      {"num_classes", task_ == Task::kClassification ? num_classes_ : 0},
      {"num_features", feature_names_.size()},
      {"feature_names", feature_names_},
      {"boosted_rounds", boosted_rounds_},
      {"best_iteration", nullptr},
  };
  if (best_iteration_) meta["best_iteration"] = *best_iteration_;
  return meta;
}

Result<std::unique_ptr<Model>> XgboostModel::load(const std::string& dir,
                                                  const nlohmann::json& meta) {
  const std::string path = (std::filesystem::path(dir) / kXgboostArtifactFile).string();
  if (!std::filesystem::exists(path)) {
    return Status(ErrorCode::kNotFound, "xgboost: no model file at " + path);
  }
  Task task = Task::kClassification;
  int num_classes = 0;
  try {
    task = meta.value("task", std::string("classification")) == "regression"
               ? Task::kRegression
               : Task::kClassification;
    num_classes = meta.value("num_classes", 0);
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal, std::string("xgboost: bad model metadata: ") + e.what());
  }
  BoosterHandle h = nullptr;
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterCreate(nullptr, 0, &h), "creating a booster", ErrorCode::kInternal));
  BoosterPtr booster(h);
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterLoadModel(h, path.c_str()), "loading " + path, ErrorCode::kInternal));

  bst_ulong num_features = 0;
  TRAIND_RETURN_IF_ERROR(xgboost_status(XGBoosterGetNumFeature(h, &num_features),
                                        "reading the number of features", ErrorCode::kInternal));
  std::vector<std::string> names;
  bst_ulong n_names = 0;
  const char** c_names = nullptr;
  TRAIND_RETURN_IF_ERROR(
      xgboost_status(XGBoosterGetStrFeatureInfo(h, "feature_name", &n_names, &c_names),
                     "reading feature names", ErrorCode::kInternal));
  for (bst_ulong i = 0; i < n_names; ++i) names.emplace_back(c_names[i]);
  if (names.size() != num_features) {
    names.clear();
    for (bst_ulong i = 0; i < num_features; ++i) names.push_back(fmt::format("f{}", i));
  }

  // The attribute is what XGBoost's own APIs read, so it wins over the metadata.
  std::optional<int> best_iteration;
  const char* attr = nullptr;
  int found = 0;
  TRAIND_RETURN_IF_ERROR(xgboost_status(XGBoosterGetAttr(h, "best_iteration", &attr, &found),
                                        "reading best_iteration", ErrorCode::kInternal));
  if (found && attr != nullptr) best_iteration = std::atoi(attr);

  if (task == Task::kClassification && num_classes < 2) {
    return Status(ErrorCode::kInternal, "xgboost: model metadata lacks num_classes");
  }
  Result<std::unique_ptr<XgboostModel>> model =
      create(std::move(booster), task, num_classes, std::move(names), best_iteration);
  if (!model) return model.status();
  return std::unique_ptr<Model>(std::move(model).value());
}

}  // namespace traind::algorithms
