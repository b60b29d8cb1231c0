// Target encoding: label order, class indices, dropped rows.
#include "train/target.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

namespace traind::train {
namespace {

std::optional<double> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || std::isnan(v)) return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string> sort_labels(std::vector<std::string> labels) {
  std::vector<std::pair<double, std::string>> numeric;
  for (const auto& l : labels) {
    auto v = parse_number(l);
    if (!v) {
      std::sort(labels.begin(), labels.end());
      return labels;
    }
    numeric.emplace_back(*v, l);
  }
  std::sort(numeric.begin(), numeric.end());
  for (size_t i = 0; i < numeric.size(); ++i) labels[i] = numeric[i].second;
  return labels;
}

Result<EncodedTarget> encode_target(const data::Column& target, algorithms::Task task) {
  EncodedTarget out;
  const size_t n = target.size();
  for (size_t r = 0; r < n; ++r) {
    if (target.is_missing(r)) {
      ++out.dropped_rows;
    } else {
      out.rows.push_back(r);
    }
  }
  if (out.rows.empty()) {
    return Status(ErrorCode::kDataError,
                  "the target column '" + target.name + "' has no values: every row is missing it");
  }
  out.y.reserve(out.rows.size());
  if (task == algorithms::Task::kClassification) {
    std::set<std::string> distinct;
    for (size_t r : out.rows) distinct.insert(target.text(r));
    out.labels = sort_labels({distinct.begin(), distinct.end()});
    std::map<std::string, float> index;
    for (size_t i = 0; i < out.labels.size(); ++i) index[out.labels[i]] = static_cast<float>(i);
    for (size_t r : out.rows) out.y.push_back(index.at(target.text(r)));
    return out;
  }
  for (size_t r : out.rows) {
    if (target.storage == data::StorageType::kNumber) {
      out.values.push_back(target.numbers[r]);
      out.y.push_back(static_cast<float>(target.numbers[r]));
      continue;
    }
    auto v = parse_number(target.strings[r]);
    if (!v) {
      return Status(ErrorCode::kDataError, "the regression target '" + target.name + "' holds '" +
                                               target.strings[r] + "', which is not a number");
    }
    out.values.push_back(*v);
    out.y.push_back(static_cast<float>(*v));
  }
  return out;
}

}  // namespace traind::train
