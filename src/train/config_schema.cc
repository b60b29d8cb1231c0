// The training configuration's JSON Schema and the /algorithms answer, both generated
// from the algorithm registry's declarations.
#include "train/config_schema.h"

#include <cmath>

#include "algorithms/registry.h"
#include "train/config.h"

namespace traind::train {
namespace {

using algorithms::AlgorithmSpec;
using algorithms::HyperParameter;
using algorithms::ParamType;
using nlohmann::json;

// Bounds of integer parameters are written as integers so the schema reads naturally.
json bound_value(double v, ParamType type) {
  bool integral_type = type == ParamType::kInteger || type == ParamType::kIntegerArray;
  if (integral_type && std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

void add_bounds(json& schema, const HyperParameter& p) {
  if (p.minimum) {
    schema[p.exclusive_minimum ? "exclusiveMinimum" : "minimum"] = bound_value(*p.minimum, p.type);
  }
  if (p.maximum) {
    schema[p.exclusive_maximum ? "exclusiveMaximum" : "maximum"] = bound_value(*p.maximum, p.type);
  }
}

std::vector<std::string> names_and_aliases(const AlgorithmSpec& spec) {
  std::vector<std::string> names = {spec.name};
  names.insert(names.end(), spec.aliases.begin(), spec.aliases.end());
  return names;
}

json algorithm_names_enum() {
  json names = json::array();
  for (const AlgorithmSpec* spec : algorithms::all_algorithms()) {
    for (const std::string& n : names_and_aliases(*spec)) names.push_back(n);
  }
  return names;
}

json build_config_schema() {
  json properties = {
      {"name",
       {{"type", "string"},
        {"minLength", 1},
        {"maxLength", 200},
        {"description",
         "A name for the job and its model; defaults to \"<algorithm>-<task_type>\"."}}},
      {"description", {{"type", "string"}, {"maxLength", 10000}, {"description", "Free text."}}},
      {"experiment_name",
       {{"type", "string"},
        {"minLength", 1},
        {"maxLength", 500},
        {"description",
         "The MLflow experiment the job's run is recorded in (made when missing); defaults to "
         "the job's name."}}},
      {"algorithm",
       {{"type", "string"},
        {"enum", algorithm_names_enum()},
        {"description", "Algorithm name or alias; the job record shows the canonical name."}}},
      {"task_type",
       {{"type", "string"},
        {"enum", all_task_types()},
        {"description",
         "What the model predicts; the algorithm must support it. \"nlp\" is text "
         "classification: an alias of \"classification\" for algorithms that read free-text "
         "columns (neural_network), and the resolved configuration says \"classification\"."}}},
      {"dataset",
       {{"type", "object"},
        {"additionalProperties", false},
        {"required", {"source", "query"}},
        {"properties",
         {{"source",
           {{"type", "string"}, {"enum", {"sql"}}, {"description", "Where the data comes from."}}},
          {"query",
           {{"type", "string"},
            {"minLength", 1},
            {"maxLength", 100000},
            {"description",
             "A read-only SQL query over the tenant's schemas, e.g. "
             "SELECT * FROM ml_features.customer_churn."}}},
          {"tenant_id",
           {{"type", "string"},
            {"pattern", "^[a-z0-9][a-z0-9_-]{0,62}$"},
            {"description", "Defaults to the caller's tenant; another tenant is refused."}}}}}}},
      {"target_column",
       {{"type", "string"}, {"minLength", 1}, {"description", "The column the model predicts."}}},
      {"feature_columns",
       {{"type", "array"},
        {"minItems", 1},
        {"uniqueItems", true},
        {"items", {{"type", "string"}, {"minLength", 1}}},
        {"description",
         "Input columns; omitted: every column but the target and "
         "identifier-like columns."}}},
      {"time_column",
       {{"type", "string"},
        {"minLength", 1},
        {"description",
         "Forecasting: the column of timestamps (date, datetime or ISO-8601 text, read as "
         "UTC)."}}},
      {"series_column",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "Forecasting: one independent model per value of this column."}}},
      {"forecast",
       {{"type", "object"},
        {"additionalProperties", false},
        {"required", {"horizon"}},
        {"description", "Forecasting: what to forecast beyond the history."},
        {"properties",
         {{"horizon",
           {{"type", "integer"},
            {"minimum", 1},
            {"maximum", kMaxForecastHorizon},
            {"description", "Periods to forecast after the last observed timestamp."}}},
          {"frequency",
           {{"type", "string"},
            {"pattern", "^[0-9]*(S|min|H|D|W|MS|M|QS|Q|YS|Y)$"},
            {"description",
             "S, min, H, D, W, MS/M, QS/Q, YS/Y, optionally with a multiple (15min); "
             "inferred from the timestamps when omitted."}}},
          {"interval_width",
           {{"type", "number"},
            {"exclusiveMinimum", 0},
            {"exclusiveMaximum", 1},
            {"description",
             "Width of the prediction intervals; defaults to 0.95 for arima and 0.8 for "
             "prophet, each reference's default."}}},
          {"seasonal_period",
           {{"type", "integer"},
            {"minimum", 1},
            {"maximum", 10000},
            {"description",
             "Season length m for automatic ARIMA and MASE; defaults from the frequency (H 24, "
             "D 7, W 52, M 12, Q 4, else 1)."}}}}}}},
      {"split",
       {{"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"strategy",
           {{"type", "string"},
            {"enum", {"stratified", "random", "time"}},
            {"description",
             "Defaults to stratified for classification, time for forecasting (the only one "
             "it takes), random otherwise."}}},
          {"test_size",
           {{"type", "number"},
            {"exclusiveMinimum", 0},
            {"default", kDefaultTestSize},
            {"description",
             "Share of the rows held out for evaluation, in (0, 1); forecasting also takes a "
             "whole number of periods (>= 1)."}}},
          {"random_state",
           {{"type", "integer"},
            {"minimum", 0},
            {"maximum", 4294967295LL},
            {"default", kDefaultRandomState},
            {"description", "Seed of the split's shuffle."}}}}}}},
      {"hyperparameters",
       {{"type", "object"},
        {"description", "The algorithm's hyperparameters (see allOf); defaults fill the rest."}}},
      // Written by the server into a resolved configuration; accepted back so that a
      // resolved configuration resolves to itself.
      {"hyperparameter_aliases",
       {{"type", "object"},
        {"additionalProperties", {{"type", "string"}}},
        {"description",
         "Set by the server: each hyperparameter alias used -> its canonical name."}}},
  };

