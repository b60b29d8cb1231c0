// The algorithm registry: every algorithm traind can train, by name or alias.
#pragma once

#include <string>
#include <vector>

#include "algorithms/hyperparameter.h"

namespace traind::algorithms {

// All registered algorithms, in a stable order.
const std::vector<const AlgorithmSpec*>& all_algorithms();

// The algorithm with this name or alias (case-insensitive), or nullptr.
const AlgorithmSpec* find_algorithm(const std::string& name_or_alias);

}  // namespace traind::algorithms
