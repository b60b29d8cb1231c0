// Checks every adapter runs on its input before handing it to a library.
//
// Libraries crash or silently misbehave on inconsistent shapes (a label vector shorter
// than the matrix, a class index out of range, NaN where a solver cannot take it), so
// the adapters refuse such input with a Status that says what is wrong.
#pragma once

#include <string>

#include "algorithms/trainer.h"
#include "core/status.h"

namespace traind::algorithms {

struct DatasetRequirements {
  bool allow_missing = false;  // NaN allowed in x (the library routes missing values)
};

// kDataError unless `train` (and `valid`, when not null) are consistent with each other
// and with `options` (task, num_classes). `algorithm` names the caller in messages.
Status check_training_data(const std::string& algorithm, const Dataset& train, const Dataset* valid,
                           const TrainOptions& options, DatasetRequirements requirements);

// kDataError unless `x` has `expected_cols` columns and values for every cell.
Status check_prediction_input(const Matrix& x, size_t expected_cols);

}  // namespace traind::algorithms
