// Small deterministic datasets and a temporary directory for the algorithms tests.
#pragma once

#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "algorithms/trainer.h"

namespace traind::algorithms::testing {

// rows x cols features drawn uniformly from [-1, 1]; y = label(row).
inline Dataset make_dataset(
    size_t rows, size_t cols, uint32_t seed,
    const std::function<float(const float* row, std::mt19937& rng)>& label) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  Dataset d;
  d.x.rows = rows;
  d.x.cols = cols;
  d.x.values.resize(rows * cols);
  for (float& v : d.x.values) v = uniform(rng);
  for (size_t r = 0; r < rows; ++r) d.y.push_back(label(d.x.row(r), rng));
  for (size_t c = 0; c < cols; ++c) d.feature_names.push_back("x" + std::to_string(c));
  return d;
}

// Class 1 where the first feature is above 0.2.
inline Dataset threshold_rule(size_t rows, uint32_t seed, size_t cols = 3) {
  return make_dataset(rows, cols, seed,
                      [](const float* x, std::mt19937&) { return x[0] > 0.2f ? 1.0f : 0.0f; });
}

// Three classes by bands of the second feature.
inline Dataset three_bands(size_t rows, uint32_t seed) {
  return make_dataset(rows, 2, seed, [](const float* x, std::mt19937&) {
    return x[1] < -0.3f ? 0.0f : (x[1] < 0.4f ? 1.0f : 2.0f);
  });
}

// A smooth regression target of the first two features plus noise.
inline Dataset smooth_target(size_t rows, uint32_t seed) {
  return make_dataset(rows, 3, seed, [](const float* x, std::mt19937& rng) {
    std::normal_distribution<float> noise(0.0f, 0.1f);
    return 3.0f * x[0] + std::sin(3.0f * x[1]) + noise(rng);
  });
}

inline TrainOptions classification(int num_classes, nlohmann::json hp = nlohmann::json::object()) {
  TrainOptions o;
  o.task = Task::kClassification;
  o.num_classes = num_classes;
  o.hyperparameters = std::move(hp);
  return o;
}

inline TrainOptions regression(nlohmann::json hp = nlohmann::json::object()) {
  TrainOptions o;
  o.task = Task::kRegression;
  o.hyperparameters = std::move(hp);
  return o;
}

inline double accuracy(const std::vector<double>& probabilities, const std::vector<float>& y,
                       int num_classes) {
  size_t correct = 0;
  for (size_t r = 0; r < y.size(); ++r) {
    int best = 0;
    for (int k = 1; k < num_classes; ++k) {
      if (probabilities[r * num_classes + k] > probabilities[r * num_classes + best]) best = k;
    }
    correct += best == static_cast<int>(y[r]);
  }
  return static_cast<double>(correct) / static_cast<double>(y.size());
}

// A fresh directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "traind-algorithms-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace traind::algorithms::testing
