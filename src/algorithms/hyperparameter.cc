#include "algorithms/hyperparameter.h"

#include <algorithm>

namespace traind::algorithms {

bool AlgorithmSpec::supports(const std::string& task) const {
  return std::find(tasks.begin(), tasks.end(), task) != tasks.end();
}

bool AlgorithmSpec::categorical_codes_for(const nlohmann::json& resolved) const {
  return native_categorical_when ? native_categorical_when(resolved) : native_categorical;
}

}  // namespace traind::algorithms
