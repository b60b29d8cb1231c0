// ForestModel: accessors and prediction (scikit-learn 1.2's predict / predict_proba: the mean
// of the trees' normalised leaf class counts, or of their leaf values).
#include <algorithm>
#include <thread>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_training_set.h"

namespace traind::engines::trees {
namespace {

const std::vector<double>& empty_vector() {
  static const std::vector<double> kEmpty;
  return kEmpty;
}

// Rows predicted together: their float32 features fit in L1/L2 and each tree's upper nodes
// stay cached while the block walks it.
constexpr int64_t kPredictBlockRows = 128;

// Per row: sum over trees (in tree order) of the leaf's normalised class counts or value,
// divided by the number of trees. Row blocks run in parallel; each row's sum is sequential,
// so results do not depend on the thread count.
std::vector<double> mean_tree_output(const detail::ForestModelData& model, const FeatureMatrix& x) {
  const int width = model.classes.empty() ? 1 : static_cast<int>(model.classes.size());
  const bool classification = !model.classes.empty();
  const int p = model.n_features;
  std::vector<double> out(static_cast<size_t>(x.num_rows) * width, 0.0);
  const int64_t n = x.num_rows;
  const int64_t blocks = (n + kPredictBlockRows - 1) / kPredictBlockRows;
  const int threads = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>(std::thread::hardware_concurrency(), (n + 4095) / 4096)));
  auto run = [&](int t) {
    std::vector<float> block(kPredictBlockRows * p);  // row-major copy of the block
    for (int64_t b = t; b < blocks; b += threads) {
      const int64_t begin = b * kPredictBlockRows;
      const int64_t rows = std::min(kPredictBlockRows, n - begin);
      for (int f = 0; f < p; ++f) {
        const double* column = x.values + static_cast<int64_t>(f) * n + begin;
        for (int64_t i = 0; i < rows; ++i) block[i * p + f] = static_cast<float>(column[i]);
      }
      for (const detail::ForestTree& tree : model.trees) {
        for (int64_t i = 0; i < rows; ++i) {
          const float* row = block.data() + i * p;
          const int leaf = tree.find_leaf([row](int f) { return row[f]; });
          detail::add_leaf_output(tree, leaf, classification, out.data() + (begin + i) * width);
        }
      }
      for (int64_t i = begin * width; i < (begin + rows) * width; ++i) {
        out[i] /= static_cast<double>(model.trees.size());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (std::thread& thread : pool) thread.join();
  return out;
}

}  // namespace

namespace detail {

void add_tree_output(const ForestTree& tree, const FeatureMatrix& x, bool classification,
                     double* out) {
  for (int64_t i = 0; i < x.num_rows; ++i) {
    const int leaf = tree.find_leaf([&x, i](int f) { return static_cast<float>(x.at(i, f)); });
    add_leaf_output(tree, leaf, classification, out + i * tree.value_width);
  }
}

}  // namespace detail

ForestTask ForestModel::task() const {
  return data_ ? data_->config.task : ForestTask::kClassification;
}
int ForestModel::n_features() const { return data_ ? data_->n_features : 0; }
int ForestModel::num_trees() const { return data_ ? static_cast<int>(data_->trees.size()) : 0; }
const std::vector<double>& ForestModel::classes() const {
  return data_ ? data_->classes : empty_vector();
}
const std::vector<std::string>& ForestModel::feature_names() const {
  static const std::vector<std::string> kNone;
  return data_ ? data_->feature_names : kNone;
}
const std::vector<double>& ForestModel::feature_importances() const {
  return data_ ? data_->feature_importances : empty_vector();
}
std::optional<double> ForestModel::oob_score() const {
  return data_ ? data_->oob_score : std::nullopt;
}
const std::vector<std::string>& ForestModel::warnings() const {
  static const std::vector<std::string> kNone;
  return data_ ? data_->warnings : kNone;
}
const std::vector<double>& ForestModel::oob_decision() const {
  return data_ ? data_->oob_decision : empty_vector();
}

Result<std::vector<double>> ForestModel::predict_proba(const FeatureMatrix& x) const {
  if (!data_ || data_->trees.empty()) {
    return Status(ErrorCode::kInternal, "predict_proba on an empty forest");
  }
  if (data_->classes.empty()) {
    return Status(ErrorCode::kInvalidConfig, "predict_proba needs a classification forest");
  }
  TRAIND_RETURN_IF_ERROR(detail::check_prediction_matrix(x, data_->n_features));
  return mean_tree_output(*data_, x);
}

Result<std::vector<double>> ForestModel::predict(const FeatureMatrix& x) const {
  if (!data_ || data_->trees.empty()) {
    return Status(ErrorCode::kInternal, "predict on an empty forest");
  }
  TRAIND_RETURN_IF_ERROR(detail::check_prediction_matrix(x, data_->n_features));
  std::vector<double> mean = mean_tree_output(*data_, x);
  if (data_->classes.empty()) return mean;
  const int k = static_cast<int>(data_->classes.size());
  std::vector<double> labels(x.num_rows);
  for (int64_t r = 0; r < x.num_rows; ++r) {
    const double* p = mean.data() + r * k;
    labels[r] = data_->classes[std::max_element(p, p + k) - p];
  }
  return labels;
}

}  // namespace traind::engines::trees
