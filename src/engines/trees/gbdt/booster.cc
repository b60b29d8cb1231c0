// train_gbdt: LightGBM's boosting loop (boosting/gbdt.cpp GBDT::TrainOneIter, BoostFromAverage,
// UpdateScore) with the Python package's early-stopping rule, producing a GbdtModel.
//
// Order per iteration, as LightGBM: initial scores (first iteration only), gradients of all
// rows, bag redraw, then per class: feature draw, tree growth on the bag, leaf renewal
// (regression_l1), shrinkage, score updates (train and validation), initial score folded into
// the first tree. Then the validation metric, early stopping and the caller's callback.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/binned_dataset.h"
#include "engines/trees/gbdt/feature_sampling.h"
#include "engines/trees/gbdt/gbdt_model_data.h"
#include "engines/trees/gbdt/goss_sampling.h"
#include "engines/trees/gbdt/leaf_wise_learner.h"
#include "engines/trees/gbdt/model_text.h"
#include "engines/trees/gbdt/objective.h"
#include "engines/trees/gbdt/row_bagging.h"
#include "engines/trees/gbdt/thread_pool.h"

namespace traind::engines::trees {
namespace {

using detail::BinMatrixView;
using detail::BinnedDataset;
using detail::kEpsilon;
using detail::Tree;

// Tree::MaybeRoundToZero.
double round_to_zero(double v) { return std::fabs(v) > detail::kZeroThreshold ? v : 0.0; }

void shrink(Tree* tree, double rate) {
  for (double& v : tree->leaf_value) v = round_to_zero(v * rate);
  for (double& v : tree->internal_value) v = round_to_zero(v * rate);
  tree->shrinkage *= rate;
}

void add_bias(Tree* tree, double bias) {
  for (double& v : tree->leaf_value) v = round_to_zero(v + bias);
  for (double& v : tree->internal_value) v = round_to_zero(v + bias);
  tree->shrinkage = 1.0;
}

Tree constant_tree(double value, int64_t num_rows) {
  Tree tree;
  tree.num_leaves = 1;
  tree.leaf_value = {value};
  tree.leaf_weight = {0.0};
  tree.leaf_count = {static_cast<int>(num_rows)};
  tree.shrinkage = 1.0;
  return tree;
}

BinMatrixView view_of(const BinnedDataset& data) {
  BinMatrixView view;
  view.bins8 = data.bins8.empty() ? nullptr : data.bins8.data();
  view.bins16 = data.bins8.empty() ? data.bins16.data() : nullptr;
  view.num_rows = data.num_rows;
  view.num_features = data.num_used();
  return view;
}

std::vector<detail::LearnerFeature> learner_features(const BinnedDataset& data) {
  std::vector<detail::LearnerFeature> out;
  for (int column : data.used_features) {
    const detail::BinMapper& m = data.mappers[column];
    detail::LearnerFeature f;
    f.meta.column = column;
    f.meta.num_bins = m.num_bins();
    f.meta.missing_type = m.missing_type();
    f.meta.default_bin = m.default_bin();
    f.meta.most_freq_bin = m.most_freq_bin();
    f.meta.categorical = m.bin_type() == detail::BinType::kCategorical;
    if (f.meta.categorical) {
      f.bin_categories = m.bin_categories();
    } else {
      f.bin_upper_bounds = m.bin_upper_bounds();
    }
    out.push_back(std::move(f));
  }
  return out;
}

Status check_dataset(const GbdtDataset& data, const char* what, int num_columns) {
  const auto rows = static_cast<size_t>(data.features.num_rows);
  if (data.labels.size() != rows) {
    return Status(ErrorCode::kDataError, std::string(what) + ": " +
                                             std::to_string(data.labels.size()) + " labels for " +
                                             std::to_string(rows) + " rows");
  }
  if (!data.weights.empty() && data.weights.size() != rows) {
    return Status(ErrorCode::kDataError,
                  std::string(what) + ": weights must be empty or one per row");
  }
  if (num_columns >= 0 && data.features.num_columns != num_columns) {
    return Status(ErrorCode::kDataError,
                  std::string(what) + " has " + std::to_string(data.features.num_columns) +
                      " columns, the training set " + std::to_string(num_columns));
  }
  return Status::ok();
}

// Python lightgbm's early_stopping callback: a new best needs score < best - min_delta (all
// default metrics are lower-is-better); stop when the best is `rounds` iterations old.
class EarlyStopping {
 public:
  EarlyStopping(int rounds, double min_delta) : rounds_(rounds), min_delta_(min_delta) {}
  bool enabled() const { return rounds_ > 0; }
  // Returns true when training should stop after `iteration` (0-based).
  bool update(int iteration, double score) {
    if (!has_best_ || score < best_score_ - min_delta_) {
      has_best_ = true;
      best_score_ = score;
      best_iteration_ = iteration;
      return false;
    }
    return iteration - best_iteration_ >= rounds_;
  }
  int best_iteration() const { return best_iteration_ + 1; }  // 1-based

