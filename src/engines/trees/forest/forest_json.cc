// The .rf.json artifact (trees.md §C, docs/forest_model_format.md): a deterministic writer
// (fixed key order, doubles with 17 significant digits so thresholds round-trip) and a loader
// that validates lengths, index ranges, acyclicity and format_version before use.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_params_json.h"

namespace traind::engines::trees {
namespace {

using detail::ForestModelData;
using detail::ForestTree;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kFormatVersion = 1;

// %.17g, keeping a float recognisable as one ("2.0", not "2"): scikit-learn tells 1 and 1.0
// apart in parameters. Infinities (only possible as a Poisson impurity) become ±DBL_MAX.
void append_double(std::string& out, double v) {
  if (std::isinf(v)) v = v > 0 ? DBL_MAX : -DBL_MAX;
  if (std::isnan(v)) v = 0.0;
  char buffer[40];
  const int length = std::snprintf(buffer, sizeof buffer, "%.17g", v);
  out.append(buffer, length);
  bool has_mark = false;
  for (int i = 0; i < length; ++i) {
    if (buffer[i] == '.' || buffer[i] == 'e') has_mark = true;
  }
  if (!has_mark) out += ".0";
}

void append_value(std::string& out, const ordered_json& v) {
  switch (v.type()) {
    case json::value_t::number_float:
      append_double(out, v.get<double>());
      break;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const ordered_json& item : v) {
        if (!first) out += ", ";
        first = false;
        append_value(out, item);
      }
      out += ']';
      break;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += json(key).dump();
        out += ": ";
        append_value(out, item);
      }
      out += '}';
      break;
    }
    default:
      out += v.dump();
      break;
  }
}

template <class T>
void append_array(std::string& out, const std::vector<T>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    if constexpr (std::is_floating_point_v<T>) {
      append_double(out, values[i]);
    } else {
      out += std::to_string(values[i]);
    }
  }
  out += ']';
}

void append_tree(std::string& out, const ForestTree& tree) {
  out += "{\"seed\": " + std::to_string(tree.seed);
  out += ", \"node_count\": " + std::to_string(tree.node_count());
  out += ", \"max_depth\": " + std::to_string(tree.max_depth);
  out += ",\n   \"children_left\": ";
  append_array(out, tree.children_left);
  out += ",\n   \"children_right\": ";
  append_array(out, tree.children_right);
  out += ",\n   \"feature\": ";
  append_array(out, tree.feature);
  out += ",\n   \"threshold\": ";
  append_array(out, tree.threshold);
  out += ",\n   \"impurity\": ";
  append_array(out, tree.impurity);
  out += ",\n   \"n_node_samples\": ";
  append_array(out, tree.n_node_samples);
  out += ",\n   \"weighted_n_node_samples\": ";
  append_array(out, tree.weighted_n_node_samples);
  out += ",\n   \"value\": [";
  for (int node = 0; node < tree.node_count(); ++node) {
    if (node > 0) out += ", ";
    out += '[';
    for (int k = 0; k < tree.value_width; ++k) {
      if (k > 0) out += ", ";
      append_double(out, tree.node_value(node)[k]);
    }
    out += ']';
  }
  out += "]}";
}

Status format_error(const std::string& message) {
  return Status(ErrorCode::kDataError, "invalid .rf.json model: " + message);
}

bool is_int(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }
bool is_finite_number(const json& v) { return v.is_number() && std::isfinite(v.get<double>()); }

Status read_double_array(const json& v, size_t length, const std::string& what,
                         std::vector<double>& out) {
  if (!v.is_array() || v.size() != length) {
    return format_error(what + " must be an array of " + std::to_string(length) + " numbers");
  }
  out.clear();
  for (const json& item : v) {
    if (!is_finite_number(item)) return format_error(what + " holds a non-finite value");
    out.push_back(item.get<double>());
  }
  return Status::ok();
}

template <class Int>
Status read_int_array(const json& v, size_t length, const std::string& what,
                      std::vector<Int>& out) {
  if (!v.is_array() || v.size() != length) {
    return format_error(what + " must be an array of " + std::to_string(length) + " integers");
  }
  out.clear();
  for (const json& item : v) {
    if (!is_int(item)) return format_error(what + " holds a non-integer");
    out.push_back(static_cast<Int>(item.get<int64_t>()));
  }
  return Status::ok();
}

