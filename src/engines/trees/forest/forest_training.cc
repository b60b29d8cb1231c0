// train_forest: scikit-learn 1.2's BaseForest.fit — per-tree seeds drawn up front, bootstrap
// as sample weights, trees grown in parallel — followed by the OOB score and the impurity
// importances (ensemble/_forest.py, tree/_tree.pyx compute_feature_importances).
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <random>
#include <thread>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_rng.h"
#include "engines/trees/forest/forest_training_set.h"
#include "engines/trees/forest/tree_builder.h"
#include "engines/trees/forest/tree_pruning.h"

namespace traind::engines::trees {
namespace detail {
namespace {

int resolve_threads(int n_jobs, int work_items) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  int threads = n_jobs;
  if (n_jobs < 0) threads = std::max(1, cores + 1 + n_jobs);
  return std::max(1, std::min(threads, work_items));
}

// Runs body(i) for i in [0, n) on `threads` threads; items are taken in order.
template <class Body>
void run_parallel(int threads, int n, const Body& body) {
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      for (int i = next++; i < n; i = next++) body(i);
    } catch (...) {
      // Exceptions must not cross the thread boundary; rethrown on the caller's thread.
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// compute_sample_weight("balanced", y, indices): n_boot / (K_boot * n_k,boot) per class of the
// draw, 0 for classes absent from it.
void apply_balanced_subsample(const TrainingColumns& columns, const std::vector<uint32_t>& counts,
                              std::vector<double>& weights) {
  std::vector<double> drawn(columns.n_classes, 0.0);
  double n_boot = 0.0;
  for (int64_t r = 0; r < columns.n_rows; ++r) {
    drawn[columns.class_index[r]] += counts[r];
    n_boot += counts[r];
  }
  const double present = static_cast<double>(
      std::count_if(drawn.begin(), drawn.end(), [](double c) { return c > 0; }));
  for (int64_t r = 0; r < columns.n_rows; ++r) {
    const double c = drawn[columns.class_index[r]];
    weights[r] *= c > 0 ? n_boot / (present * c) : 0.0;
  }
}

std::vector<double> tree_importances(const ForestTree& tree, int n_features) {
  std::vector<double> importances(n_features, 0.0);
  for (int node = 0; node < tree.node_count(); ++node) {
    if (tree.is_leaf(node)) continue;
    const int left = tree.children_left[node];
    const int right = tree.children_right[node];
    importances[tree.feature[node]] += tree.weighted_n_node_samples[node] * tree.impurity[node] -
                                       tree.weighted_n_node_samples[left] * tree.impurity[left] -
                                       tree.weighted_n_node_samples[right] * tree.impurity[right];
  }
  double sum = 0.0;
  for (double& v : importances) {
    v /= tree.weighted_n_node_samples[0];
    sum += v;
  }
  if (sum > 0.0) {
    for (double& v : importances) v /= sum;
  }
  return importances;
}

std::vector<double> forest_importances(const std::vector<ForestTree>& trees, int n_features) {
  std::vector<double> mean(n_features, 0.0);
  int used = 0;
  for (const ForestTree& tree : trees) {
    if (tree.node_count() <= 1) continue;
    const std::vector<double> t = tree_importances(tree, n_features);
    for (int f = 0; f < n_features; ++f) mean[f] += t[f];
    ++used;
  }
  if (used == 0) return mean;
  double sum = 0.0;
  for (double& v : mean) {
    v /= used;
    sum += v;
  }
  for (double& v : mean) v /= sum;
  return mean;
}

// OOB predictions averaged over the trees where a row is out of bag (rows never OOB stay 0);
// then accuracy (classification) or R² (regression). Rows run in parallel, trees in order.
void compute_oob(const ForestTrainingSet& set, const std::vector<std::vector<uint64_t>>& in_bag,
                 int threads, ForestModelData& model) {
  const TrainingColumns& columns = set.columns;
  const int64_t n = columns.n_rows;
  const int width = columns.n_classes > 0 ? columns.n_classes : 1;
  model.oob_decision.assign(static_cast<size_t>(n) * width, 0.0);
  std::atomic<bool> never_out_of_bag{false};
  constexpr int64_t kChunk = 1024;
  const int chunks = static_cast<int>((n + kChunk - 1) / kChunk);
  run_parallel(threads, chunks, [&](int chunk) {
    const int64_t end = std::min(n, (chunk + 1) * kChunk);
    for (int64_t r = chunk * kChunk; r < end; ++r) {
      double* out = model.oob_decision.data() + r * width;
      int n_oob = 0;
      for (size_t t = 0; t < model.trees.size(); ++t) {
        if ((in_bag[t][r >> 6] >> (r & 63)) & 1) continue;
        const ForestTree& tree = model.trees[t];
        const int leaf =
            tree.find_leaf([&](int f) { return columns.x[static_cast<int64_t>(f) * n + r]; });
        const double* value = tree.node_value(leaf);
        if (columns.n_classes > 0) {
          double normalizer = 0.0;
          for (int k = 0; k < width; ++k) normalizer += value[k];
          if (normalizer == 0.0) normalizer = 1.0;
          for (int k = 0; k < width; ++k) out[k] += value[k] / normalizer;
        } else {
          out[0] += value[0];
        }
        ++n_oob;
      }
      if (n_oob > 0) {
        for (int k = 0; k < width; ++k) out[k] /= n_oob;
      } else {
        never_out_of_bag = true;
      }
    }
  });
  if (never_out_of_bag) {
    model.warnings.push_back(
        "Some inputs do not have OOB scores. This probably means too few trees were used to "
        "compute any reliable OOB estimates.");
  }
  if (columns.n_classes > 0) {
    int64_t correct = 0;
    for (int64_t r = 0; r < n; ++r) {
      const double* p = model.oob_decision.data() + r * width;
      const int best = static_cast<int>(std::max_element(p, p + width) - p);
      correct += best == columns.class_index[r];
    }
    model.oob_score = static_cast<double>(correct) / static_cast<double>(n);
  } else {
    double mean = 0.0;
    for (double y : columns.y) mean += y;
    mean /= static_cast<double>(n);
    double residual = 0.0, total = 0.0;
    for (int64_t r = 0; r < n; ++r) {
      residual += (columns.y[r] - model.oob_decision[r]) * (columns.y[r] - model.oob_decision[r]);
      total += (columns.y[r] - mean) * (columns.y[r] - mean);
    }
    // sklearn's r2_score: a constant y scores 1 if predicted exactly, else 0.
    model.oob_score = total != 0.0 ? 1.0 - residual / total : (residual == 0.0 ? 1.0 : 0.0);
  }
}

}  // namespace
}  // namespace detail

Result<ForestModel> train_forest(const ForestConfig& config, const FeatureMatrix& x,
                                 std::span<const double> labels,
                                 std::span<const double> sample_weights,
                                 const ForestProgress& progress, const FeatureMatrix* validation) {
  using namespace detail;
  try {
    auto resolved_or = resolve_forest_params(config, x.num_rows, x.num_columns);
    if (!resolved_or) return resolved_or.status();
    ResolvedForestParams resolved = *resolved_or;
    auto grow_or = tree_grow_params(config, resolved);
    if (!grow_or) return grow_or.status();
    const int threads = resolve_threads(config.n_jobs, config.n_estimators);
    auto set_or = make_training_set(config, x, labels, sample_weights, resolved.max_features,
                                    resolve_threads(config.n_jobs, x.num_columns));
    if (!set_or) return set_or.status();
    const ForestTrainingSet& set = *set_or;
    const TrainingColumns& columns = set.columns;
    const int64_t n = columns.n_rows;

    resolved.random_state =
        config.random_state ? *config.random_state : static_cast<int64_t>(std::random_device{}());
    SplitMix64 forest_rng(static_cast<uint64_t>(resolved.random_state));
    std::vector<uint32_t> seeds(config.n_estimators);
    for (uint32_t& seed : seeds) seed = draw_tree_seed(forest_rng);

    auto data = std::make_shared<ForestModelData>();
    data->config = config;
    data->n_features = x.num_columns;
    data->classes = set.classes;
    data->feature_names = config.feature_names;
    if (static_cast<int>(data->feature_names.size()) != x.num_columns) {
      data->feature_names.clear();
      for (int f = 0; f < x.num_columns; ++f)
        data->feature_names.push_back("f" + std::to_string(f));
    }
    data->trees.resize(config.n_estimators);
    const bool keep_in_bag = config.bootstrap && config.oob_score;
    std::vector<std::vector<uint64_t>> in_bag(keep_in_bag ? config.n_estimators : 0);
    std::vector<double> min_weight_leaf(config.n_estimators, 0.0);

    std::mutex progress_mutex;
    std::atomic<bool> cancelled{false};
    int trees_done = 0;
    // The validation rows' summed tree outputs and their mean so far, for progress reports.
    const bool classification = config.task == ForestTask::kClassification;
    const int width = classification ? static_cast<int>(set.classes.size()) : 1;
    const bool track_validation = progress && validation != nullptr && validation->num_rows > 0 &&
                                  validation->num_columns == x.num_columns;
    std::vector<double> validation_sum, validation_mean;
    if (track_validation) {
      validation_sum.assign(static_cast<size_t>(validation->num_rows) * width, 0.0);
      validation_mean.resize(validation_sum.size());
    }
    run_parallel(threads, config.n_estimators, [&](int t) {
      if (cancelled) return;
      std::vector<double> weights = set.base_weights;
      if (config.bootstrap) {
        const std::vector<uint32_t> counts =
            bootstrap_counts(seeds[t], n, resolved.n_samples_bootstrap);
        for (int64_t r = 0; r < n; ++r) weights[r] *= counts[r];
        if (config.class_weight.kind == ClassWeight::Kind::kBalancedSubsample) {
          apply_balanced_subsample(columns, counts, weights);
        }
        if (keep_in_bag) {
          std::vector<uint64_t>& bits = in_bag[t];
          bits.assign((n + 63) / 64, 0);
          for (int64_t r = 0; r < n; ++r) {
            if (counts[r] > 0) bits[r >> 6] |= uint64_t{1} << (r & 63);
          }
        }
      }
      TreeGrowParams params = *grow_or;
      double total = 0.0;
      for (double w : weights) total += w;
      params.min_weight_leaf = config.min_weight_fraction_leaf * total;
      min_weight_leaf[t] = params.min_weight_leaf;
      ForestTree tree = grow_tree(columns, params, weights, seeds[t]);
      if (config.ccp_alpha > 0.0) tree = prune_tree(tree, config.ccp_alpha);
      data->trees[t] = std::move(tree);
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        ++trees_done;
        ForestProgressReport report;
        report.trees_done = trees_done;
        report.n_estimators = config.n_estimators;
        if (track_validation) {
          add_tree_output(data->trees[t], *validation, classification, validation_sum.data());
          for (size_t i = 0; i < validation_sum.size(); ++i) {
            validation_mean[i] = validation_sum[i] / trees_done;
          }
          report.validation_output = validation_mean;
        }
        if (!cancelled && !progress(report)) cancelled = true;
      }
    });
    if (cancelled) return Status(ErrorCode::kCancelled, "forest training was cancelled");

    resolved.min_weight_leaf = min_weight_leaf[0];
    data->resolved = resolved;
    data->feature_importances = forest_importances(data->trees, x.num_columns);
    if (config.max_features.kind == MaxFeatures::Kind::kAuto) {
      data->warnings.push_back(
          "`max_features='auto'` has been deprecated in 1.1 and will be removed in 1.3. To keep "
          "the past behaviour, explicitly set `max_features=" +
          std::string(config.task == ForestTask::kClassification ? "'sqrt'" : "1.0") + "`.");
    }
    if (keep_in_bag) compute_oob(set, in_bag, threads, *data);
    return ForestModel(std::move(data));
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kOutOfMemory, "out of memory while training the forest");
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("forest training failed: ") + e.what());
  }
}

}  // namespace traind::engines::trees
