// Column statistics for data_summary.
#include "train/data_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace traind::train {

nlohmann::json summarize_column(const data::Column& column, ColumnType type,
                                const std::vector<size_t>& rows) {
  nlohmann::json s = {{"type", column_type_name(type)}};
  size_t missing = 0;
  for (size_t r : rows) missing += column.is_missing(r) ? 1 : 0;
  s["missing"] = missing;
  if (type == ColumnType::kNumeric || type == ColumnType::kBoolean) {
    double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::vector<double> values;
    values.reserve(rows.size());
    for (size_t r : rows) {
      if (column.is_missing(r)) continue;
      double v;
      if (column.storage == data::StorageType::kNumber) {
        v = column.numbers[r];
      } else {
        auto b = parse_boolean_text(column.strings[r]);
        if (!b) continue;
        v = *b;
      }
      values.push_back(v);
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (!values.empty()) {
      const double mean = sum / static_cast<double>(values.size());
      double sq = 0;
      for (double v : values) sq += (v - mean) * (v - mean);
      // Sample standard deviation, as pandas' describe() shows it.
      const double sd =
          values.size() > 1 ? std::sqrt(sq / static_cast<double>(values.size() - 1)) : 0.0;
      s["mean"] = mean;
      s["std"] = sd;
      s["min"] = lo;
      s["max"] = hi;
    }
    return s;
  }
  if (type == ColumnType::kDatetime) {
    std::string first, last;
    for (size_t r : rows) {
      if (column.is_missing(r)) continue;
      const std::string v = column.text(r);
      // ISO dates order as text.
      if (first.empty() || v < first) first = v;
      if (last.empty() || v > last) last = v;
    }
    if (!first.empty()) {
      s["min"] = first;
      s["max"] = last;
    }
    return s;
  }
  std::map<std::string, size_t> counts;
  for (size_t r : rows) {
    if (!column.is_missing(r)) ++counts[column.text(r)];
  }
  std::vector<std::pair<std::string, size_t>> ordered(counts.begin(), counts.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  s["distinct"] = ordered.size();
  nlohmann::json top = nlohmann::json::array();
  for (size_t i = 0; i < ordered.size() && i < kSummaryTopValues; ++i) {
    top.push_back({{"value", ordered[i].first}, {"count", ordered[i].second}});
  }
  s["top_values"] = std::move(top);
  return s;
}

nlohmann::json class_balance(const std::vector<float>& class_index,
                             const std::vector<std::string>& labels) {
  std::vector<size_t> counts(labels.size(), 0);
  for (float c : class_index) ++counts[static_cast<size_t>(c)];
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < labels.size(); ++i) out[labels[i]] = counts[i];
  return out;
}

}  // namespace traind::train
