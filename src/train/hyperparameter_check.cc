// Hyperparameter checking and resolution against an AlgorithmSpec's declarations.
#include "train/hyperparameter_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "train/config_schema.h"
#include "train/json_pointer.h"
#include "train/validation_text.h"

namespace traind::train {
namespace {

using algorithms::AlgorithmSpec;
using algorithms::HyperParameter;
using algorithms::ParamType;
using nlohmann::json;

const HyperParameter* find_declared(const AlgorithmSpec& spec, const std::string& name) {
  for (const HyperParameter& p : spec.hyperparameters) {
    if (p.name == name) return &p;
    if (std::find(p.aliases.begin(), p.aliases.end(), name) != p.aliases.end()) return &p;
  }
  return nullptr;
}

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

std::string range_text(const HyperParameter& p) {
  std::vector<std::string> parts;
  if (p.minimum) {
    parts.push_back(
        fmt::format("{} {}", p.exclusive_minimum ? ">" : ">=", format_bound(*p.minimum)));
  }
  if (p.maximum) {
    parts.push_back(
        fmt::format("{} {}", p.exclusive_maximum ? "<" : "<=", format_bound(*p.maximum)));
  }
  return fmt::format("{}", fmt::join(parts, " and "));
}

bool in_range(const HyperParameter& p, double d) {
  if (p.minimum && (p.exclusive_minimum ? d <= *p.minimum : d < *p.minimum)) return false;
  if (p.maximum && (p.exclusive_maximum ? d >= *p.maximum : d > *p.maximum)) return false;
  return true;
}

// Empty when `value` fits `p`, else the sentence saying what is wrong with it.
std::string value_problem(const HyperParameter& p, const json& value) {
  const std::string got = value_preview(value);
  if (value.is_null()) {
    return p.default_value.is_null()
               ? ""
               : fmt::format("must not be null (default {})", p.default_value.dump());
  }
  switch (p.type) {
    case ParamType::kBoolean:
      return value.is_boolean() ? "" : "must be true or false; got " + got;
    case ParamType::kString: {
      if (!value.is_string()) return "must be a string; got " + got;
      const std::string s = value.get<std::string>();
      if (!p.choices.empty() &&
          std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) {
        std::string message = fmt::format("must be one of {}; got {}", join_names(p.choices), got);
        if (auto near = closest_name(s, p.choices))
          message += fmt::format(" (did you mean '{}'?)", *near);
        return message;
      }
      return "";
    }
    case ParamType::kIntegerArray:
      if (!value.is_array()) return "must be an array of integers; got " + got;
      for (size_t i = 0; i < value.size(); ++i) {
        if (!is_integral(value[i])) {
          return fmt::format("must be an array of integers; item {} is {}", i,
                             value_preview(value[i]));
        }
        if (!in_range(p, value[i].get<double>())) {
          return fmt::format("items must be {}; item {} is {}", range_text(p), i,
                             value_preview(value[i]));
        }
      }
      return "";
    case ParamType::kInteger:
      if (!is_integral(value)) return "must be an integer; got " + got;
      break;
    case ParamType::kNumber:
      if (!value.is_number()) return "must be a number; got " + got;
      break;
    case ParamType::kNumberOrString:
      if (value.is_string()) {
        const std::string s = value.get<std::string>();
        if (std::find(p.choices.begin(), p.choices.end(), s) != p.choices.end()) return "";
        std::string message =
            fmt::format("must be a number{} or one of {}; got {}",
                        p.accepts_boolean ? ", true, false" : "", join_names(p.choices), got);
        if (auto near = closest_name(s, p.choices))
          message += fmt::format(" (did you mean '{}'?)", *near);
        return message;
      }
      if (value.is_boolean() && p.accepts_boolean) return "";
      if (!value.is_number()) {
        return p.choices.empty() ? "must be a number; got " + got
                                 : fmt::format("must be a number{} or one of {}; got {}",
                                               p.accepts_boolean ? ", true, false" : "",
                                               join_names(p.choices), got);
      }
      break;
  }
  if (!in_range(p, value.get<double>()))
    return fmt::format("must be {}; got {}", range_text(p), got);
  return "";
}

json normalised(const HyperParameter& p, const json& value) {
  if (p.type == ParamType::kInteger && value.is_number_float()) {
    return static_cast<int64_t>(value.get<double>());
  }
  if (p.type == ParamType::kIntegerArray && value.is_array()) {
    json out = json::array();
    for (const json& item : value) {
      out.push_back(item.is_number_float() ? json(static_cast<int64_t>(item.get<double>())) : item);
    }
    return out;
  }
  return value;
}

std::string unknown_message(const AlgorithmSpec& spec, const std::string& name) {
  std::vector<std::string> names;
  std::vector<std::string> canonical;
  for (const HyperParameter& p : spec.hyperparameters) {
    canonical.push_back(p.name);
    names.push_back(p.name);
    names.insert(names.end(), p.aliases.begin(), p.aliases.end());
  }
  if (auto near = closest_name(name, names)) {
    return fmt::format("unknown hyperparameter '{}' for {}; did you mean '{}'?", name, spec.name,
                       *near);
  }
  return fmt::format("unknown hyperparameter '{}' for {}; known: {}", name, spec.name,
                     join_names(canonical));
}

}  // namespace

CheckedHyperparameters check_hyperparameters(const AlgorithmSpec& spec, const json& given) {
  CheckedHyperparameters out;
  // Which given names set each canonical parameter, canonical name first, to find conflicts.
  std::map<std::string, std::vector<std::string>> given_names;
  if (given.is_object()) {
    for (const auto& [name, value] : given.items()) {
      const std::string path = append_pointer("/hyperparameters", name);
      const HyperParameter* p = find_declared(spec, name);
      if (p == nullptr) {
        out.problems.push_back({path, unknown_message(spec, name)});
        continue;
      }
      std::vector<std::string>& names = given_names[p->name];
      if (name == p->name) {
        names.insert(names.begin(), name);
      } else {
        names.push_back(name);
        out.aliases_used[name] = p->name;
      }
      if (std::string problem = value_problem(*p, value); !problem.empty()) {
        out.problems.push_back({path, problem});
        continue;
      }
      out.values[p->name] = normalised(*p, value);
    }
  }
  for (const auto& [canonical, names] : given_names) {
    for (size_t i = 1; i < names.size(); ++i) {
      const std::string& extra = names[i];
      out.problems.push_back(
          {append_pointer("/hyperparameters", extra),
           names[0] == canonical
               ? fmt::format("'{}' is an alias of '{}', which is also given; give only one", extra,
                             canonical)
               : fmt::format("'{}' and '{}' are both aliases of '{}'; give only one", names[0],
                             extra, canonical)});
    }
  }
  for (const HyperParameter& p : spec.hyperparameters) {
    if (!out.values.contains(p.name)) out.values[p.name] = p.default_value;
  }
  return out;
}

}  // namespace traind::train
