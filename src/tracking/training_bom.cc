// TrainingBom to and from JSON, and the model's JSON Schema as pydantic v2 generates it.
#include "tracking/training_bom.h"

#include <limits>
#include <utility>

#include "tracking/pydantic_json.h"

namespace traind::tracking {
namespace {

using nlohmann::ordered_json;

nlohmann::ordered_json string_array(const std::vector<std::string>& values) {
  ordered_json array = ordered_json::array();
  for (const std::string& v : values) array.push_back(v);
  return array;
}

std::string pointer_token(const std::string& key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token.push_back(c);
    }
  }
  return token;
}

// Copies any JSON value into an ordered_json, keeping the source's key order.
template <typename J>
ordered_json to_ordered(const J& v) {
  switch (v.type()) {
    case J::value_t::object: {
      ordered_json out = ordered_json::object();
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = to_ordered(it.value());
      return out;
    }
    case J::value_t::array: {
      ordered_json out = ordered_json::array();
      for (const auto& element : v) out.push_back(to_ordered(element));
      return out;
    }
    case J::value_t::string:
      return v.template get<std::string>();
    case J::value_t::boolean:
      return v.template get<bool>();
    case J::value_t::number_integer:
      return v.template get<int64_t>();
    case J::value_t::number_unsigned:
      return v.template get<uint64_t>();
    case J::value_t::number_float:
      return v.template get<double>();
    case J::value_t::binary:
      return ordered_json::binary(v.get_binary());
    case J::value_t::null:
    case J::value_t::discarded:
      break;
  }
  return nullptr;
}

// Reads the model field by field, collecting every problem as pydantic does (it reports
// all errors of one validation, not the first).
template <typename J>
class BomReader {
 public:
  Result<TrainingBom> read(const J& root) {
    TrainingBom bom;
    if (!root.is_object()) {
      fail("", "Input should be a valid dictionary or instance of TrainingBOM");
      return finish(std::move(bom));
    }
    read_string(root, "", "id", bom.id);
    read_string(root, "", "start_time", bom.start_time);
    read_string(root, "", "end_time", bom.end_time);
    if (const J* info = required_model(root, "", "dataset_info", "DatasetInfo")) {
      read_string(*info, "/dataset_info", "origin", bom.dataset_info.origin);
      read_size(*info, "/dataset_info", bom.dataset_info.size);
    }
    if (const J* info = required_model(root, "", "feature_info", "FeatureInfo")) {
      read_strings(*info, "/feature_info", "original_features", bom.feature_info.original_features);
      read_strings(*info, "/feature_info", "selected_features", bom.feature_info.selected_features);
    }
    if (const J* info = required_model(root, "", "model_info", "ModelInfo")) {
      read_string(*info, "/model_info", "type", bom.model_info.type);
      read_string(*info, "/model_info", "architecture", bom.model_info.architecture);
    }
    read_dict(root, "mlflow_params", bom.mlflow_params);
    read_dict(root, "mlflow_metrics", bom.mlflow_metrics);
    return finish(std::move(bom));
  }

 private:
  void fail(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  Result<TrainingBom> finish(TrainingBom bom) {
    if (errors_.empty()) return bom;
    std::string message = "not a valid TrainingBOM: ";
    for (size_t i = 0; i < errors_.size(); ++i) {
      if (i > 0) message += "; ";
      message += (errors_[i].path.empty() ? "/" : errors_[i].path) + ": " + errors_[i].message;
    }
    return Status(ErrorCode::kInvalidConfig, std::move(message), std::move(errors_));
  }

  // The member `key` of `object`, or null (after recording "Field required") when absent.
  const J* required(const J& object, const std::string& at, const std::string& key) {
    auto it = object.find(key);
    if (it == object.end()) {
      fail(at + "/" + pointer_token(key), "Field required");
      return nullptr;
    }
    return &*it;
  }

  const J* required_model(const J& object, const std::string& at, const std::string& key,
                          const std::string& model) {
    const J* value = required(object, at, key);
    if (value != nullptr && !value->is_object()) {
      fail(at + "/" + key, "Input should be a valid dictionary or instance of " + model);
      return nullptr;
    }
    return value;
  }

  void read_string(const J& object, const std::string& at, const std::string& key,
                   std::string& out) {
    const J* value = required(object, at, key);
    if (value == nullptr) return;
    if (!value->is_string()) {
      fail(at + "/" + key, "Input should be a valid string");
      return;
    }
    out = value->template get<std::string>();
  }

  void read_size(const J& info, const std::string& at, int64_t& out) {
    auto it = info.find("size");
    if (it == info.end()) return;  // default 0
    const std::string path = at + "/size";
    if (it->is_number_integer() && !it->is_number_unsigned()) {
      out = it->template get<int64_t>();
    } else if (it->is_number_unsigned()) {
      const auto u = it->template get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(path, "Input should be an integer that fits in 64 bits (signed)");
        return;
      }
      out = static_cast<int64_t>(u);
    } else {
      // Strict mode refuses floats (even 2.0), booleans and numeric strings.
      fail(path, "Input should be a valid integer");
    }
  }

