// Trainer and Model: the one interface every algorithm adapter implements.
//
// The training pipeline (train/) turns a table into a numeric Dataset; an adapter trains
// on it through its library and returns a Model that predicts, explains itself and saves
// in the library's native format. Adapters know nothing of jobs, tenants or HTTP.
// A Trainer is used from one thread; a trained Model may predict from several.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::algorithms {

enum class Task { kClassification, kRegression };

// A free-text feature column, one string per row (missing text is ""). Only algorithms
// whose spec says reads_text receive them; they tokenise the text themselves.
struct TextColumn {
  std::string name;
  std::vector<std::string> values;
};

// Dense row-major feature matrix after encoding; NaN marks a missing value. Text
// columns, when the algorithm reads text, ride along beside the numbers, row for row.
struct Matrix {
  std::vector<float> values;
  size_t rows = 0;
  size_t cols = 0;
  std::vector<TextColumn> texts;
  const float* row(size_t r) const { return values.data() + r * cols; }
};

struct Dataset {
  Matrix x;
  std::vector<float> y;                    // class index (0..num_classes-1) or target value
  std::vector<std::string> feature_names;  // encoded feature names, one per column of x
  // Columns of x holding category codes (0, 1, 2, ...; NaN = missing or unseen), for
  // algorithms whose spec asks for native_categorical; empty otherwise.
  std::vector<int> categorical_features;
};

struct IterationReport {
  int iteration = 0;  // 1-based
  int total_iterations = 0;
  std::map<std::string, double> metrics;  // e.g. {"train_logloss": .., "valid_logloss": ..}
  // Share of the whole training done, in (0, 1], for reports made within an iteration (a
  // long epoch's batches: `iteration` is then the epoch under way). 0: iteration /
  // total_iterations.
  double fraction_done = 0;
};

struct TrainOptions {
  Task task = Task::kClassification;
  int num_classes = 0;             // classification only
  nlohmann::json hyperparameters;  // resolved: canonical names, defaults filled
  int threads = 1;
  uint64_t seed = 0;
  // Called after each iteration (or once for single-shot solvers). Returning false asks
  // the trainer to stop early and return the model trained so far.
  std::function<bool(const IterationReport&)> on_iteration;
  // The preprocessing description (train/preprocessing.h's preprocess.json), for models
  // whose native artifact carries it (TorchScript bundles); others ignore it.
  nlohmann::json preprocessing;
};

class Model {
 public:
  virtual ~Model() = default;
  // Classification: rows * num_classes probabilities, row-major.
  // Regression: one value per row.
  virtual Result<std::vector<double>> predict(const Matrix& x) const = 0;
  // Non-negative importance per encoded feature (column of x, then one per text column),
  // not normalised. Empty: the model has none of its own, and the pipeline measures
  // permutation importance on the test part instead.
  virtual std::vector<double> feature_importance() const = 0;
  virtual std::string importance_type() const = 0;  // e.g. "total_gain", "abs_coefficient"
  // Writes the native artifact (and anything load_model needs) into `dir`.
  virtual Status save(const std::string& dir) const = 0;
  // File name, inside `dir`, of the artifact a user downloads (native format).
  virtual std::string artifact_file() const = 0;
  // What load_model needs besides the files, plus {"type", "architecture"} for the BOM.
  virtual nlohmann::json metadata() const = 0;
};

class Trainer {
 public:
  virtual ~Trainer() = default;
  // `valid` may be null. Never throws: library errors come back as a Status.
  virtual Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                               const TrainOptions& options) = 0;
};

}  // namespace traind::algorithms
