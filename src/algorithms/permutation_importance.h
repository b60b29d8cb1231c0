// Permutation importance (scikit-learn's sklearn.inspection.permutation_importance with
// the estimator's default score): how much the score on held-out rows drops when one
// feature's column is shuffled, averaged over repeats.
//
// Score: accuracy for classification, R² for regression. Negative means (shuffling helped
// by chance) are reported as 0, because importances here are shares that sum to 1.
#pragma once

#include <cstdint>
#include <vector>

#include "algorithms/trainer.h"
#include "core/status.h"

namespace traind::algorithms {

struct PermutationImportanceOptions {
  Task task = Task::kClassification;
  int repeats = 5;
  uint64_t seed = 0;
  // Optional: a group id per encoded column of x, then per text column. Columns of one
  // group (the one-hot features of one input column) are shuffled together, as
  // scikit-learn shuffles the raw column; the group's importance goes to its first member.
  std::vector<size_t> groups;
};

// One value per column of data.x, then per text column, computed with model.predict.
Result<std::vector<double>> permutation_importance(const Model& model, const Dataset& data,
                                                   const PermutationImportanceOptions& options);

}  // namespace traind::algorithms
