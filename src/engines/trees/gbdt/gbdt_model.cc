// GbdtModel: a loaded or trained LightGBM-compatible model; prediction follows LightGBM's
// GBDT::PredictRaw (per class, trees summed in iteration order from 0.0) and the
// objectives' ConvertOutput.
//
// Threads: prediction splits the rows into fixed blocks; each row's sum is computed by one
// thread in the same order, so results do not depend on the thread count.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/flat_forest.h"
#include "engines/trees/gbdt/gbdt_model_data.h"
#include "engines/trees/gbdt/model_text.h"

namespace traind::engines::trees {
namespace {

constexpr int64_t kPredictRowsPerBlock = 256;
constexpr int64_t kRowsForFlatForest = 32;

enum class OutputTransform { kIdentity, kSigmoid, kSoftmax, kSigmoidPerClass, kExp, kSignedSquare };

struct Transform {
  OutputTransform kind = OutputTransform::kIdentity;
  double sigmoid = 1.0;
};

// The transform an objective line implies (LightGBM's ConvertOutput), e.g.
// "binary sigmoid:1", "multiclass num_class:5", "multiclassova num_class:3 sigmoid:1".
Transform transform_of(std::string_view objective) {
  Transform transform;
  const size_t space = objective.find(' ');
  const std::string_view name = objective.substr(0, space);
  const size_t sigmoid_at = objective.find("sigmoid:");
  if (sigmoid_at != std::string_view::npos) {
    transform.sigmoid = std::strtod(std::string(objective.substr(sigmoid_at + 8)).c_str(), nullptr);
  }
  if (name == "binary") {
    transform.kind = OutputTransform::kSigmoid;
  } else if (name == "multiclass") {
    transform.kind = OutputTransform::kSoftmax;
  } else if (name == "multiclassova") {
    transform.kind = OutputTransform::kSigmoidPerClass;
  } else if (name == "cross_entropy") {
    transform.kind = OutputTransform::kSigmoid;
    transform.sigmoid = 1.0;
  } else if (name == "poisson" || name == "gamma" || name == "tweedie") {
    transform.kind = OutputTransform::kExp;
  } else if (objective.find(" sqrt") != std::string_view::npos) {
    // Regression objectives trained with reg_sqrt ("regression sqrt") square back.
    transform.kind = OutputTransform::kSignedSquare;
  }
  return transform;
}

void apply_transform(const Transform& transform, double* scores, int num_class) {
  switch (transform.kind) {
    case OutputTransform::kIdentity:
      return;
    case OutputTransform::kSigmoid:
    case OutputTransform::kSigmoidPerClass:
      // LightGBM writes 1.0f / (1.0f + exp(-sigmoid * x)); the arithmetic is double.
      for (int k = 0; k < num_class; ++k) {
        scores[k] = 1.0 / (1.0 + std::exp(-transform.sigmoid * scores[k]));
      }
      return;
    case OutputTransform::kSignedSquare:
      for (int k = 0; k < num_class; ++k) {
        scores[k] = static_cast<double>((scores[k] > 0) - (scores[k] < 0)) * scores[k] * scores[k];
      }
      return;
    case OutputTransform::kExp:
      for (int k = 0; k < num_class; ++k) scores[k] = std::exp(scores[k]);
      return;
    case OutputTransform::kSoftmax: {
      // Common::Softmax: subtract the maximum, exponentiate, sum in class order, divide.
      double max_score = scores[0];
      for (int k = 1; k < num_class; ++k) max_score = std::max(scores[k], max_score);
      double sum = 0.0;
      for (int k = 0; k < num_class; ++k) {
        scores[k] = std::exp(scores[k] - max_score);
        sum += scores[k];
      }
      for (int k = 0; k < num_class; ++k) scores[k] /= sum;
      return;
    }
  }
}

int iterations_to_use(const detail::GbdtModelData& data, int num_iterations) {
  const int available = static_cast<int>(data.trees.size()) / data.num_tree_per_iteration;
  return num_iterations > 0 ? std::min(num_iterations, available) : available;
}

template <typename Task>
void for_each_block(int64_t num_rows, const Task& task) {
  const int64_t num_blocks = (num_rows + kPredictRowsPerBlock - 1) / kPredictRowsPerBlock;
  const int threads = static_cast<int>(std::min<int64_t>(
      std::max(1u, std::thread::hardware_concurrency()), std::max<int64_t>(num_blocks, 1)));
  std::atomic<int64_t> next{0};
  auto worker = [&]() {
    for (int64_t block = next.fetch_add(1); block < num_blocks; block = next.fetch_add(1)) {
      const int64_t begin = block * kPredictRowsPerBlock;
      task(begin, std::min(num_rows, begin + kPredictRowsPerBlock));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

}  // namespace

GbdtModel::GbdtModel(std::shared_ptr<const detail::GbdtModelData> data) : data_(std::move(data)) {}

Result<GbdtModel> GbdtModel::from_text(std::string_view text) {
  Result<detail::GbdtModelData> parsed = detail::parse_model_text(text);
  if (!parsed.is_ok()) return parsed.status();
  return GbdtModel(std::make_shared<const detail::GbdtModelData>(std::move(parsed).value()));
}

std::string GbdtModel::to_text() const { return detail::write_model_text(*data_); }

int GbdtModel::num_features() const { return data_->max_feature_idx + 1; }
const std::vector<std::string>& GbdtModel::feature_names() const { return data_->feature_names; }
int GbdtModel::num_class() const { return data_->num_class; }
int GbdtModel::num_tree_per_iteration() const { return data_->num_tree_per_iteration; }
int GbdtModel::num_iterations() const {
  return static_cast<int>(data_->trees.size()) / data_->num_tree_per_iteration;
}
int GbdtModel::best_iteration() const { return data_->best_iteration; }
std::string_view GbdtModel::objective() const { return data_->objective; }

void GbdtModel::predict_raw(const FeatureMatrix& x, std::span<double> out,
                            int num_iterations) const {
  const detail::GbdtModelData& data = *data_;
  const int k_trees = data.num_tree_per_iteration;
  const int iterations = iterations_to_use(data, num_iterations);
  if (x.num_columns < num_features()) {
    // The trees would read past the matrix; there is no score to give (callers check the
    // column count first, as LightGBM does).
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
    return;
  }
  std::fill(out.begin(), out.end(), 0.0);
  const int num_trees = iterations * k_trees;
  if (num_trees == 0 || x.num_rows == 0) return;
  if (x.num_rows < kRowsForFlatForest) {
    // A few rows do not repay flattening the trees: walk them directly (same leaves).
    for (int64_t row = 0; row < x.num_rows; ++row) {
      for (int t = 0; t < num_trees; ++t) {
        out[row * k_trees + t % k_trees] += data.trees[t].predict(x, row);
      }
    }
    return;
  }
  const detail::FlatForest forest(data, num_trees);
  const int stride = num_features();
  for_each_block(x.num_rows, [&](int64_t begin, int64_t end) {
    // The block's rows, row-major, so that a row's features sit together; then tree-major so
    // that each tree stays in cache. Every row still adds its trees in iteration order.
    std::vector<double> rows(static_cast<size_t>(end - begin) * stride);
    for (int c = 0; c < stride; ++c) {
      const double* column = x.values + static_cast<int64_t>(c) * x.num_rows;
      for (int64_t r = begin; r < end; ++r) rows[(r - begin) * stride + c] = column[r];
    }
    forest.prepare_rows(rows.data(), end - begin, stride);
    double* block_out = out.data() + begin * k_trees;
    for (int t = 0; t < num_trees; ++t) {
      forest.add_tree(t, rows.data(), end - begin, stride, block_out + t % k_trees, k_trees);
    }
  });
}

void GbdtModel::predict(const FeatureMatrix& x, std::span<double> out, int num_iterations) const {
  predict_raw(x, out, num_iterations);
  const Transform transform = transform_of(data_->objective);
  if (transform.kind == OutputTransform::kIdentity) return;
  const int k_trees = data_->num_tree_per_iteration;
  for (int64_t row = 0; row < x.num_rows; ++row) {
    apply_transform(transform, out.data() + row * k_trees, k_trees);
  }
}

std::vector<double> GbdtModel::feature_importance(GbdtImportanceType type,
                                                  int num_iterations) const {
  return detail::compute_feature_importance(*data_, type, num_iterations);
}

}  // namespace traind::engines::trees