 private:
  int rounds_;
  double min_delta_;
  bool has_best_ = false;
  double best_score_ = 0.0;
  int best_iteration_ = -1;
};

// LightGBM's model file cannot hold names with these characters (its Python package rejects
// them too); spaces become '_' as in LightGBM.
Result<std::vector<std::string>> model_feature_names(const std::vector<std::string>& given,
                                                     int num_columns) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (int c = 0; c < num_columns; ++c) {
    std::string name = given.empty() ? "f" + std::to_string(c) : given[c];
    std::replace(name.begin(), name.end(), ' ', '_');
    if (name.empty() || name.find_first_of("\",:[]{}") != std::string::npos) {
      return Status(ErrorCode::kDataError,
                    "feature name '" + name +
                        "' must be non-empty and must not contain any of \" , : [ ] { }");
    }
    if (!seen.insert(name).second) {
      return Status(ErrorCode::kDataError, "feature name '" + name + "' is used twice");
    }
    names.push_back(std::move(name));
  }
  return names;
}

Result<GbdtModel> train_model(const GbdtConfig& config, const GbdtDataset& train,
                              const GbdtDataset* validation,
                              const std::vector<std::string>& feature_names,
                              const GbdtIterationCallback& on_iteration) {
  const int num_columns = train.features.num_columns;
  const int64_t n = train.features.num_rows;
  if (n <= 0 || num_columns <= 0) {
    return Status(ErrorCode::kDataError, "training data must have at least one row and column");
  }
  TRAIND_RETURN_IF_ERROR(check_dataset(train, "training data", -1));
  if (validation != nullptr) {
    TRAIND_RETURN_IF_ERROR(check_dataset(*validation, "validation data", num_columns));
  }
  if (n > std::numeric_limits<int>::max()) {
    return Status(ErrorCode::kDatasetTooLarge, "training data has more than 2^31-1 rows");
  }
  if (!feature_names.empty() && static_cast<int>(feature_names.size()) != num_columns) {
    return Status(ErrorCode::kInvalidConfig, "feature_names must name every column");
  }
  auto names = model_feature_names(feature_names, num_columns);
  if (!names) return names.status();
  if (config.data_sample_strategy == "goss" && config.bagging_freq > 0 &&
      config.bagging_fraction != 1.0) {
    return Status(ErrorCode::kInvalidConfig,
                  "parameter 'data_sample_strategy': goss cannot be combined with bagging "
                  "(bagging_freq > 0 and bagging_fraction < 1)");
  }
  if (config.early_stopping_round > 0 && validation == nullptr) {
    return Status(ErrorCode::kInvalidConfig,
                  "parameter 'early_stopping_round': early stopping needs a validation set");
  }
  for (int c : config.categorical_feature) {
    if (c >= num_columns) {
      return Status(ErrorCode::kInvalidConfig, "parameter 'categorical_feature': column " +
                                                   std::to_string(c) + " does not exist (" +
                                                   std::to_string(num_columns) + " columns)");
    }
  }

  auto objective_or = detail::Objective::create(config, train.labels, train.weights);
  if (!objective_or) return objective_or.status();
  const std::unique_ptr<detail::Objective> objective = std::move(objective_or).value();
  const int num_class = objective->num_tree_per_iteration();

  detail::BinningOptions binning;
  binning.max_bin = config.max_bin;
  binning.min_data_in_bin = config.min_data_in_bin;
  binning.bin_construct_sample_cnt = config.bin_construct_sample_cnt;
  binning.data_random_seed = config.data_random_seed;
  binning.use_missing = config.use_missing;
  binning.zero_as_missing = config.zero_as_missing;
  binning.feature_pre_filter = config.feature_pre_filter;
  binning.min_data_in_leaf = config.min_data_in_leaf;
  binning.categorical_features = config.categorical_feature;
  binning.num_threads = config.num_threads;
  auto binned_or = detail::build_binned_dataset(train.features, binning);
  if (!binned_or) return binned_or.status();
  const BinnedDataset binned = std::move(binned_or).value();
  BinnedDataset valid_binned;
  if (validation != nullptr) valid_binned = detail::bin_like(validation->features, binned);
  const BinMatrixView train_view = view_of(binned);
  const BinMatrixView valid_view = view_of(valid_binned);
  const int64_t nv = validation != nullptr ? validation->features.num_rows : 0;
  const int num_used = binned.num_used();

  detail::ThreadPool pool(config.num_threads);
  detail::LeafWiseLearner learner(train_view, learner_features(binned), config, &pool);
  detail::RowBagging bagging(config, n);
  detail::GossSampling goss(config, n, num_class);
  detail::FeatureSampling feature_sampling(config, num_used);
  EarlyStopping early_stopping(config.early_stopping_round, config.early_stopping_min_delta);

  std::vector<double> scores(static_cast<size_t>(n) * num_class, 0.0);
  std::vector<double> valid_scores(static_cast<size_t>(nv) * num_class, 0.0);
  std::vector<float> grad(scores.size()), hess(scores.size());
  std::vector<char> in_bag(bagging.active() || goss.active() ? n : 0);
  std::vector<Tree> trees;
  bool cancelled_or_stopped = false;
  int iterations_done = 0;

  for (int iter = 0; iter < config.num_iterations && !cancelled_or_stopped; ++iter) {
    std::vector<double> init_scores(num_class, 0.0);
    const bool first = trees.empty();
    // BoostFromAverage (forced when no feature is usable, as LightGBM does).
    if (first && (config.boost_from_average || num_used == 0)) {
      for (int k = 0; k < num_class; ++k) {
        const double init = objective->initial_score(k);
        if (std::fabs(init) > kEpsilon) {
          init_scores[k] = init;
          for (int64_t i = 0; i < n; ++i) scores[k * n + i] += init;
          for (int64_t i = 0; i < nv; ++i) valid_scores[k * nv + i] += init;
        }
      }
    }
    pool.for_range(n, 4096, pool.num_threads() * 4, [&](int64_t begin, int64_t end) {
      objective->gradients(scores.data(), begin, end, grad.data(), hess.data());
    });
    std::span<const int> bag;
    if (goss.active()) {
      goss.sample(iter, grad.data(), hess.data());
      bag = goss.rows();
    } else {
      bagging.maybe_redraw(iter);
      bag = bagging.rows();
    }

    if (!bag.empty()) {
      std::fill(in_bag.begin(), in_bag.end(), 0);
      for (int r : bag) in_bag[r] = 1;
    }
    bool any_split = false;
    for (int k = 0; k < num_class; ++k) {
      Tree tree = constant_tree(0.0, n);
      bool trained = false;
      if (objective->class_needs_training(k) && num_used > 0) {
        const std::vector<char>& used = feature_sampling.next_tree();
        tree = learner.train(grad.data() + k * n, hess.data() + k * n, bag, used);
        trained = true;
      }
      if (trained && tree.num_leaves > 1) {
        any_split = true;
        double* class_scores = scores.data() + k * n;
        if (objective->renews_leaves()) {
          for (int leaf = 0; leaf < tree.num_leaves; ++leaf) {
            const auto rows = learner.leaf_rows(leaf);
            if (!rows.empty())
              tree.leaf_value[leaf] = objective->renew_leaf_output(rows, class_scores);
          }
        }
        shrink(&tree, config.learning_rate);
        // Score updates: in-bag rows by partition, the rest by walking the binned tree.
        for (int leaf = 0; leaf < tree.num_leaves; ++leaf) {
          for (int r : learner.leaf_rows(leaf)) class_scores[r] += tree.leaf_value[leaf];
        }
        if (!bag.empty()) {
          pool.for_range(n, 8192, pool.num_threads() * 4, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
              if (!in_bag[i]) class_scores[i] += tree.leaf_value[learner.leaf_of(train_view, i)];
            }
          });
        }
        double* class_valid = valid_scores.data() + k * nv;
        pool.for_range(nv, 8192, pool.num_threads() * 4, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            class_valid[i] += tree.leaf_value[learner.leaf_of(valid_view, i)];
          }
        });
        if (std::fabs(init_scores[k]) > kEpsilon) add_bias(&tree, init_scores[k]);
      } else {
        // A tree without splits: on the first iteration it carries the initial score.
        if (first) {
          if (!config.boost_from_average && num_used > 0) {
            init_scores[k] = objective->initial_score(k);
            for (int64_t i = 0; i < n; ++i) scores[k * n + i] += init_scores[k];
            for (int64_t i = 0; i < nv; ++i) valid_scores[k * nv + i] += init_scores[k];
          }
          tree = constant_tree(init_scores[k], n);
        } else {
          tree = constant_tree(0.0, n);
        }
      }
      trees.push_back(std::move(tree));
    }
    if (!any_split) {
      // No tree of this iteration could split: LightGBM drops the iteration (but keeps the
      // first one, whose constant trees carry the initial score) and stops.
      if (!first) trees.resize(trees.size() - num_class);
      if (first) iterations_done = 1;
      break;
    }
    iterations_done = iter + 1;

    GbdtIterationReport report;
    report.iteration = iter + 1;
    report.num_iterations = config.num_iterations;
    report.metric_name = objective->metric_name();
    if (validation != nullptr) {
      const double metric =
          objective->metric(valid_scores.data(), nv, validation->labels, validation->weights);
      report.validation_metric = metric;
      if (early_stopping.enabled() && early_stopping.update(iter, metric)) {
        cancelled_or_stopped = true;
      }
    }
    if (early_stopping.enabled()) report.best_iteration = early_stopping.best_iteration();
    if (on_iteration && !on_iteration(report)) cancelled_or_stopped = true;
  }

  auto data = std::make_shared<detail::GbdtModelData>();
  data->num_class = num_class;
  data->num_tree_per_iteration = num_class;
  data->label_index = 0;
  data->max_feature_idx = num_columns - 1;
  data->objective = objective->model_string();
  data->feature_names = std::move(names).value();
  for (int c = 0; c < num_columns; ++c) {
    data->feature_infos.push_back(binned.mappers[c].feature_info());
  }
  data->iterations_trained = iterations_done;
  if (early_stopping.enabled() && iterations_done > 0) {
    // The saved model keeps the best iteration, whether or not stopping fired.
    data->best_iteration = std::min(early_stopping.best_iteration(), iterations_done);
    trees.resize(static_cast<size_t>(data->best_iteration) * num_class);
  }
  data->trees = std::move(trees);
  data->parameters = detail::format_gbdt_parameters(config);
  return GbdtModel(std::shared_ptr<const detail::GbdtModelData>(std::move(data)));
}

}  // namespace

Result<GbdtModel> train_gbdt(const GbdtConfig& config, const GbdtDataset& train_set,
                             const GbdtDataset* validation,
                             const std::vector<std::string>& feature_names,
                             const GbdtIterationCallback& on_iteration) {
  // No exception leaves the library (allocation failures on huge data, a throwing callback).
  try {
    return train_model(config, train_set, validation, feature_names, on_iteration);
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kOutOfMemory, "out of memory while training the GBDT model");
  } catch (const std::exception& e) {
    return Status(ErrorCode::kTrainingError, std::string("GBDT training failed: ") + e.what());
  }
}

}  // namespace traind::engines::trees
