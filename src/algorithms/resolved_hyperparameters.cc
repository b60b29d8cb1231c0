// Resolution of an adapter's hyperparameters against its AlgorithmSpec.
#include "algorithms/resolved_hyperparameters.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace traind::algorithms {
namespace {

const HyperParameter* find_parameter(const AlgorithmSpec& spec, const std::string& name) {
  for (const HyperParameter& p : spec.hyperparameters) {
    if (p.name == name) return &p;
    if (std::find(p.aliases.begin(), p.aliases.end(), name) != p.aliases.end()) return &p;
  }
  return nullptr;
}

bool is_integral(const nlohmann::json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

// Empty when `value` fits `p`, else what is wrong with it.
std::string check_value(const HyperParameter& p, const nlohmann::json& value) {
  if (value.is_null()) {
    return p.default_value.is_null() ? "" : "must not be null";
  }
  switch (p.type) {
    case ParamType::kBoolean:
      return value.is_boolean() ? "" : "must be a boolean";
    case ParamType::kString:
      if (!value.is_string()) return "must be a string";
      if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(),
                                          value.get<std::string>()) == p.choices.end()) {
        return fmt::format("must be one of {}", fmt::join(p.choices, ", "));
      }
      return "";
    case ParamType::kIntegerArray:
      if (!value.is_array()) return "must be an array of integers";
      for (const auto& item : value) {
        if (!is_integral(item)) return "must be an array of integers";
      }
      return "";
    case ParamType::kInteger:
      if (!is_integral(value)) return "must be an integer";
      break;
    case ParamType::kNumber:
      if (!value.is_number()) return "must be a number";
      break;
    case ParamType::kNumberOrString: {
      const std::string expected = p.choices.empty() ? "must be a number"
                                                     : fmt::format("must be a number or one of {}",
                                                                   fmt::join(p.choices, ", "));
      if (value.is_string()) {
        const bool listed = std::find(p.choices.begin(), p.choices.end(),
                                      value.get<std::string>()) != p.choices.end();
        return listed ? "" : expected;
      }
      if (value.is_boolean() && p.accepts_boolean) return "";
      if (!value.is_number()) return expected;
      break;
    }
  }
  double d = value.get<double>();
  if (p.minimum && (p.exclusive_minimum ? d <= *p.minimum : d < *p.minimum)) {
    return fmt::format("must be {} {}", p.exclusive_minimum ? ">" : ">=", *p.minimum);
  }
  if (p.maximum && (p.exclusive_maximum ? d >= *p.maximum : d > *p.maximum)) {
    return fmt::format("must be {} {}", p.exclusive_maximum ? "<" : "<=", *p.maximum);
  }
  return "";
}

}  // namespace

Result<nlohmann::json> resolve_hyperparameters(const AlgorithmSpec& spec,
                                               const nlohmann::json& given) {
  if (!given.is_null() && !given.is_object()) {
    return Status(ErrorCode::kInvalidConfig, "hyperparameters must be an object");
  }
  nlohmann::json resolved = nlohmann::json::object();
  std::vector<ErrorDetail> problems;
  if (given.is_object()) {
    for (const auto& [name, value] : given.items()) {
      const std::string path = "/hyperparameters/" + name;
      const HyperParameter* p = find_parameter(spec, name);
      if (p == nullptr) {
        problems.push_back(
            {path, fmt::format("unknown hyperparameter '{}' for {}", name, spec.name)});
        continue;
      }
      if (resolved.contains(p->name)) {
        problems.push_back(
            {path, fmt::format("'{}' is given twice (as an alias of '{}')", name, p->name)});
        continue;
      }
      if (std::string problem = check_value(*p, value); !problem.empty()) {
        problems.push_back({path, fmt::format("{} {}", name, problem)});
        continue;
      }
      // Integers written as 3.0 are stored as 3 so adapters can read them as integers.
      if (p->type == ParamType::kInteger && value.is_number_float()) {
        resolved[p->name] = static_cast<int64_t>(value.get<double>());
      } else {
        resolved[p->name] = value;
      }
    }
  }
  if (!problems.empty()) {
    std::string message = problems.front().message;
    return Status(ErrorCode::kInvalidConfig, message, std::move(problems));
  }
  for (const HyperParameter& p : spec.hyperparameters) {
    if (!resolved.contains(p.name)) resolved[p.name] = p.default_value;
  }
  return resolved;
}

}  // namespace traind::algorithms