  // One conditional per algorithm: its hyperparameters and the tasks it supports.
  json all_of = json::array();
  for (const AlgorithmSpec* spec : algorithms::all_algorithms()) {
    all_of.push_back({{"if",
                       {{"properties", {{"algorithm", {{"enum", names_and_aliases(*spec)}}}}},
                        {"required", {"algorithm"}}}},
                      {"then",
                       {{"properties",
                         {{"task_type", {{"enum", spec->tasks}}},
                          {"hyperparameters", hyperparameters_schema(*spec)}}}}}});
  }

  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"$id", "/api/v1/ml/schema"},
          {"title", "traind training configuration"},
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"algorithm", "task_type", "dataset", "target_column"}},
          {"properties", std::move(properties)},
          {"allOf", std::move(all_of)}};
}

json describe_hyperparameter(const HyperParameter& p) {
  const bool flexible = p.type == ParamType::kNumberOrString && p.accepts_boolean;
  return {{"name", p.name},
          {"type", flexible ? "number_boolean_or_string" : param_type_name(p.type)},
          {"default", p.default_value},
          {"minimum", p.minimum ? bound_value(*p.minimum, p.type) : json()},
          {"maximum", p.maximum ? bound_value(*p.maximum, p.type) : json()},
          {"exclusive_minimum", p.exclusive_minimum},
          {"exclusive_maximum", p.exclusive_maximum},
          {"choices", p.choices},
          {"help", p.help},
          {"aliases", p.aliases}};
}

}  // namespace

