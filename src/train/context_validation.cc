// Schema-context validation: the resolved configuration against the query's real columns.
//
// Reads nothing but the query's description and aggregate profiles of single columns
// (SqlSource::profile_column), so a large table is checked without loading it.
#include "train/context_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "algorithms/registry.h"
#include "train/forecast_validation.h"
#include "train/json_pointer.h"
#include "train/split.h"
#include "train/validation_text.h"

namespace traind::train {
namespace {

using nlohmann::json;

// More classes than this is almost always a continuous or identifier column by mistake.
constexpr int kMaxClasses = 200;
// Fewer rows with a target than this leave nothing meaningful to train and evaluate on.
constexpr int64_t kMinRows = 10;
// How many offending classes a message names before it says "and N more".
constexpr size_t kMaxNamedClasses = 5;

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// SQLite's affinity rules: a declared type naming INT, REAL, FLOA or DOUB holds numbers.
bool declared_numeric(const std::string& declared_type) {
  const std::string t = lowercase(declared_type);
  return t.find("int") != std::string::npos || t.find("real") != std::string::npos ||
         t.find("floa") != std::string::npos || t.find("doub") != std::string::npos;
}

bool identifier_name(const std::string& name) {
  const std::string n = lowercase(name);
  return n == "id" || ends_with(n, "_id") || ends_with(n, "id");
}

// A problem of the source while reading the query's data, as a detail at /dataset/query.
// kInternal is a bug, not a configuration problem: it is passed on as is.
std::optional<Status> source_problem(const Status& status, const std::string& doing,
                                     std::vector<ErrorDetail>& problems) {
  if (status.code() == ErrorCode::kInternal) return status;
  std::string message;
  switch (status.code()) {
    case ErrorCode::kTimeout:
      message = fmt::format("{}: {}; make the query cheaper or filter it", doing, status.message());
      break;
    case ErrorCode::kDatasetTooLarge:
      message = fmt::format("{}: {}", doing, status.message());
      break;
    default:
      message = status.message();
  }
  problems.push_back({"/dataset/query", message});
  return std::nullopt;
}

std::string column_list(const std::vector<data::ColumnInfo>& columns) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return join_names(names);
}

std::vector<std::string> column_names(const std::vector<data::ColumnInfo>& columns) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

std::string missing_column_message(const std::string& name,
                                   const std::vector<data::ColumnInfo>& columns) {
  std::string message = fmt::format("column '{}' is not among the query's result columns", name);
  if (auto near = closest_name(name, column_names(columns))) {
    message += fmt::format("; did you mean '{}'?", *near);
  }
  return message + fmt::format(" (available: {})", column_list(columns));
}

std::string class_list(const std::vector<std::pair<std::string, int64_t>>& classes) {
  std::vector<std::string> named;
  for (size_t i = 0; i < classes.size() && i < kMaxNamedClasses; ++i) {
    named.push_back("'" + classes[i].first + "'");
  }
  std::string text = join_names(named);
  if (classes.size() > kMaxNamedClasses) {
    text += fmt::format(" and {} more", classes.size() - kMaxNamedClasses);
  }
  return text;
}

class ContextCheck {
 public:
  ContextCheck(const json& resolved, data::SqlSource& source, const data::QueryLimits& limits)
      : resolved_(resolved), source_(source), limits_(limits) {}

  Result<json> run();

 private:
  bool check_columns();
  std::optional<Status> check_target();
  void check_classification(const data::ColumnProfile& profile, int64_t rows);
  void check_regression(const data::ColumnProfile& profile);
  void check_split(const data::ColumnProfile& profile, int64_t rows);
  std::optional<Status> fill_feature_columns(json& completed);

