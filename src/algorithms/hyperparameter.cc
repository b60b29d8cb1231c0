#include "algorithms/hyperparameter.h"

#include <algorithm>

namespace traind::algorithms {

bool AlgorithmSpec::supports(const std::string& task) const {
  return std::find(tasks.begin(), tasks.end(), task) != tasks.end();
}

}  // namespace traind::algorithms