const std::vector<std::string>& all_task_types() {
  static const std::vector<std::string> kTaskTypes = {"classification", "regression", "forecasting",
                                                      "nlp"};
  return kTaskTypes;
}

std::string default_split_strategy(const std::string& task_type) {
  if (task_type == "forecasting") return "time";
  return task_type == "classification" ? "stratified" : "random";
}

const char* param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kInteger:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kString:
      return "string";
    case ParamType::kIntegerArray:
      return "integer_array";
    case ParamType::kNumberOrString:
      return "number_or_string";
  }
  return "unknown";
}

json hyperparameter_schema(const HyperParameter& p) {
  json schema = json::object();
  // A parameter without a default may be given as null ("not set").
  const bool nullable = p.default_value.is_null();
  auto type_of = [nullable](const char* t) { return nullable ? json{t, "null"} : json(t); };
  switch (p.type) {
    case ParamType::kInteger:
      schema["type"] = type_of("integer");
      add_bounds(schema, p);
      break;
    case ParamType::kNumber:
      schema["type"] = type_of("number");
      add_bounds(schema, p);
      break;
    case ParamType::kBoolean:
      schema["type"] = type_of("boolean");
      break;
    case ParamType::kString:
      schema["type"] = type_of("string");
      if (!p.choices.empty()) {
        schema["enum"] = p.choices;
        if (nullable) schema["enum"].push_back(nullptr);
      }
      break;
    case ParamType::kNumberOrString: {
      json number = {{"type", "number"}};
      add_bounds(number, p);
      schema["anyOf"] = {number, {{"type", "string"}, {"enum", p.choices}}};
      if (p.accepts_boolean) schema["anyOf"].push_back({{"type", "boolean"}});
      if (nullable) schema["anyOf"].push_back({{"type", "null"}});
      break;
    }
    case ParamType::kIntegerArray: {
      schema["type"] = type_of("array");
      json items = {{"type", "integer"}};
      add_bounds(items, p);
      schema["items"] = std::move(items);
      break;
    }
  }
  schema["default"] = p.default_value;
  if (!p.help.empty()) schema["description"] = p.help;
  return schema;
}

json hyperparameters_schema(const AlgorithmSpec& spec) {
  json properties = json::object();
  json dependencies = json::object();
  for (const HyperParameter& p : spec.hyperparameters) {
    properties[p.name] = hyperparameter_schema(p);
    for (const std::string& alias : p.aliases) {
      json alias_schema = hyperparameter_schema(p);
      alias_schema["description"] = "Alias of " + p.name + ". " + p.help;
      properties[alias] = std::move(alias_schema);
      dependencies[alias] = {{"not", {{"required", {p.name}}}}};
    }
  }
  json schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
  if (!dependencies.empty()) schema["dependencies"] = std::move(dependencies);
  return schema;
}

const nlohmann::json& config_json_schema() {
  static const json kSchema = build_config_schema();
  return kSchema;
}

nlohmann::json algorithms_description() {
  json list = json::array();
  for (const AlgorithmSpec* spec : algorithms::all_algorithms()) {
    json params = json::array();
    for (const HyperParameter& p : spec->hyperparameters)
      params.push_back(describe_hyperparameter(p));
    list.push_back({{"name", spec->name},
                    {"aliases", spec->aliases},
                    {"tasks", spec->tasks},
                    {"library", spec->library},
                    {"model_format", spec->model_format},
                    {"description", spec->description},
                    {"hyperparameters", std::move(params)}});
  }
  return {{"algorithms", std::move(list)}};
}

}  // namespace traind::train
