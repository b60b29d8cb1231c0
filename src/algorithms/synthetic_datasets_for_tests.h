// Small deterministic datasets and a temporary directory for the algorithms tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <functional>
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