  const json& resolved_;
  data::SqlSource& source_;
  const data::QueryLimits& limits_;
  std::string query_;
  std::string target_;
  std::string task_;
  std::vector<data::ColumnInfo> columns_;
  std::vector<ErrorDetail> problems_;
};

Result<json> ContextCheck::run() {
  query_ = resolved_["dataset"].value("query", "");
  target_ = resolved_.value("target_column", "");
  task_ = resolved_.value("task_type", "");
  auto described = source_.describe(query_);
  if (!described.is_ok()) {
    if (auto fatal = source_problem(described.status(), "preparing the query", problems_))
      return *fatal;
    return invalid_config(std::move(problems_));
  }
  columns_ = std::move(described.value());
  if (!check_columns()) return invalid_config(std::move(problems_));
  if (task_ == "forecasting") {
    // Features of a forecast are exogenous regressors the user names; none are guessed.
    if (!problems_.empty()) return invalid_config(std::move(problems_));
    if (auto fatal = check_forecast_data(resolved_, source_, limits_, problems_)) return *fatal;
    if (!problems_.empty()) return invalid_config(std::move(problems_));
    return resolved_;
  }
  if (auto fatal = check_target()) return *fatal;
  if (!problems_.empty()) return invalid_config(std::move(problems_));

  json completed = resolved_;
  if (!resolved_.contains("feature_columns")) {
    if (auto fatal = fill_feature_columns(completed)) return *fatal;
  }
  if (!problems_.empty()) return invalid_config(std::move(problems_));
  return completed;
}

// Target and feature columns exist; false when the target is missing (nothing more to check).
bool ContextCheck::check_columns() {
  auto has = [this](const std::string& name) {
    return std::any_of(columns_.begin(), columns_.end(),
                       [&](const data::ColumnInfo& c) { return c.name == name; });
  };
  std::vector<std::string> seen;
  for (const auto& c : columns_) {
    if (std::find(seen.begin(), seen.end(), c.name) != seen.end()) {
      problems_.push_back(
          {"/dataset/query", fmt::format("the query returns more than one column "
                                         "named '{}'; give each a distinct name with AS",
                                         c.name)});
    }
    seen.push_back(c.name);
  }
  const bool target_found = has(target_);
  if (!target_found)
    problems_.push_back({"/target_column", missing_column_message(target_, columns_)});
  for (const char* field : {"time_column", "series_column"}) {
    const std::string name = resolved_.value(field, "");
    if (!name.empty() && !has(name)) {
      problems_.push_back({std::string("/") + field, missing_column_message(name, columns_)});
    }
  }
  const json features = resolved_.value("feature_columns", json::array());
  for (size_t i = 0; i < features.size(); ++i) {
    const std::string name = features[i].get<std::string>();
    const std::string path = append_pointer("/feature_columns", std::to_string(i));
    if (name == target_) {
      problems_.push_back(
          {path, fmt::format("'{}' is the target column; a feature cannot also be the "
                             "target",
                             name)});
    } else if (!has(name)) {
      problems_.push_back({path, missing_column_message(name, columns_)});
    }
  }
  return target_found;
}

std::optional<Status> ContextCheck::check_target() {
  const int max_values = task_ == "classification" ? kMaxClasses : 1;
  auto profiled = source_.profile_column(query_, target_, max_values, limits_);
  if (!profiled.is_ok()) {
    return source_problem(profiled.status(), "reading the target column", problems_);
  }
  const data::ColumnProfile& profile = profiled.value();
  // The pipeline drops rows whose target is missing.
  const int64_t rows = profile.rows - profile.missing;
  if (rows < kMinRows) {
    problems_.push_back(
        {"/dataset/query",
         fmt::format(
             "the query returns {} row(s) with a value in '{}' ({} in all); training needs at "
             "least {}",
             rows, target_, profile.rows, kMinRows)});
  }
  if (task_ == "classification") {
    check_classification(profile, rows);
  } else if (task_ == "regression") {
    check_regression(profile);
  }
  return std::nullopt;
}

void ContextCheck::check_classification(const data::ColumnProfile& profile, int64_t rows) {
  if (profile.distinct == 0) {
    problems_.push_back({"/target_column", fmt::format("'{}' has no values: every row's target is "
                                                       "missing",
                                                       target_)});
    return;
  }
  if (profile.distinct == 1) {
    problems_.push_back(
        {"/target_column",
         fmt::format(
             "'{}' has a single class ('{}' in all {} rows); classification needs at least two",
             target_, profile.value_counts.front().first, rows)});
    return;
  }
  if (profile.distinct > kMaxClasses) {
    problems_.push_back(
        {"/target_column",
         fmt::format("'{}' has {} distinct values; classification supports at most {} classes "
                     "(for a continuous numeric target use task_type \"regression\")",
                     target_, profile.distinct, kMaxClasses)});
    return;
  }
  check_split(profile, rows);
}

void ContextCheck::check_regression(const data::ColumnProfile& profile) {
  if (profile.text > 0) {
    problems_.push_back(
        {"/target_column",
         fmt::format("'{}' holds text ({} of {} values); regression needs a numeric target "
                     "(for class labels use task_type \"classification\")",
                     target_, profile.text, profile.text + profile.numeric)});
    return;
  }
  if (profile.distinct < 2) {
    problems_.push_back(
        {"/target_column", fmt::format("'{}' has {} distinct value(s); regression needs "
                                       "a target that varies",
                                       target_, profile.distinct)});
    return;
  }
  check_split(profile, profile.rows - profile.missing);
}

void ContextCheck::check_split(const data::ColumnProfile& profile, int64_t rows) {
  if (rows < kMinRows) return;  // already reported; split sizes would only repeat it
  const json& split = resolved_["split"];
  const double test_size = split.value("test_size", 0.2);
  auto sizes = split_sizes(static_cast<size_t>(rows), test_size);
  if (!sizes.is_ok()) {
    problems_.push_back({"/split/test_size", fmt::format("test_size {} of {} rows: {}", test_size,
                                                         rows, sizes.status().message())});
    return;
  }
  if (split.value("strategy", "") != "stratified" || task_ != "classification") return;

  std::vector<std::pair<std::string, int64_t>> singletons;
  for (const auto& [label, count] : profile.value_counts) {
    if (count < 2) singletons.emplace_back(label, count);
  }
  if (!singletons.empty()) {
    problems_.push_back(
        {"/split",
         fmt::format("class {} of '{}' {} only 1 row; a stratified split needs at least 2 rows per "
                     "class: remove {} from the query or use strategy \"random\"",
                     class_list(singletons), target_, singletons.size() == 1 ? "has" : "have",
                     singletons.size() == 1 ? "it" : "them")});
  }
  // As scikit-learn's StratifiedShuffleSplit: each part needs a row per class.
  const auto classes = static_cast<size_t>(profile.distinct);
  if (sizes->test < classes) {
    problems_.push_back(
        {"/split", fmt::format("the test part gets {} of {} rows (test_size {}), fewer than the {} "
                               "classes; a stratified split needs at least one row per class in "
                               "each part: raise test_size or add rows",
                               sizes->test, rows, test_size, classes)});
  }
  if (sizes->train < classes) {
    problems_.push_back(
        {"/split",
         fmt::format("the training part gets {} of {} rows (test_size {}), fewer than the "
                     "{} classes; lower test_size or add rows",
                     sizes->train, rows, test_size, classes)});
  }
}

// Every column but the target and identifier-like ones: a column named like an id whose
// values are all distinct, or, unless the algorithm reads text, a text column whose
// values are all distinct (names, emails).
std::optional<Status> ContextCheck::fill_feature_columns(json& completed) {
  const algorithms::AlgorithmSpec* spec =
      algorithms::find_algorithm(completed.value("algorithm", std::string()));
  const bool reads_text = spec != nullptr && spec->reads_text;
  json features = json::array();
  for (const auto& column : columns_) {
    if (column.name == target_) continue;
    const bool id_name = identifier_name(column.name);
    // A column declared numeric and not named like an id is a feature; no need to profile.
    if (!id_name && declared_numeric(column.declared_type)) {
      features.push_back(column.name);
      continue;
    }
    auto profiled = source_.profile_column(query_, column.name, 1, limits_);
    if (!profiled.is_ok()) {
      if (auto fatal = source_problem(profiled.status(), "reading column '" + column.name + "'",
                                      problems_)) {
        return fatal;
      }
      return std::nullopt;
    }
    const data::ColumnProfile& p = profiled.value();
    const int64_t present = p.rows - p.missing;
    const bool all_distinct = present > 1 && p.distinct == present;
    const bool text_only = p.text > 0 && p.numeric == 0;
    // Distinct texts are free text (ticket bodies) to an algorithm that reads text, and
    // most likely names or e-mail addresses to the others.
    if (all_distinct && (id_name || (text_only && !reads_text))) continue;
    features.push_back(column.name);
  }
  if (features.empty()) {
    problems_.push_back(
        {"/feature_columns", fmt::format("the query has no usable feature column besides "
                                         "the target '{}' and identifier-like columns "
                                         "(columns: {}); list feature_columns explicitly",
                                         target_, column_list(columns_))});
  }
  completed["feature_columns"] = std::move(features);
  return std::nullopt;
}

}  // namespace

Result<nlohmann::json> validate_against_data(const json& resolved, data::SqlSource& source,
                                             const data::QueryLimits& limits) {
  try {
    return ContextCheck(resolved, source, limits).run();
  } catch (const nlohmann::json::exception& e) {
    // The resolved configuration comes from resolve_config; a wrong shape here is a bug.
    return Status(ErrorCode::kInternal,
                  std::string("validate_against_data got a malformed configuration: ") + e.what());
  }
}

}  // namespace traind::train
