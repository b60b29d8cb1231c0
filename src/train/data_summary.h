// Data summary: what the training data looked like, for the result's data_summary.
//
// Per column: its inferred type and missing count, plus mean/std/min/max for numeric and
// boolean columns, distinct count and most frequent values for categorical and text
// columns, first and last date for datetime columns. Computed over the rows used (rows
// with a target).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/table.h"
#include "train/column_types.h"

namespace traind::train {

constexpr size_t kSummaryTopValues = 5;

nlohmann::json summarize_column(const data::Column& column, ColumnType type,
                                const std::vector<size_t>& rows);

// {label: count} over the class indices, in label order.
nlohmann::json class_balance(const std::vector<float>& class_index,
                             const std::vector<std::string>& labels);

}  // namespace traind::train
