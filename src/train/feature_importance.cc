// Summing encoded importances back to input columns.
#include "train/feature_importance.h"

#include <cmath>

namespace traind::train {

nlohmann::json importance_by_column(const std::vector<double>& encoded,
                                    const std::vector<size_t>& sources,
                                    const std::vector<std::string>& column_names) {
  std::vector<double> per_column(column_names.size(), 0.0);
  for (size_t i = 0; i < encoded.size() && i < sources.size(); ++i) {
    const double v = encoded[i];
    if (std::isfinite(v) && v > 0) per_column[sources[i]] += v;
  }
  double total = 0;
  for (double v : per_column) total += v;
  nlohmann::json out = nlohmann::json::object();
  for (size_t c = 0; c < column_names.size(); ++c) {
    out[column_names[c]] =
        total > 0 ? per_column[c] / total : 1.0 / static_cast<double>(column_names.size());
  }
  return out;
}

}  // namespace traind::train
