// Parsing and printing RandomForestClassifier / RandomForestRegressor parameters with
// scikit-learn 1.2's names, defaults and validity ranges (its _parameter_constraints).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_params_json.h"

namespace traind::engines::trees {
namespace {

using nlohmann::json;

Status invalid(const std::string& name, const std::string& allowed, const json& value) {
  return Status(ErrorCode::kInvalidConfig, "random forest parameter '" + name + "' must be " +
                                               allowed + ", got " + value.dump());
}

bool is_int(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }
bool is_real(const json& v) { return v.is_number(); }

const char* const kParamNames =
    "n_estimators, criterion, max_depth, min_samples_split, min_samples_leaf, "
    "min_weight_fraction_leaf, max_features, max_leaf_nodes, min_impurity_decrease, "
    "bootstrap, oob_score, n_jobs, random_state, verbose, warm_start, class_weight, "
    "ccp_alpha, max_samples, feature_names, split_algorithm";

Status parse_class_weight(ForestConfig& c, const json& v) {
  const std::string allowed =
      "null, \"balanced\", \"balanced_subsample\" or an object {class label: weight}";
  if (c.task != ForestTask::kClassification) {
    if (v.is_null()) return Status::ok();
    return invalid("class_weight", "null for regression", v);
  }
  if (v.is_null()) {
    c.class_weight = ClassWeight{};
  } else if (v == "balanced") {
    c.class_weight = ClassWeight{ClassWeight::Kind::kBalanced, {}};
  } else if (v == "balanced_subsample") {
    c.class_weight = ClassWeight{ClassWeight::Kind::kBalancedSubsample, {}};
  } else if (v.is_object()) {
    ClassWeight weights{ClassWeight::Kind::kDict, {}};
    for (const auto& [key, weight] : v.items()) {
      char* end = nullptr;
      const double label = std::strtod(key.c_str(), &end);
      if (key.empty() || *end != '\0' || !std::isfinite(label) || !is_real(weight) ||
          !std::isfinite(weight.get<double>()) || weight.get<double>() < 0) {
        return invalid("class_weight", allowed + " (numeric labels, finite weights >= 0)", v);
      }
      weights.weights.emplace_back(label, weight.get<double>());
    }
    c.class_weight = weights;
  } else {
    return invalid("class_weight", allowed, v);
  }
  return Status::ok();
}

Status parse_max_features(ForestConfig& c, const json& v) {
  const std::string allowed =
      "\"sqrt\", \"log2\", \"auto\" (deprecated), null, an int >= 1 or a float in (0, 1]";
  if (v.is_null()) {
    c.max_features = {MaxFeatures::Kind::kAll, 0.0};
  } else if (v == "sqrt") {
    c.max_features = {MaxFeatures::Kind::kSqrt, 0.0};
  } else if (v == "log2") {
    c.max_features = {MaxFeatures::Kind::kLog2, 0.0};
  } else if (v == "auto") {
    c.max_features = {MaxFeatures::Kind::kAuto, 0.0};
  } else if (is_int(v) && v.get<int64_t>() >= 1) {
    c.max_features = {MaxFeatures::Kind::kCount, static_cast<double>(v.get<int64_t>())};
  } else if (v.is_number_float() && v.get<double>() > 0.0 && v.get<double>() <= 1.0) {
    c.max_features = {MaxFeatures::Kind::kFraction, v.get<double>()};
  } else {
    return invalid("max_features", allowed, v);
  }
  return Status::ok();
}

json count_or_fraction_json(const CountOrFraction& value) {
  if (value.is_fraction) return json(value.value);
  return json(static_cast<int64_t>(value.value));
}

}  // namespace

namespace detail {

Status apply_forest_param(ForestConfig& c, const std::string& name, const json& v) {
  const bool clf = c.task == ForestTask::kClassification;
  if (name == "n_estimators") {
    if (!is_int(v) || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000000) {
      return invalid(name, "an int in [1, 1000000]", v);
    }
    c.n_estimators = v.get<int>();
  } else if (name == "criterion") {
    const std::string allowed = clf ? "\"gini\", \"entropy\" or \"log_loss\""
                                    : "\"squared_error\", \"friedman_mse\", "
                                      "\"absolute_error\" or \"poisson\"";
    if (!v.is_string()) return invalid(name, allowed, v);
    const std::string s = v.get<std::string>();
    const bool ok = clf ? (s == "gini" || s == "entropy" || s == "log_loss")
                        : (s == "squared_error" || s == "friedman_mse" || s == "absolute_error" ||
                           s == "poisson");
    if (!ok) return invalid(name, allowed, v);
    c.criterion = s;
  } else if (name == "max_depth") {
    if (v.is_null()) {
      c.max_depth.reset();
    } else if (is_int(v) && v.get<int64_t>() >= 1) {
      c.max_depth = static_cast<int>(std::min<int64_t>(v.get<int64_t>(), 2147483647));
    } else {
      return invalid(name, "null or an int >= 1", v);
    }
  } else if (name == "min_samples_split") {
    if (is_int(v) && v.get<int64_t>() >= 2) {
      c.min_samples_split = {false, static_cast<double>(v.get<int64_t>())};
    } else if (v.is_number_float() && v.get<double>() > 0.0 && v.get<double>() <= 1.0) {
      c.min_samples_split = {true, v.get<double>()};
    } else {
      return invalid(name, "an int >= 2 or a float in (0, 1]", v);
    }
  } else if (name == "min_samples_leaf") {
    if (is_int(v) && v.get<int64_t>() >= 1) {
      c.min_samples_leaf = {false, static_cast<double>(v.get<int64_t>())};
    } else if (v.is_number_float() && v.get<double>() > 0.0 && v.get<double>() < 1.0) {
      c.min_samples_leaf = {true, v.get<double>()};
    } else {
      return invalid(name, "an int >= 1 or a float in (0, 1)", v);
    }
  } else if (name == "min_weight_fraction_leaf") {
    if (!is_real(v) || !(v.get<double>() >= 0.0 && v.get<double>() <= 0.5)) {
      return invalid(name, "a number in [0, 0.5]", v);
    }
    c.min_weight_fraction_leaf = v.get<double>();
  } else if (name == "max_features") {
    return parse_max_features(c, v);
  } else if (name == "max_leaf_nodes") {
    if (v.is_null()) {
      c.max_leaf_nodes.reset();
    } else if (is_int(v) && v.get<int64_t>() >= 2 && v.get<int64_t>() <= 2147483647) {
      c.max_leaf_nodes = v.get<int>();
    } else {
      return invalid(name, "null or an int >= 2", v);
    }
  } else if (name == "min_impurity_decrease" || name == "ccp_alpha") {
    if (!is_real(v) || !(v.get<double>() >= 0.0) || !std::isfinite(v.get<double>())) {
      return invalid(name, "a number >= 0", v);
    }
    (name == "ccp_alpha" ? c.ccp_alpha : c.min_impurity_decrease) = v.get<double>();
  } else if (name == "bootstrap" || name == "oob_score") {
    if (!v.is_boolean()) return invalid(name, "true or false", v);
    (name == "bootstrap" ? c.bootstrap : c.oob_score) = v.get<bool>();
  } else if (name == "n_jobs") {
    if (v.is_null()) {
      c.n_jobs = 1;
    } else if (is_int(v) && v.get<int64_t>() != 0 && std::llabs(v.get<int64_t>()) <= 4096) {
      c.n_jobs = v.get<int>();
    } else {
      return invalid(name, "null, -1 (all cores) or a non-zero int", v);
    }
  } else if (name == "random_state") {
    if (v.is_null()) {
      c.random_state.reset();
    } else if (is_int(v) && v.get<int64_t>() >= 0 && v.get<int64_t>() <= 4294967295LL) {
      c.random_state = v.get<int64_t>();
    } else {
      return invalid(name, "null or an int in [0, 4294967295]", v);
    }
  } else if (name == "verbose") {
    if (!is_int(v)) return invalid(name, "an int (ignored)", v);
  } else if (name == "warm_start") {
    if (!v.is_boolean() || v.get<bool>()) return invalid(name, "false (not supported)", v);
  } else if (name == "class_weight") {
    return parse_class_weight(c, v);
  } else if (name == "max_samples") {
    if (v.is_null()) {
      c.max_samples.reset();
    } else if (is_int(v) && v.get<int64_t>() >= 1) {
      c.max_samples = CountOrFraction{false, static_cast<double>(v.get<int64_t>())};
    } else if (v.is_number_float() && v.get<double>() > 0.0 && v.get<double>() <= 1.0) {
      c.max_samples = CountOrFraction{true, v.get<double>()};
    } else {
      return invalid(name, "null, an int >= 1 or a float in (0, 1]", v);
    }
  } else if (name == "feature_names") {
    if (!v.is_array()) return invalid(name, "an array of strings", v);
    std::vector<std::string> names;
    for (const json& item : v) {
      if (!item.is_string()) return invalid(name, "an array of strings", v);
      names.push_back(item.get<std::string>());
    }
    c.feature_names = std::move(names);
  } else if (name == "split_algorithm") {
    if (v != "exact") return invalid(name, "\"exact\" (histogram is not implemented)", v);
  } else {
    return Status(ErrorCode::kInvalidConfig, "unknown random forest parameter '" + name +
                                                 "'; known parameters: " + kParamNames);
  }
  return Status::ok();
}

nlohmann::ordered_json forest_params_to_json(const ForestConfig& c) {
  nlohmann::ordered_json p;
  p["n_estimators"] = c.n_estimators;
  p["criterion"] = c.criterion;
  p["max_depth"] = c.max_depth ? json(*c.max_depth) : json(nullptr);
  p["min_samples_split"] = count_or_fraction_json(c.min_samples_split);
  p["min_samples_leaf"] = count_or_fraction_json(c.min_samples_leaf);
  p["min_weight_fraction_leaf"] = c.min_weight_fraction_leaf;
  switch (c.max_features.kind) {
    case MaxFeatures::Kind::kSqrt:
      p["max_features"] = "sqrt";
      break;
    case MaxFeatures::Kind::kLog2:
      p["max_features"] = "log2";
      break;
    case MaxFeatures::Kind::kAuto:
      p["max_features"] = "auto";
      break;
    case MaxFeatures::Kind::kAll:
      p["max_features"] = nullptr;
      break;
    case MaxFeatures::Kind::kCount:
      p["max_features"] = static_cast<int64_t>(c.max_features.value);
      break;
    case MaxFeatures::Kind::kFraction:
      p["max_features"] = c.max_features.value;
      break;
  }
  p["max_leaf_nodes"] = c.max_leaf_nodes ? json(*c.max_leaf_nodes) : json(nullptr);
  p["min_impurity_decrease"] = c.min_impurity_decrease;
  p["bootstrap"] = c.bootstrap;
  p["oob_score"] = c.oob_score;
  p["random_state"] = c.random_state ? json(*c.random_state) : json(nullptr);
  switch (c.class_weight.kind) {
    case ClassWeight::Kind::kNone:
      p["class_weight"] = nullptr;
      break;
    case ClassWeight::Kind::kBalanced:
      p["class_weight"] = "balanced";
      break;
    case ClassWeight::Kind::kBalancedSubsample:
      p["class_weight"] = "balanced_subsample";
      break;
    case ClassWeight::Kind::kDict: {
      nlohmann::ordered_json weights = nlohmann::ordered_json::object();
      for (const auto& [label, weight] : c.class_weight.weights) {
        char key[64];
        std::snprintf(key, sizeof key, "%.17g", label);
        weights[key] = weight;
      }
      p["class_weight"] = weights;
      break;
    }
  }
  p["max_samples"] = c.max_samples ? count_or_fraction_json(*c.max_samples) : json(nullptr);
  p["ccp_alpha"] = c.ccp_alpha;
  p["split_algorithm"] = "exact";
  return p;
}

}  // namespace detail

ForestConfig ForestConfig::defaults(ForestTask task) {
  ForestConfig config;
  config.task = task;
  if (task == ForestTask::kRegression) {
    config.criterion = "squared_error";
    config.max_features = {MaxFeatures::Kind::kFraction, 1.0};
  }
  return config;
}

Status ForestConfig::set(std::string_view name, std::string_view json_value) {
  json value = json::parse(json_value, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return Status(ErrorCode::kInvalidConfig,
                  "random forest parameter '" + std::string(name) + "': value is not valid JSON");
  }
  return detail::apply_forest_param(*this, std::string(name), value);
}

Result<ForestConfig> parse_forest_config(ForestTask task, std::string_view json_object) {
  json object = json::parse(json_object, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    return Status(ErrorCode::kInvalidConfig, "random forest parameters must be a JSON object");
  }
  ForestConfig config = ForestConfig::defaults(task);
  for (const auto& [name, value] : object.items()) {
    TRAIND_RETURN_IF_ERROR(detail::apply_forest_param(config, name, value));
  }
  return config;
}

}  // namespace traind::engines::trees
