// Target: the label column turned into the y a trainer sees.
//
// Classification labels are the distinct non-missing values as text (Column::text),
// sorted numerically when every label reads as a number, else lexicographically; a
// label's position in that order is its class index. Regression targets are numbers.
// Rows whose target is missing are left out. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "core/status.h"
#include "data/table.h"

namespace traind::train {

struct EncodedTarget {
  std::vector<size_t> rows;         // table rows with a target, ascending
  std::vector<float> y;             // per kept row: class index or value
  std::vector<double> values;       // regression: per kept row, the exact value (for metrics)
  std::vector<std::string> labels;  // classification: class index -> label
  size_t dropped_rows = 0;          // rows with a missing target
};

// kDataError when a regression target holds text that is not a number, or when no row
// has a target.
Result<EncodedTarget> encode_target(const data::Column& target, algorithms::Task task);

// The labels in class order: numeric order when all parse as numbers, else byte order.
std::vector<std::string> sort_labels(std::vector<std::string> labels);

}  // namespace traind::train
