// Objective: the loss a GBDT minimises, as LightGBM defines it (objective/*.hpp): gradients
// and hessians in float32, the initial score (boost_from_average), leaf renewal for
// regression_l1, the objective's line in the model file and its default validation metric.
//
// Scores are class-major: score of row i for class k at scores[k * num_rows + i].
// An Objective is immutable after creation; gradients() may run on disjoint row ranges from
// several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "engines/trees/gbdt.h"

namespace traind::engines::trees::detail {

// LightGBM's kEpsilon: the float 1e-15 widened to double.
inline constexpr double kEpsilon = static_cast<double>(1e-15f);

class Objective {
 public:
  virtual ~Objective() = default;

  // Reads the labels (and weights, empty = all 1) of the training set. Errors on labels the
  // objective cannot take (multiclass labels outside [0, num_class)).
  static Result<std::unique_ptr<Objective>> create(const GbdtConfig& config,
                                                   std::span<const float> labels,
                                                   std::span<const float> weights);

  virtual int num_tree_per_iteration() const { return 1; }
  // False for a class that cannot be learnt (one-class binary, multiclass prior 0 or 1).
  virtual bool class_needs_training(int /*class_id*/) const { return true; }
  // LightGBM's BoostFromScore.
  virtual double initial_score(int class_id) const = 0;
  // Gradients and hessians of rows [begin, end) for every class (class-major arrays).
  virtual void gradients(const double* scores, int64_t begin, int64_t end, float* grad,
                         float* hess) const = 0;

  // regression_l1 replaces each leaf value by a percentile of the residuals in the leaf.
  virtual bool renews_leaves() const { return false; }
  // `rows`: the in-bag rows of one leaf; `scores`: the class's current scores.
  virtual double renew_leaf_output(std::span<const int> /*rows*/, const double* /*scores*/) const {
    return 0.0;
  }

  // The model file's objective line, e.g. "binary sigmoid:1", "multiclass num_class:5".
  virtual std::string model_string() const = 0;
  // Default validation metric (l2, l1, huber, binary_logloss, multi_logloss); lower is better.
  virtual std::string metric_name() const = 0;
  virtual double metric(const double* scores, int64_t num_rows, std::span<const float> labels,
                        std::span<const float> weights) const = 0;
};

}  // namespace traind::engines::trees::detail
