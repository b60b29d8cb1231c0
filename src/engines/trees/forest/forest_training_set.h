// Turning the caller's double matrix and labels into what scikit-learn 1.2 trains on:
// float32 columns (NaN/inf rejected), labels encoded by sorted unique value, and the
// parameters resolved against the data (max_features, min_samples_*, max_samples).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/tree_builder.h"

namespace traind::engines::trees::detail {

struct ForestTrainingSet {
  TrainingColumns columns;
  std::vector<double> classes;       // classification: sorted unique labels
  std::vector<double> labels;        // as given (for the OOB score)
  std::vector<double> base_weights;  // sample weight x expanded class weight (per row)
};

// Validates and converts the inputs; `max_features` (resolved) picks the rank layout and
// `n_threads` is used for indexing the columns.
Result<ForestTrainingSet> make_training_set(const ForestConfig& config, const FeatureMatrix& x,
                                            std::span<const double> labels,
                                            std::span<const double> sample_weights,
                                            int max_features, int n_threads);

// Resolves scikit-learn's relative parameter forms against n rows and p features.
Result<ResolvedForestParams> resolve_forest_params(const ForestConfig& config, int64_t n_rows,
                                                   int n_features);

// The tree-level parameters for the builder (min_weight_leaf is set per tree).
Result<TreeGrowParams> tree_grow_params(const ForestConfig& config,
                                        const ResolvedForestParams& resolved);

// Converts a prediction matrix to float32 row access; rejects NaN / inf like scikit-learn.
Status check_prediction_matrix(const FeatureMatrix& x, int n_features);

}  // namespace traind::engines::trees::detail
