// ColumnMajorMatrix: a pipeline Matrix (row-major float) copied into the column-major
// doubles the tree engines read. float -> double is exact, so the engines see the same
// numbers the other adapters see.
#pragma once

#include <vector>

#include "algorithms/trainer.h"
#include "engines/trees/feature_matrix.h"

namespace traind::algorithms {

class ColumnMajorMatrix {
 public:
  explicit ColumnMajorMatrix(const Matrix& x);
  engines::trees::FeatureMatrix view() const {
    return {values_.data(), static_cast<int64_t>(rows_), static_cast<int>(cols_)};
  }

 private:
  std::vector<double> values_;
  size_t rows_;
  size_t cols_;
};

}  // namespace traind::algorithms