Status read_tree(const json& t, int index, int n_features, int width, ForestTree& tree) {
  const std::string where = "trees[" + std::to_string(index) + "].";
  if (!t.is_object()) return format_error(where + " is not an object");
  for (const char* key :
       {"seed", "node_count", "max_depth", "children_left", "children_right", "feature",
        "threshold", "impurity", "n_node_samples", "weighted_n_node_samples", "value"}) {
    if (!t.contains(key)) return format_error(where + key + " is missing");
  }
  if (!is_int(t["seed"]) || t["seed"].get<int64_t>() < 0 || t["seed"].get<int64_t>() > 2147483647) {
    return format_error(where + "seed must be an int in [0, 2^31)");
  }
  if (!is_int(t["node_count"]) || t["node_count"].get<int64_t>() < 1 ||
      t["node_count"].get<int64_t>() > 2147483647) {
    return format_error(where + "node_count must be a positive int");
  }
  if (!is_int(t["max_depth"]) || t["max_depth"].get<int64_t>() < 0) {
    return format_error(where + "max_depth must be a non-negative int");
  }
  tree.seed = t["seed"].get<uint32_t>();
  tree.max_depth = t["max_depth"].get<int>();
  tree.value_width = width;
  const size_t n = t["node_count"].get<size_t>();
  TRAIND_RETURN_IF_ERROR(
      read_int_array(t["children_left"], n, where + "children_left", tree.children_left));
  TRAIND_RETURN_IF_ERROR(
      read_int_array(t["children_right"], n, where + "children_right", tree.children_right));
  TRAIND_RETURN_IF_ERROR(read_int_array(t["feature"], n, where + "feature", tree.feature));
  TRAIND_RETURN_IF_ERROR(read_double_array(t["threshold"], n, where + "threshold", tree.threshold));
  TRAIND_RETURN_IF_ERROR(read_double_array(t["impurity"], n, where + "impurity", tree.impurity));
  TRAIND_RETURN_IF_ERROR(
      read_int_array(t["n_node_samples"], n, where + "n_node_samples", tree.n_node_samples));
  TRAIND_RETURN_IF_ERROR(read_double_array(t["weighted_n_node_samples"], n,
                                           where + "weighted_n_node_samples",
                                           tree.weighted_n_node_samples));
  const json& value = t["value"];
  if (!value.is_array() || value.size() != n) {
    return format_error(where + "value must have node_count rows");
  }
  tree.value.clear();
  for (const json& row : value) {
    std::vector<double> entries;
    TRAIND_RETURN_IF_ERROR(read_double_array(row, width, where + "value row", entries));
    tree.value.insert(tree.value.end(), entries.begin(), entries.end());
  }
  // A tree: every child index is later than its parent (as scikit-learn numbers nodes), and
  // every node but the root has exactly one parent. Together: connected and acyclic.
  std::vector<int> parents(n, 0);
  for (size_t node = 0; node < n; ++node) {
    const int left = tree.children_left[node];
    const int right = tree.children_right[node];
    if (left == detail::kTreeLeaf || right == detail::kTreeLeaf) {
      if (left != right) return format_error(where + "a node has exactly one child");
      if (tree.feature[node] != detail::kTreeUndefined) {
        return format_error(where + "a leaf must have feature -2");
      }
      continue;
    }
    for (int child : {left, right}) {
      if (child <= static_cast<int>(node) || child >= static_cast<int>(n)) {
        return format_error(where +
                            "child index out of range or not after its parent "
                            "(cycle)");
      }
      ++parents[child];
    }
    if (tree.feature[node] < 0 || tree.feature[node] >= n_features) {
      return format_error(where + "feature index out of range");
    }
  }
  for (size_t node = 1; node < n; ++node) {
    if (parents[node] != 1) return format_error(where + "node without exactly one parent");
  }
  return Status::ok();
}

}  // namespace

std::string ForestModel::to_json() const {
  const ForestModelData& m = *data_;
  const bool clf = m.config.task == ForestTask::kClassification;
  std::string out = "{\"format\": \"traind-rf\", \"format_version\": 1, ";
  out += "\"semantics\": \"sklearn-1.2\", \"task\": ";
  out += clf ? "\"classification\"" : "\"regression\"";
  out += ",\n \"n_features\": " + std::to_string(m.n_features);
  out += ",\n \"feature_names\": " + json(m.feature_names).dump();
  if (clf) {
    out += ",\n \"classes\": ";
    append_array(out, m.classes);
  }
  out += ",\n \"params\": ";
  append_value(out, detail::forest_params_to_json(m.config));
  ordered_json resolved;
  resolved["max_features"] = m.resolved.max_features;
  resolved["min_samples_split"] = m.resolved.min_samples_split;
  resolved["min_samples_leaf"] = m.resolved.min_samples_leaf;
  resolved["min_weight_leaf"] = m.resolved.min_weight_leaf;
  resolved["n_samples_fit"] = m.resolved.n_samples_fit;
  resolved["n_samples_bootstrap"] = m.resolved.n_samples_bootstrap;
  resolved["random_state"] = m.resolved.random_state;
  out += ",\n \"resolved\": ";
  append_value(out, resolved);
  out += ",\n \"feature_importances\": ";
  append_array(out, m.feature_importances);
  out += ",\n \"oob_score\": ";
  if (m.oob_score) {
    append_double(out, *m.oob_score);
  } else {
    out += "null";
  }
  out += ",\n \"trees\": [";
  for (size_t t = 0; t < m.trees.size(); ++t) {
    out += t == 0 ? "\n  " : ",\n  ";
    append_tree(out, m.trees[t]);
  }
  out += "\n ]}\n";
  return out;
}

