// run_training: load -> infer types -> target -> split -> preprocess -> train -> evaluate
// -> save, with progress events and per-phase timings.
//
// The test part doubles as the trainer's validation set: progress shows valid_* metrics
// on it, and early stopping (xgboost's early_stopping_rounds) watches it, as with
// xgboost's scikit-learn API given eval_set=[(X_test, y_test)]. There is no third part
// in this version.
#include "train/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <new>
#include <set>

#include "algorithms/permutation_importance.h"
#include "algorithms/trainer.h"
#include "core/ids.h"
#include "train/bom_tracker.h"
#include "train/column_types.h"
#include "train/data_summary.h"
#include "train/evaluation_curves.h"
#include "train/feature_importance.h"
#include "train/forecast_pipeline.h"
#include "train/metrics.h"
#include "train/model_bundle.h"
#include "train/preprocessing.h"
#include "train/progress_reporter.h"
#include "train/query_loading.h"
#include "train/split.h"
#include "train/target.h"
#include "train/training_settings.h"

namespace traind::train {
namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

Status cancelled() { return Status(ErrorCode::kCancelled, "training was cancelled"); }

Status as_training_error(const Status& st) {
  switch (st.code()) {
    case ErrorCode::kOutOfMemory:
    case ErrorCode::kCancelled:
    case ErrorCode::kTimeout:
      return st;
    default:
      return Status(ErrorCode::kTrainingError, st.message(), st.details());
  }
}

// Named like an id ("id", "customer_id", "userid") with every value distinct: a key, not
// a feature. The same rule fills feature_columns during validation; this covers a
// configuration that reached the worker without them.
bool looks_like_identifier(const data::Column& column) {
  std::string name;
  for (char ch : column.name)
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (name.size() < 2 || name.compare(name.size() - 2, 2, "id") != 0) return false;
  std::set<std::string> seen;
  size_t present = 0;
  for (size_t r = 0; r < column.size(); ++r) {
    if (column.is_missing(r)) continue;
    ++present;
    if (!seen.insert(column.text(r)).second) return false;
  }
  return present > 1;
}

// The data after the preprocessing phase: what training and evaluation need.
struct PreparedData {
  EncodedTarget target;
  SplitIndices split;  // positions in target.rows
  Preprocessor preprocessor;
  algorithms::Dataset train_set;
  algorithms::Dataset test_set;
  json column_summaries = json::object();
  std::vector<std::string> original_features;  // every query column but the target
};

algorithms::Dataset make_dataset(algorithms::Matrix x, const std::vector<float>& y_all,
                                 const std::vector<size_t>& part,
                                 const std::vector<std::string>& names) {
  algorithms::Dataset d;
  d.x = std::move(x);
  d.y.reserve(part.size());
  for (size_t i : part) d.y.push_back(y_all[i]);
  d.feature_names = names;
  return d;
}

std::vector<size_t> table_rows(const EncodedTarget& target, const std::vector<size_t>& positions) {
  std::vector<size_t> rows;
  rows.reserve(positions.size());
  for (size_t i : positions) rows.push_back(target.rows[i]);
  return rows;
}

// Reads the query's result. With feature_columns given, only they and the target are
// loaded (the query becomes a subquery), so a wide table costs what the job uses.
Result<data::Table> load_data(const TrainingSettings& settings, const PipelineEnv& env,
                              const ProgressReporter& reporter,
                              std::vector<std::string>& query_columns) {
  std::optional<std::vector<std::string>> wanted;
  if (settings.feature_columns) {
    wanted = *settings.feature_columns;
    if (std::find(wanted->begin(), wanted->end(), settings.target_column) == wanted->end()) {
      wanted->push_back(settings.target_column);
    }
  }
  return load_query(settings.query, wanted, env, reporter, query_columns);
}

// Feature columns -> their types (free text dropped with a log line), target -> y,
// split, preprocessing fitted on the training part and applied to both parts.
Result<PreparedData> prepare_data(const data::Table& table,
                                  const std::vector<std::string>& query_columns,
                                  const TrainingSettings& settings,
                                  const ProgressReporter& reporter) {
  reporter.phase("preprocessing");
  PreparedData d;
  const std::string& target_name = settings.target_column;
  const int target_index = table.find(target_name);
  if (target_index < 0) {
    return Status(ErrorCode::kDataError,
                  "the target column '" + target_name + "' is not in the query's result");
  }
  for (const auto& name : query_columns) {
    if (name != target_name) d.original_features.push_back(name);
  }
  std::vector<std::string> requested;
  for (const auto& c : table.columns()) {
    if (c.name == target_name || settings.feature_columns) continue;
    if (looks_like_identifier(c)) {
      reporter.log("info",
                   "column " + c.name + " looks like an identifier and is not used as a feature");
    } else {
      requested.push_back(c.name);
    }
  }
  if (settings.feature_columns) {
    for (const auto& f : *settings.feature_columns) {
      const bool repeated = std::find(requested.begin(), requested.end(), f) != requested.end();
      if (f != target_name && !repeated) requested.push_back(f);
    }
  }
  if (requested.empty())
    return Status(ErrorCode::kDataError, "there are no feature columns to train on");

  const data::Column& target_column = table.column(static_cast<size_t>(target_index));
  auto target = encode_target(target_column, settings.task);
  if (!target) return target.status();
  d.target = std::move(target.value());
  if (d.target.dropped_rows > 0) {
    reporter.log("warning", "dropped " + std::to_string(d.target.dropped_rows) +
                                " rows whose target '" + target_name + "' is missing");
  }

  std::vector<FeatureColumn> features;
  for (const std::string& name : requested) {
    const int idx = table.find(name);
    if (idx < 0) {
      return Status(ErrorCode::kDataError,
                    "the feature column '" + name + "' is not in the query's result");
    }
    const data::Column& column = table.column(static_cast<size_t>(idx));
    const ColumnType type = infer_column_type(column);
    d.column_summaries[name] = summarize_column(column, type, d.target.rows);
    if (type == ColumnType::kText && !settings.spec->reads_text) {
      reporter.log("warning", "column " + name + " looks like free text, which " +
                                  settings.spec->name +
                                  " cannot read; it is left out (neural_network reads text)");
      continue;
    }
    features.push_back({name, type});
  }
  if (features.empty()) {
    return Status(ErrorCode::kDataError,
                  "no usable feature columns: every feature column looks like free text");
  }
  const bool classification = settings.task == algorithms::Task::kClassification;
  d.column_summaries[target_name] = summarize_column(
      target_column, classification ? infer_column_type(target_column) : ColumnType::kNumeric,
      d.target.rows);

  const int num_classes = static_cast<int>(d.target.labels.size());
  if (classification && num_classes < 2) {
    return Status(ErrorCode::kDataError,
                  "the target column '" + target_name +
                      "' has a single class; classification needs at least two");
  }
  Result<SplitIndices> split = Status(ErrorCode::kInternal, "no split");
  if (settings.split_strategy == "stratified") {
    if (!classification)
      return Status(ErrorCode::kDataError, "a stratified split needs a classification target");
    const std::vector<int> classes(d.target.y.begin(), d.target.y.end());
    split = stratified_split(classes, num_classes, settings.test_size, settings.split_seed);
  } else if (settings.split_strategy == "random") {
    split = random_split(d.target.rows.size(), settings.test_size, settings.split_seed);
  } else {
    return Status(ErrorCode::kDataError, "split strategy '" + settings.split_strategy +
                                             "' is not available for this task");
  }
  if (!split) {
    return split.status().code() == ErrorCode::kInvalidConfig
               ? Status(ErrorCode::kDataError, split.status().message())
               : split.status();
  }
  d.split = std::move(split.value());
  const std::vector<size_t> train_rows = table_rows(d.target, d.split.train);
  const std::vector<size_t> test_rows = table_rows(d.target, d.split.test);

  PreprocessOptions options;
  options.impute_missing = !settings.spec->handles_missing;
  options.standardize = settings.spec->wants_standardized;
  options.categorical_codes = settings.spec->categorical_codes_for(settings.hyperparameters);
  options.keep_text = settings.spec->reads_text;
  auto preprocessor = Preprocessor::fit(table, features, train_rows, options);
  if (!preprocessor) return preprocessor.status();
  d.preprocessor = std::move(preprocessor.value());
  auto x_train = d.preprocessor.transform(table, train_rows);
  if (!x_train) return x_train.status();
  auto x_test = d.preprocessor.transform(table, test_rows);
  if (!x_test) return x_test.status();
  const auto& names = d.preprocessor.feature_names();
  d.train_set = make_dataset(std::move(x_train.value()), d.target.y, d.split.train, names);
  d.test_set = make_dataset(std::move(x_test.value()), d.target.y, d.split.test, names);
  d.train_set.categorical_features = d.preprocessor.categorical_code_features();
  d.test_set.categorical_features = d.train_set.categorical_features;
  const size_t texts = d.preprocessor.text_columns().size();
  reporter.log("info", std::to_string(features.size()) + " feature columns encoded as " +
                           std::to_string(names.size()) + " features" +
                           (texts > 0 ? " and " + std::to_string(texts) + " text columns" : "") +
                           "; " + std::to_string(train_rows.size()) + " training and " +
                           std::to_string(test_rows.size()) + " test rows");
  return d;
}

// The test metrics, and in `curves` the points to plot them (evaluation_curves.h).
Result<json> evaluate(const algorithms::Model& model, const PreparedData& d,
                      const TrainingSettings& settings, json* curves) {
  auto predicted = model.predict(d.test_set.x);
  if (!predicted) return as_training_error(predicted.status());
  if (settings.task == algorithms::Task::kClassification) {
    if (predicted->size() != d.test_set.x.rows * d.target.labels.size()) {
      return Status(ErrorCode::kTrainingError,
                    "the model returned the wrong number of probabilities");
    }
    const std::vector<int> y_true(d.test_set.y.begin(), d.test_set.y.end());
    if (curves) *curves = classification_curves(y_true, predicted.value(), d.target.labels);
    return classification_metrics(y_true, predicted.value(), d.target.labels);
  }
  if (predicted->size() != d.test_set.x.rows) {
    return Status(ErrorCode::kTrainingError, "the model returned the wrong number of predictions");
  }
  std::vector<double> y_true;
  for (size_t i : d.split.test) y_true.push_back(d.target.values[i]);
  if (curves) *curves = regression_curves(y_true, predicted.value());
  return regression_metrics(y_true, predicted.value());
}

// The model's own importance, or, when it has none (neural networks), the drop of test
// accuracy / R² when each input column is shuffled, all its encoded features together.
Result<std::vector<double>> model_importance(const algorithms::Model& model, const PreparedData& d,
                                             const TrainingSettings& settings) {
  std::vector<double> own = model.feature_importance();
  if (!own.empty()) return own;
  algorithms::PermutationImportanceOptions options;
  options.task = settings.task;
  options.seed = settings.training_seed;
  options.groups = d.preprocessor.importance_sources();
  return algorithms::permutation_importance(model, d.test_set, options);
}

// The input columns /predict expects, as model metadata shows them.
json feature_schema(const Preprocessor& preprocessor) {
  json schema = json::array();
  for (const ColumnEncoding& c : preprocessor.columns()) {
    schema.push_back({{"name", c.name}, {"type", column_type_name(c.type)}});
  }
  return schema;
}

// Writes the bundle (artifact, preprocess.json, model_meta.json), synced; returns the
// result's "model" object.
Result<json> save_bundle(const algorithms::Model& model, const PreparedData& d,
                         const TrainingSettings& settings, const std::string& model_dir) {
  std::error_code ec;
  std::filesystem::create_directories(model_dir, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + model_dir + ": " + ec.message());
  TRAIND_RETURN_IF_ERROR(model.save(model_dir));
  const std::string artifact = model.artifact_file();
  const json schema = feature_schema(d.preprocessor);
  const json meta = {{"algorithm", settings.spec->name},
                     {"task", settings.task_name},
                     {"num_classes", d.target.labels.size()},
                     {"labels", d.target.labels},
                     {"target_column", settings.target_column},
                     {"artifact_file", artifact},
                     {"format", settings.spec->model_format},
                     {"feature_schema", schema},
                     {"feature_importance_type", model.importance_type()},
                     {"metadata", model.metadata()}};
  TRAIND_RETURN_IF_ERROR(
      write_file_synced(model_dir + "/" + kPreprocessFile, d.preprocessor.to_json().dump(2)));
  TRAIND_RETURN_IF_ERROR(write_file_synced(model_dir + "/" + kModelMetaFile, meta.dump(2)));
  TRAIND_RETURN_IF_ERROR(sync_directory_tree(model_dir));
  const std::string artifact_path = model_dir + "/" + artifact;
  const auto size = std::filesystem::file_size(artifact_path, ec);
  if (ec)
    return Status(ErrorCode::kInternal, "the model artifact " + artifact_path + " is missing");
  return json{{"algorithm", settings.spec->name},
              {"format", settings.spec->model_format},
              {"file", artifact},
              {"size_bytes", size},
              {"sha256", sha256_file_hex(artifact_path)},
              {"feature_schema", schema}};
}

Result<json> run_pipeline(const json& config, const PipelineEnv& env) {
  ProgressReporter reporter(env);
  json timings = json::object();
  auto settings_or = read_training_settings(config);
  if (!settings_or) return settings_or.status();
  const TrainingSettings& settings = settings_or.value();
  BomTracker bom(config, env);
  bom.settings(settings.spec->library, settings.hyperparameters,
               {{"strategy", settings.split_strategy},
                {"test_size", settings.test_size},
                {"random_state", settings.split_seed}});

  auto phase_start = SteadyClock::now();
  std::vector<std::string> query_columns;
  auto table = load_data(settings, env, reporter, query_columns);
  if (!table) return table.status();
  bom.data_loaded(table.value());
  timings["loading_data"] = seconds_since(phase_start);
  if (reporter.stop_requested()) return cancelled();

  phase_start = SteadyClock::now();
  auto prepared = prepare_data(table.value(), query_columns, settings, reporter);
  if (!prepared) return prepared.status();
  const PreparedData& d = prepared.value();
  std::vector<std::string> selected;
  for (const ColumnEncoding& c : d.preprocessor.columns()) selected.push_back(c.name);
  bom.features(d.original_features, selected);
  timings["preprocessing"] = seconds_since(phase_start);
  if (reporter.stop_requested()) return cancelled();

  const auto training_start = SteadyClock::now();
  reporter.begin_training();
  algorithms::TrainOptions options;
  options.task = settings.task;
  options.num_classes = static_cast<int>(d.target.labels.size());
  options.hyperparameters = settings.hyperparameters;
  options.threads = std::max(1, env.threads);
  options.seed = settings.training_seed;
  options.on_iteration = [&reporter](const algorithms::IterationReport& r) {
    return reporter.on_iteration(r);
  };
  options.preprocessing = d.preprocessor.to_json();
  auto trained = settings.spec->make_trainer()->train(d.train_set, &d.test_set, options);
  if (reporter.stop_requested()) return cancelled();
  if (!trained) return as_training_error(trained.status());
  const algorithms::Model& model = *trained.value();
  timings["training"] = seconds_since(training_start);
  const json metadata = model.metadata();
  bom.model(metadata.value("type", settings.spec->name),
            metadata.contains("architecture") && metadata["architecture"].is_string()
                ? metadata["architecture"].get<std::string>()
                : "unknown");

  phase_start = SteadyClock::now();
  reporter.phase("evaluating");
  json curves;
  auto metrics = evaluate(model, d, settings, &curves);
  if (!metrics) return metrics.status();
  // A forest trained with oob_score reports it beside the test metrics, as scikit-learn's
  // oob_score_ (accuracy or R² on the rows each tree did not see).
  if (const json meta = model.metadata();
      meta.contains("oob_score") && meta["oob_score"].is_number()) {
    (*metrics)["oob_score"] = meta["oob_score"];
  }
  bom.metrics(metrics.value());
  auto encoded_importance = model_importance(model, d, settings);
  if (!encoded_importance) return as_training_error(encoded_importance.status());
  const json importance = importance_by_column(encoded_importance.value(),
                                               d.preprocessor.importance_sources(), selected);
  timings["evaluating"] = seconds_since(phase_start);
  const double training_duration = seconds_since(training_start);
  if (reporter.stop_requested()) return cancelled();

  phase_start = SteadyClock::now();
  reporter.phase("saving");
  auto model_json = save_bundle(model, d, settings, env.model_dir);
  if (!model_json) return model_json.status();
  timings["saving"] = seconds_since(phase_start);

  json data_summary = {{"total_samples", d.target.rows.size()},
                       {"train_samples", d.split.train.size()},
                       {"test_samples", d.split.test.size()},
                       {"dropped_rows", d.target.dropped_rows},
                       {"columns", d.column_summaries}};
  if (settings.task == algorithms::Task::kClassification) {
    data_summary["class_balance"] = class_balance(d.target.y, d.target.labels);
  }
  return json{{"metrics", std::move(metrics.value())},
              {"feature_importance", importance},
              {"feature_importance_type", model.importance_type()},
              {"training_duration_seconds", training_duration},
              {"data_summary", std::move(data_summary)},
              {"timings", std::move(timings)},
              {"model", std::move(model_json.value())},
              {"curves", std::move(curves)},
              {"training_bom", bom.to_json()}};
}

}  // namespace

Result<json> run_training(const json& resolved_config, const PipelineEnv& env) {
  // std::bad_alloc is left to the worker, which reports OUT_OF_MEMORY; anything else a
  // library throws ends this job as a training error instead of crossing the boundary.
  try {
    if (resolved_config.is_object() && resolved_config.value("task_type", "") == "forecasting") {
      return run_forecasting(resolved_config, env);
    }
    return run_pipeline(resolved_config, env);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kTrainingError, std::string("training failed: ") + e.what());
  }
}

}  // namespace traind::train
