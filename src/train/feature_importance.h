// Feature importance per original column: encoded features' importances summed back to
// the column they came from (one-hot parts, datetime parts) and normalised to sum 1.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traind::train {

// encoded[i] belongs to column_names[sources[i]]. Negative or NaN importances count as 0;
// when every importance is 0 each column gets an equal share. Returns {column: share}.
nlohmann::json importance_by_column(const std::vector<double>& encoded,
                                    const std::vector<size_t>& sources,
                                    const std::vector<std::string>& column_names);

}  // namespace traind::train
