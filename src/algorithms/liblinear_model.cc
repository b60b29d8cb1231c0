// LogisticRegressionModel: prediction, importance, save and load of a liblinear model.
#include "algorithms/liblinear_model.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "algorithms/dataset_checks.h"

namespace traind::algorithms {
namespace {

void print_nothing(const char*) {}

}  // namespace

void silence_liblinear() { set_print_string_function(&print_nothing); }

LiblinearRows to_liblinear_rows(const Matrix& x, double bias) {
  LiblinearRows out;
  out.nodes.reserve(x.values.size() + x.rows * 2);
  std::vector<size_t> starts;
  starts.reserve(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    starts.push_back(out.nodes.size());
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) {
      if (row[c] != 0.0f) out.nodes.push_back({static_cast<int>(c + 1), row[c]});
    }
    if (bias >= 0) out.nodes.push_back({static_cast<int>(x.cols + 1), bias});
    out.nodes.push_back({-1, 0.0});
  }
  // Pointers are taken once the node vector has stopped growing.
  out.rows.reserve(x.rows);
  for (size_t start : starts) out.rows.push_back(out.nodes.data() + start);
  return out;
}

LogisticRegressionModel::LogisticRegressionModel(LiblinearModelPtr model, int num_classes,
                                                 std::vector<std::string> feature_names)
    : model_(std::move(model)),
      num_classes_(num_classes),
      feature_names_(std::move(feature_names)) {
  if (feature_names_.empty()) {
    for (int i = 0; i < get_nr_feature(model_.get()); ++i) {
      feature_names_.push_back(fmt::format("f{}", i));
    }
  }
}

Result<std::vector<double>> LogisticRegressionModel::predict(const Matrix& x) const {
  TRAIND_RETURN_IF_ERROR(check_prediction_input(x, feature_names_.size()));
  const int nr_class = get_nr_class(model_.get());
  std::vector<int> labels(nr_class);
  get_labels(model_.get(), labels.data());
  std::vector<double> out(x.rows * num_classes_, 0.0);
  std::vector<double> probabilities(nr_class);
  std::vector<feature_node> nodes;
  for (size_t r = 0; r < x.rows; ++r) {
    nodes.clear();
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) {
      if (row[c] != 0.0f) nodes.push_back({static_cast<int>(c + 1), row[c]});
    }
    if (model_->bias >= 0) nodes.push_back({static_cast<int>(x.cols + 1), model_->bias});
    nodes.push_back({-1, 0.0});
    predict_probability(model_.get(), nodes.data(), probabilities.data());
    // liblinear orders classes by first appearance in the training data; a class absent
    // from it gets probability 0.
    for (int j = 0; j < nr_class; ++j) {
      if (labels[j] >= 0 && labels[j] < num_classes_) {
        out[r * num_classes_ + labels[j]] = probabilities[j];
      }
    }
  }
  return out;
}

std::pair<int, double> LogisticRegressionModel::decision_function_of(int class_index) const {
  const int nr_class = get_nr_class(model_.get());
  std::vector<int> labels(nr_class);
  get_labels(model_.get(), labels.data());
  if (nr_class == 2) {
    // One decision function, positive for liblinear's first label.
    return {0, labels[0] == class_index ? 1.0 : -1.0};
  }
  for (int j = 0; j < nr_class; ++j) {
    if (labels[j] == class_index) return {j, 1.0};
  }
  return {-1, 0.0};
}

double LogisticRegressionModel::coefficient(int class_index, size_t feature) const {
  auto [index, sign] = decision_function_of(class_index);
  if (index < 0) return 0.0;
  const int nr_class = get_nr_class(model_.get());
  const int nr_w = nr_class == 2 ? 1 : nr_class;
  return sign * model_->w[feature * nr_w + index];
}

double LogisticRegressionModel::intercept(int class_index) const {
  if (model_->bias < 0) return 0.0;
  auto [index, sign] = decision_function_of(class_index);
  if (index < 0) return 0.0;
  const int nr_class = get_nr_class(model_.get());
  const int nr_w = nr_class == 2 ? 1 : nr_class;
  return sign * model_->bias * model_->w[feature_names_.size() * nr_w + index];
}

std::vector<double> LogisticRegressionModel::feature_importance() const {
  const int nr_class = get_nr_class(model_.get());
  const int nr_w = nr_class == 2 ? 1 : nr_class;
  std::vector<double> importance(feature_names_.size(), 0.0);
  for (size_t f = 0; f < importance.size(); ++f) {
    for (int j = 0; j < nr_w; ++j) importance[f] += std::abs(model_->w[f * nr_w + j]);
  }
  return importance;
}

Status LogisticRegressionModel::save(const std::string& dir) const {
  const std::string path = (std::filesystem::path(dir) / kLiblinearArtifactFile).string();
  if (save_model(path.c_str(), model_.get()) != 0) {
    return Status(ErrorCode::kInternal, "liblinear: cannot write the model to " + path);
  }
  return Status::ok();
}

nlohmann::json LogisticRegressionModel::metadata() const {
  return {
      {"type", "LogisticRegression"},
      {"architecture", "linear_model"},
      {"task", "classification"},
      {"num_classes", num_classes_},
      {"num_features", feature_names_.size()},
      {"feature_names", feature_names_},
      {"penalty", model_->param.solver_type == L1R_LR ? "l1" : "l2"},
  };
}

Result<std::unique_ptr<Model>> LogisticRegressionModel::load(const std::string& dir,
                                                             const nlohmann::json& meta) {
  const std::string path = (std::filesystem::path(dir) / kLiblinearArtifactFile).string();
  if (!std::filesystem::exists(path)) {
    return Status(ErrorCode::kNotFound, "liblinear: no model file at " + path);
  }
  silence_liblinear();
  LiblinearModelPtr model(::load_model(path.c_str()));
  if (!model) return Status(ErrorCode::kInternal, "liblinear: cannot load " + path);
  int num_classes = 0;
  std::vector<std::string> names;
  try {
    num_classes = meta.value("num_classes", 0);
    names = meta.value("feature_names", std::vector<std::string>());
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal, std::string("liblinear: bad model metadata: ") + e.what());
  }
  if (num_classes < 2) {
    // Without metadata the classes are the labels liblinear saw, 0..max.
    std::vector<int> labels(get_nr_class(model.get()));
    get_labels(model.get(), labels.data());
    for (int l : labels) num_classes = std::max(num_classes, l + 1);
    num_classes = std::max(num_classes, 2);
  }
  if (!names.empty() && names.size() != static_cast<size_t>(get_nr_feature(model.get()))) {
    return Status(ErrorCode::kInternal,
                  fmt::format("liblinear: the model has {} features, its metadata names {}",
                              get_nr_feature(model.get()), names.size()));
  }
  return std::unique_ptr<Model>(
      std::make_unique<LogisticRegressionModel>(std::move(model), num_classes, std::move(names)));
}

}  // namespace traind::algorithms
