#include "algorithms/column_major_matrix.h"

namespace traind::algorithms {

ColumnMajorMatrix::ColumnMajorMatrix(const Matrix& x)
    : values_(x.rows * x.cols), rows_(x.rows), cols_(x.cols) {
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) values_[c * x.rows + r] = row[c];
  }
}

}  // namespace traind::algorithms