Result<ForestModel> ForestModel::from_json(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return format_error("not valid JSON (NaN and Infinity are invalid)");
  if (!doc.is_object()) return format_error("the document is not an object");
  if (!doc.contains("format") || doc["format"] != "traind-rf") {
    return format_error("\"format\" must be \"traind-rf\"");
  }
  if (!doc.contains("format_version") || !is_int(doc["format_version"]) ||
      doc["format_version"].get<int64_t>() != kFormatVersion) {
    return format_error("unknown format_version " +
                        (doc.contains("format_version") ? doc["format_version"].dump() : "") +
                        "; this traind reads format_version 1");
  }
  for (const char* key : {"task", "n_features", "feature_names", "params", "resolved",
                          "feature_importances", "oob_score", "trees"}) {
    if (!doc.contains(key)) return format_error(std::string("\"") + key + "\" is missing");
  }
  auto data = std::make_shared<ForestModelData>();
  ForestTask task;
  if (doc["task"] == "classification") {
    task = ForestTask::kClassification;
  } else if (doc["task"] == "regression") {
    task = ForestTask::kRegression;
  } else {
    return format_error("\"task\" must be \"classification\" or \"regression\"");
  }
  if (!is_int(doc["n_features"]) || doc["n_features"].get<int64_t>() < 1 ||
      doc["n_features"].get<int64_t>() > 100000000) {
    return format_error("\"n_features\" must be a positive int");
  }
  data->n_features = doc["n_features"].get<int>();
  const json& names = doc["feature_names"];
  if (!names.is_array() || static_cast<int>(names.size()) != data->n_features) {
    return format_error("\"feature_names\" must hold n_features strings");
  }
  for (const json& name : names) {
    if (!name.is_string()) return format_error("\"feature_names\" must hold strings");
    data->feature_names.push_back(name.get<std::string>());
  }
  int width = 1;
  if (task == ForestTask::kClassification) {
    if (!doc.contains("classes") || !doc["classes"].is_array() || doc["classes"].empty()) {
      return format_error("a classification model needs a non-empty \"classes\" array");
    }
    TRAIND_RETURN_IF_ERROR(
        read_double_array(doc["classes"], doc["classes"].size(), "classes", data->classes));
    for (size_t k = 1; k < data->classes.size(); ++k) {
      if (!(data->classes[k - 1] < data->classes[k])) {
        return format_error("\"classes\" must be strictly increasing");
      }
    }
    width = static_cast<int>(data->classes.size());
  } else if (doc.contains("classes") && !doc["classes"].is_null()) {
    return format_error("a regression model has no \"classes\"");
  }
  data->config = ForestConfig::defaults(task);
  if (!doc["params"].is_object()) return format_error("\"params\" must be an object");
  for (const auto& [name, value] : doc["params"].items()) {
    const Status status = detail::apply_forest_param(data->config, name, value);
    if (!status) return format_error("params: " + status.message());
  }
  const json& resolved = doc["resolved"];
  if (!resolved.is_object()) return format_error("\"resolved\" must be an object");
  for (const char* key : {"max_features", "min_samples_split", "min_samples_leaf", "n_samples_fit",
                          "n_samples_bootstrap"}) {
    if (!resolved.contains(key) || !is_int(resolved[key])) {
      return format_error(std::string("resolved.") + key + " must be an int");
    }
  }
  data->resolved.max_features = resolved["max_features"].get<int>();
  data->resolved.min_samples_split = resolved["min_samples_split"].get<int64_t>();
  data->resolved.min_samples_leaf = resolved["min_samples_leaf"].get<int64_t>();
  data->resolved.n_samples_fit = resolved["n_samples_fit"].get<int64_t>();
  data->resolved.n_samples_bootstrap = resolved["n_samples_bootstrap"].get<int64_t>();
  if (resolved.contains("min_weight_leaf") && is_finite_number(resolved["min_weight_leaf"])) {
    data->resolved.min_weight_leaf = resolved["min_weight_leaf"].get<double>();
  }
  if (resolved.contains("random_state") && is_int(resolved["random_state"])) {
    data->resolved.random_state = resolved["random_state"].get<int64_t>();
  }
  TRAIND_RETURN_IF_ERROR(read_double_array(doc["feature_importances"], data->n_features,
                                           "feature_importances", data->feature_importances));
  if (!doc["oob_score"].is_null()) {
    if (!is_finite_number(doc["oob_score"])) {
      return format_error("\"oob_score\" must be null or a finite number");
    }
    data->oob_score = doc["oob_score"].get<double>();
  }
  const json& trees = doc["trees"];
  if (!trees.is_array() || trees.empty()) {
    return format_error("\"trees\" must be a non-empty array");
  }
  data->trees.resize(trees.size());
  for (size_t t = 0; t < trees.size(); ++t) {
    TRAIND_RETURN_IF_ERROR(
        read_tree(trees[t], static_cast<int>(t), data->n_features, width, data->trees[t]));
  }
  data->config.feature_names = data->feature_names;
  return ForestModel(std::move(data));
}

}  // namespace traind::engines::trees
