// ForestConfig <-> JSON values: the parser behind ForestConfig::set / parse_forest_config and
// the "params" object of the .rf.json artifact. One table of names, shared by both directions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engines/trees/forest.h"

namespace traind::engines::trees::detail {

// Sets one scikit-learn parameter; the error names it and lists the allowed values.
Status apply_forest_param(ForestConfig& config, const std::string& name,
                          const nlohmann::json& value);

// The parameters as scikit-learn would print them (fractions stay floats, counts ints).
nlohmann::ordered_json forest_params_to_json(const ForestConfig& config);

}  // namespace traind::engines::trees::detail
