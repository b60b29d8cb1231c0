// resolve_config: shape validation (schema + declarations) and the resolved configuration.
//
// Resolution rules, beyond config.h: name defaults to "<algorithm>-<task_type>";
// dataset.tenant_id defaults to the caller's tenant and is kept as given otherwise (the
// HTTP layer refuses another tenant before this runs); split defaults to stratified for
// classification, random otherwise, test_size 0.2, random_state 42; every declared
// hyperparameter is present, those declared without a default as null ("not set");
// feature_columns stays omitted when omitted (validate_against_data fills it).
#include "train/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "algorithms/registry.h"
#include "train/config_schema.h"
#include "train/hyperparameter_check.h"
#include "train/schema_validation.h"
#include "train/validation_text.h"

namespace traind::train {
namespace {

using algorithms::AlgorithmSpec;
using nlohmann::json;

// Names API.md binds that later issues implement: named as "not available yet" rather
// than as unknown.
const std::vector<std::string>& planned_algorithms() {
  static const std::vector<std::string> kPlanned = {
      "lightgbm", "random_forest", "rf", "neural_network", "mlp", "prophet", "arima", "sarimax"};
  return kPlanned;
}

std::vector<std::string> available_algorithm_names() {
  std::vector<std::string> names;
  for (const AlgorithmSpec* spec : algorithms::all_algorithms()) names.push_back(spec->name);
  return names;
}

// The algorithm the configuration names (exact spelling of a name or alias), or nullptr
// with the problem recorded.
const AlgorithmSpec* check_algorithm(const json& body, std::vector<ErrorDetail>& problems) {
  auto it = body.find("algorithm");
  if (it == body.end()) return nullptr;  // "required" is the schema's to report
  if (!it->is_string()) {
    problems.push_back(
        {"/algorithm", "must be a string naming an algorithm; got " + value_preview(*it)});
    return nullptr;
  }
  const std::string name = it->get<std::string>();
  const AlgorithmSpec* spec = algorithms::find_algorithm(name);
  if (spec != nullptr &&
      (spec->name == name ||
       std::find(spec->aliases.begin(), spec->aliases.end(), name) != spec->aliases.end())) {
    return spec;
  }
  const std::string available = join_names(available_algorithm_names());
  std::string message;
  const auto& planned = planned_algorithms();
  if (std::find(planned.begin(), planned.end(), name) != planned.end()) {
    message = fmt::format("algorithm '{}' is not available on this server yet; available: {}", name,
                          available);
  } else {
    message = fmt::format("unknown algorithm '{}'", name);
    std::vector<std::string> candidates;
    for (const AlgorithmSpec* s : algorithms::all_algorithms()) {
      candidates.push_back(s->name);
      candidates.insert(candidates.end(), s->aliases.begin(), s->aliases.end());
    }
    if (auto near = closest_name(name, candidates))
      message += fmt::format("; did you mean '{}'?", *near);
    message += fmt::format("; available: {}", available);
  }
  problems.push_back({"/algorithm", message});
  return nullptr;
}

// The task type when it is one of API.md's and the algorithm (if known) supports it.
std::string check_task_type(const json& body, const AlgorithmSpec* spec,
                            std::vector<ErrorDetail>& problems) {
  auto it = body.find("task_type");
  if (it == body.end()) return "";
  const auto& tasks = all_task_types();
  if (!it->is_string() ||
      std::find(tasks.begin(), tasks.end(), it->get<std::string>()) == tasks.end()) {
    std::string message =
        fmt::format("must be one of {}; got {}", join_names(tasks), value_preview(*it));
    if (it->is_string()) {
      if (auto near = closest_name(it->get<std::string>(), tasks)) {
        message += fmt::format(" (did you mean '{}'?)", *near);
      }
    }
    problems.push_back({"/task_type", message});
    return "";
  }
  const std::string task = it->get<std::string>();
  // "nlp" is text classification: it resolves to "classification" for an algorithm that
  // reads text, so one pipeline and one result shape serve both spellings.
  const std::string resolved = task == "nlp" ? "classification" : task;
  if (spec == nullptr) return resolved;
  if (spec->supports(task)) return resolved;
  std::vector<std::string> able;
  for (const AlgorithmSpec* s : algorithms::all_algorithms()) {
    if (s->supports(task)) able.push_back(s->name);
  }
  std::string message = fmt::format("{} does not support {}; it supports {}", spec->name, task,
                                    join_names(spec->tasks));
  if (able.empty()) {
    message += fmt::format("; no algorithm on this server supports {} yet", task);
  } else {
    message += fmt::format("; algorithms for {}: {}", task, join_names(able));
  }
  problems.push_back({"/task_type", message});
  return "";
}

void check_split(const json& body, const std::string& task, std::vector<ErrorDetail>& problems) {
  const json* split = body.contains("split") ? &body["split"] : nullptr;
  if (split == nullptr || !split->is_object() || task.empty()) return;
  const bool forecasting = task == "forecasting";
  auto it = split->find("strategy");
  if (it != split->end() && it->is_string()) {
    if (forecasting && *it != "time") {
      problems.push_back({"/split/strategy",
                          "a forecast is evaluated on the last periods in time order, never on "
                          "shuffled rows; use \"time\" (the default) for forecasting"});
    } else if (!forecasting && *it == "time") {
      problems.push_back(
          {"/split/strategy", fmt::format("a time split is for forecasting; use \"{}\" for {}",
                                          default_split_strategy(task), task)});
    } else if (*it == "stratified" && task != "classification") {
      problems.push_back(
          {"/split/strategy", fmt::format("a stratified split needs class labels, so it works only "
                                          "for classification; use \"random\" for {}",
                                          task)});
    }
  }
  auto size = split->find("test_size");
  if (size != split->end() && size->is_number() && size->get<double>() > 0) {
    const double v = size->get<double>();
    if (forecasting && v >= 1 && std::floor(v) != v) {
      problems.push_back({"/split/test_size",
                          "must be a fraction in (0, 1) or a whole number of periods >= 1; got " +
                              value_preview(*size)});
    } else if (!forecasting && v >= 1) {
      problems.push_back({"/split/test_size", "must be > 0 and < 1; got " + value_preview(*size)});
    }
  }
}

// The forecasting fields: required for forecasting, refused elsewhere.
void check_forecasting_fields(const json& body, const std::string& task,
                              std::vector<ErrorDetail>& problems) {
  if (task.empty()) return;
  if (task != "forecasting") {
    for (const char* field : {"time_column", "series_column", "forecast"}) {
      if (body.contains(field)) {
        problems.push_back({std::string("/") + field,
                            fmt::format("applies to forecasting only; this is a {}", task)});
      }
    }
    return;
  }
  if (!body.contains("time_column")) {
    problems.push_back({"/time_column", "'time_column' is required for forecasting"});
  }
  if (!body.contains("forecast")) {
    problems.push_back(
        {"/forecast", "'forecast' is required for forecasting, e.g. {\"horizon\": 30}"});
  }
  // A column cannot be two things at once.
  const std::string target = body.value("target_column", json("")).is_string()
                                 ? body.value("target_column", std::string())
                                 : std::string();
  for (const char* field : {"time_column", "series_column"}) {
    auto it = body.find(field);
    if (it != body.end() && it->is_string() && !target.empty() && *it == target) {
      problems.push_back(
          {std::string("/") + field, fmt::format("'{}' is also the target_column", target)});
    }
  }
  auto time = body.find("time_column");
  auto series = body.find("series_column");
  if (time != body.end() && series != body.end() && time->is_string() && *time == *series) {
    problems.push_back({"/series_column", "must differ from time_column"});
  }
}

// forecast with every default: frequency and seasonal_period null = inferred from the
// data; interval_width each reference's default (Prophet 0.8, statsmodels 0.95).
json resolved_forecast(const json& body, const AlgorithmSpec& spec) {
  const json given = body.value("forecast", json::object());
  return {
      {"horizon", given["horizon"]},
      {"frequency", given.value("frequency", json())},
      {"interval_width", given.value("interval_width", json(spec.name == "prophet" ? 0.8 : 0.95))},
      {"seasonal_period", given.value("seasonal_period", json())}};
}

json resolved_split(const json& body, const std::string& task) {
  json given = body.value("split", json::object());
  json random_state = given.value("random_state", json(kDefaultRandomState));
  // The schema accepts 42.0 as an integer; the pipeline reads an integer.
  if (random_state.is_number_float())
    random_state = static_cast<int64_t>(random_state.get<double>());
  return {{"strategy", given.value("strategy", default_split_strategy(task))},
          {"test_size", given.value("test_size", json(kDefaultTestSize))},
          {"random_state", std::move(random_state)}};
}

Result<json> resolve(const json& body, const std::string& caller_tenant) {
  if (!body.is_object()) {
    return invalid_config(
        {{"", "the training configuration must be a JSON object; got " + value_preview(body)}});
  }
  // Algorithm, task type and hyperparameters get their own, more precise checks below.
  auto checked_elsewhere = [](const std::string& pointer) {
    return pointer == "/algorithm" || pointer == "/task_type" ||
           pointer.rfind("/hyperparameters", 0) == 0;
  };
  Result<std::vector<ErrorDetail>> shape = schema_problems(body, checked_elsewhere);
  if (!shape.is_ok()) return shape.status();
  std::vector<ErrorDetail> problems = std::move(shape.value());

  const AlgorithmSpec* spec = check_algorithm(body, problems);
  const std::string task = check_task_type(body, spec, problems);
  check_split(body, task, problems);
  check_forecasting_fields(body, task, problems);

  const json hyperparameters = body.value("hyperparameters", json());
  CheckedHyperparameters checked;
  if (!hyperparameters.is_null() && !hyperparameters.is_object()) {
    problems.push_back(
        {"/hyperparameters", "must be an object of hyperparameter names and values; got " +
                                 value_preview(hyperparameters)});
  } else if (spec != nullptr) {
    checked = check_hyperparameters(*spec, hyperparameters);
    problems.insert(problems.end(), checked.problems.begin(), checked.problems.end());
    if (checked.problems.empty() && spec->check_for_task && spec->supports(task)) {
      std::vector<ErrorDetail> combined = spec->check_for_task(task, checked.values);
      problems.insert(problems.end(), combined.begin(), combined.end());
    }
  }

  const json dataset = body.value("dataset", json::object());
  if (dataset.is_object() && !dataset.contains("tenant_id") && caller_tenant.empty()) {
    problems.push_back(
        {"/dataset/tenant_id", "is required when the caller's key belongs to no tenant"});
  }
  if (!problems.empty()) return invalid_config(std::move(problems));

  json resolved = json::object();
  resolved["name"] = body.value("name", spec->name + "-" + task);
  if (body.contains("description")) resolved["description"] = body["description"];
  if (body.contains("experiment_name")) resolved["experiment_name"] = body["experiment_name"];
  resolved["algorithm"] = spec->name;
  resolved["task_type"] = task;
  resolved["dataset"] = {{"source", dataset["source"]},
                         {"query", dataset["query"]},
                         {"tenant_id", dataset.value("tenant_id", caller_tenant)}};
  if (task == "forecasting") {
    resolved["time_column"] = body["time_column"];
    if (body.contains("series_column")) resolved["series_column"] = body["series_column"];
  }
  resolved["target_column"] = body["target_column"];
  if (body.contains("feature_columns")) resolved["feature_columns"] = body["feature_columns"];
  if (task == "forecasting") resolved["forecast"] = resolved_forecast(body, *spec);
  resolved["split"] = resolved_split(body, task);
  resolved["hyperparameters"] = std::move(checked.values);
  // Resolving a resolved configuration again keeps the record of the aliases first used.
  json aliases = body.value("hyperparameter_aliases", json::object());
  aliases.update(checked.aliases_used);
  if (!aliases.empty()) resolved["hyperparameter_aliases"] = std::move(aliases);
  return resolved;
}

}  // namespace

Result<nlohmann::json> resolve_config(const json& body, const std::string& caller_tenant) {
  try {
    return resolve(body, caller_tenant);
  } catch (const json::exception& e) {
    // Every field read here was checked first; reaching this is a bug, not a bad request.
    return Status(ErrorCode::kInternal, std::string("resolve_config: ") + e.what());
  }
}

}  // namespace traind::train
