// The algorithm registry: the list of built-in algorithms and lookup by name or alias.
#include "algorithms/registry.h"

#include <algorithm>
#include <cctype>

#include "algorithms/algorithm_specs.h"

namespace traind::algorithms {
namespace {

bool equals_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

const std::vector<const AlgorithmSpec*>& all_algorithms() {
  // Adding an algorithm: a new *_trainer.cc exposing its spec, plus one line here.
  static const std::vector<const AlgorithmSpec*> kAlgorithms = {
      &xgboost_spec(),  &logistic_regression_spec(), &linear_regression_spec(),
      &lightgbm_spec(), &random_forest_spec(),       &arima_spec(),
      &prophet_spec(),  &neural_network_spec(),
  };
  return kAlgorithms;
}

const AlgorithmSpec* find_algorithm(const std::string& name_or_alias) {
  for (const AlgorithmSpec* spec : all_algorithms()) {
    if (equals_ignoring_case(spec->name, name_or_alias)) return spec;
    for (const std::string& alias : spec->aliases) {
      if (equals_ignoring_case(alias, name_or_alias)) return spec;
    }
  }
  return nullptr;
}

}  // namespace traind::algorithms