  void read_strings(const J& info, const std::string& at, const std::string& key,
                    std::vector<std::string>& out) {
    auto it = info.find(key);
    if (it == info.end()) return;  // default []
    const std::string path = at + "/" + key;
    if (!it->is_array()) {
      fail(path, "Input should be a valid list");
      return;
    }
    size_t index = 0;
    for (const auto& element : *it) {
      if (element.is_string()) {
        out.push_back(element.template get<std::string>());
      } else {
        fail(path + "/" + std::to_string(index), "Input should be a valid string");
      }
      ++index;
    }
  }

  void read_dict(const J& root, const std::string& key, ordered_json& out) {
    const J* value = required(root, "", key);
    if (value == nullptr) return;
    if (!value->is_object()) {
      fail("/" + key, "Input should be a valid dictionary");
      return;
    }
    out = to_ordered(*value);
  }

  std::vector<ErrorDetail> errors_;
};

}  // namespace

nlohmann::ordered_json TrainingBom::to_json() const {
  ordered_json out = ordered_json::object();
  out["id"] = id;
  out["start_time"] = start_time;
  out["end_time"] = end_time;
  out["dataset_info"] = ordered_json::object();
  out["dataset_info"]["origin"] = dataset_info.origin;
  out["dataset_info"]["size"] = dataset_info.size;
  out["feature_info"] = ordered_json::object();
  out["feature_info"]["original_features"] = string_array(feature_info.original_features);
  out["feature_info"]["selected_features"] = string_array(feature_info.selected_features);
  out["model_info"] = ordered_json::object();
  out["model_info"]["type"] = model_info.type;
  out["model_info"]["architecture"] = model_info.architecture;
  out["mlflow_params"] = mlflow_params.is_object() ? mlflow_params : ordered_json::object();
  out["mlflow_metrics"] = mlflow_metrics.is_object() ? mlflow_metrics : ordered_json::object();
  return out;
}

std::string TrainingBom::dump(int indent) const { return dump_pydantic_json(to_json(), indent); }

Result<TrainingBom> TrainingBom::from_json(const nlohmann::json& value) {
  return BomReader<nlohmann::json>().read(value);
}

Result<TrainingBom> TrainingBom::from_json(const nlohmann::ordered_json& value) {
  return BomReader<nlohmann::ordered_json>().read(value);
}

const nlohmann::json& training_bom_schema() {
  // As pydantic 2.x's GenerateJsonSchema builds it for the seed's model (checked against
  // pydantic/json_schema.py): model title = class __name__, description = the cleaned
  // class docstring, field title = name.title() with '_' -> ' ', nested models under
  // "$defs" by short name and referenced by a bare "$ref" (fields with refs get no title),
  // "required" only when non-empty, defaults as "default", and a bare Dict as an object
  // with "additionalProperties": true. The docstrings are the one-line ones of
  // aissemble_core_bom/training_bom.py.
  static const nlohmann::json kSchema = nlohmann::json::parse(R"json({
  "$defs": {
    "DatasetInfo": {
      "description": "Represents training dataset information for the Bill of Materials.",
      "properties": {
        "origin": {"title": "Origin", "type": "string"},
        "size": {"default": 0, "title": "Size", "type": "integer"}
      },
      "required": ["origin"],
      "title": "DatasetInfo",
      "type": "object"
    },
    "FeatureInfo": {
      "description": "Represents feature engineering/selection information for the Bill of Materials.",
      "properties": {
        "original_features": {
          "default": [], "items": {"type": "string"}, "title": "Original Features", "type": "array"
        },
        "selected_features": {
          "default": [], "items": {"type": "string"}, "title": "Selected Features", "type": "array"
        }
      },
      "title": "FeatureInfo",
      "type": "object"
    },
    "ModelInfo": {
      "description": "Represents training model information for the Bill of Materials.",
      "properties": {
        "type": {"title": "Type", "type": "string"},
        "architecture": {"title": "Architecture", "type": "string"}
      },
      "required": ["type", "architecture"],
      "title": "ModelInfo",
      "type": "object"
    }
  },
  "description": "Represent a Bill of Materials for model training.",
  "properties": {
    "id": {"title": "Id", "type": "string"},
    "start_time": {"title": "Start Time", "type": "string"},
    "end_time": {"title": "End Time", "type": "string"},
    "dataset_info": {"$ref": "#/$defs/DatasetInfo"},
    "feature_info": {"$ref": "#/$defs/FeatureInfo"},
    "model_info": {"$ref": "#/$defs/ModelInfo"},
    "mlflow_params": {"additionalProperties": true, "title": "Mlflow Params", "type": "object"},
    "mlflow_metrics": {"additionalProperties": true, "title": "Mlflow Metrics", "type": "object"}
  },
  "required": ["id", "start_time", "end_time", "dataset_info", "feature_info", "model_info",
               "mlflow_params", "mlflow_metrics"],
  "title": "TrainingBOM",
  "type": "object"
})json",
                                                              nullptr, /*allow_exceptions=*/false);
  return kSchema;
}

}  // namespace traind::tracking
