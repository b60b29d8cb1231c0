// FeatureMatrix: the read-only view of a dense numeric table that both tree engines train on
// and predict from.
//
// Column-major because training reads a column at a time (binning, sorting); prediction reads
// a row through at(). NaN marks a missing value. The matrix does not own its values.
#pragma once

#include <cstdint>

namespace traind::engines::trees {

struct FeatureMatrix {
  const double* values = nullptr;  // column c, row r at values[c * num_rows + r]
  int64_t num_rows = 0;
  int num_columns = 0;

  double at(int64_t row, int column) const {
    return values[static_cast<int64_t>(column) * num_rows + row];
  }
};

}  // namespace traind::engines::trees
