// run_forecasting: settings -> load -> prepare series -> hold-out fit and refit per series
// (in parallel) -> metrics -> save.
#include "train/forecast_pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

#include "algorithms/forecaster.h"
#include "algorithms/registry.h"
#include "core/ids.h"
#include "train/bom_tracker.h"
#include "train/forecast_frequency.h"
#include "train/forecast_metrics.h"
#include "train/forecast_series.h"
#include "train/forecast_settings.h"
#include "train/forecast_split.h"
#include "train/model_bundle.h"
#include "train/progress_reporter.h"
#include "train/query_loading.h"

namespace traind::train {
namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

// NaN (no value) is null in the result.
json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(); }

json numbers(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(number_or_null(v));
  return out;
}

// Periods [begin, end) of a prepared series, in the algorithms' form.
algorithms::ForecastSeries slice(const PreparedSeries& s, const std::vector<std::string>& names,
                                 size_t begin, size_t end) {
  algorithms::ForecastSeries out;
  out.feature_names = names;
  for (size_t t = begin; t < end; ++t) {
    out.timestamps.push_back(static_cast<double>(s.timestamps[t]));
    out.y.push_back(s.y[t]);
  }
  for (const auto& column : s.features) {
    out.features.emplace_back(column.begin() + static_cast<std::ptrdiff_t>(begin),
                              column.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return out;
}

// What one series contributes to the result and the bundle.
struct SeriesOutcome {
  Status status;
  ForecastMetrics metrics;
  json forecast;
  json summary;
  std::string artifact;  // the refitted model's engine JSON
};

// An engine's error, named after its series; data problems stay DATA_ERROR.
Status series_error(const Status& st, const std::string& label) {
  ErrorCode code = st.code();
  if (code == ErrorCode::kInvalidConfig) code = ErrorCode::kDataError;
  if (code != ErrorCode::kDataError && code != ErrorCode::kCancelled &&
      code != ErrorCode::kOutOfMemory && code != ErrorCode::kTimeout) {
    code = ErrorCode::kTrainingError;
  }
  return Status(code, label + ": " + st.message(), st.details());
}

json path_json(const PreparedForecastData& data, const std::vector<int64_t>& timestamps,
               size_t begin, const std::vector<double>* y, const algorithms::ForecastPath& path) {
  json ds = json::array();
  for (size_t i = 0; i < path.yhat.size(); ++i) ds.push_back(data.format(timestamps[begin + i]));
  json out = {{"ds", std::move(ds)},
              {"yhat", numbers(path.yhat)},
              {"yhat_lower", numbers(path.lower)},
              {"yhat_upper", numbers(path.upper)}};
  if (y != nullptr) {
    std::vector<double> observed(
        y->begin() + static_cast<std::ptrdiff_t>(begin),
        y->begin() + static_cast<std::ptrdiff_t>(begin + path.yhat.size()));
    out["y"] = numbers(observed);
  }
  return out;
}

SeriesOutcome fit_series(const PreparedForecastData& data, const PreparedSeries& series,
                         const SeriesHoldout& holdout, const ForecastSettings& settings,
                         int seasonal_period) {
  SeriesOutcome out;
  const std::string label = series_label(settings.data.series_column, series.name);
  const auto& spec = *settings.spec;
  const size_t n = series.timestamps.size();
  algorithms::ForecastOptions options;
  options.hyperparameters = settings.hyperparameters;
  options.interval_width = settings.interval_width;
  options.seasonal_period = seasonal_period;
  options.seed = settings.seed;

  // Model A: fitted before the hold-out, forecasts it in one multi-step run.
  const algorithms::ForecastSeries train =
      slice(series, data.feature_names, 0, holdout.train_periods);
  const algorithms::ForecastSeries test =
      slice(series, data.feature_names, holdout.train_periods, n);
  auto model_a = spec.fit_forecaster(train, options);
  if (!model_a) {
    out.status = series_error(model_a.status(), label);
    return out;
  }
  auto holdout_path = (*model_a)->forecast(test.timestamps, test.features);
  if (!holdout_path) {
    out.status = series_error(holdout_path.status(), label);
    return out;
  }
  HoldoutForecast scored{test.y, holdout_path->yhat, holdout_path->lower, holdout_path->upper};
  out.metrics = forecast_metrics(scored, train.y, seasonal_period);

  // Model B: the same structure refitted on the whole history; the artifact.
  algorithms::ForecastOptions refit = options;
  refit.hyperparameters = (*model_a)->refit_hyperparameters();
  const algorithms::ForecastSeries full = slice(series, data.feature_names, 0, n);
  auto model_b = spec.fit_forecaster(full, refit);
  if (!model_b) {
    out.status = series_error(model_b.status(), label);
    return out;
  }
  auto history_path = (*model_b)->in_sample();
  if (!history_path) {
    out.status = series_error(history_path.status(), label);
    return out;
  }
  std::vector<double> future_timestamps(series.future_timestamps.begin(),
                                        series.future_timestamps.end());
  auto horizon_path = (*model_b)->forecast(future_timestamps, series.future_features);
  if (!horizon_path) {
    out.status = series_error(horizon_path.status(), label);
    return out;
  }
  out.forecast = {
      {"series", series.name},
      {"history", path_json(data, series.timestamps, 0, &series.y, *history_path)},
      {"holdout",
       path_json(data, series.timestamps, holdout.train_periods, &series.y, *holdout_path)},
      {"horizon", path_json(data, series.future_timestamps, 0, nullptr, *horizon_path)}};
  out.summary = (*model_b)->summary();
  out.summary["series"] = series.name;
  json summary_a = (*model_a)->summary();
  // B keeps the structure A selected on the training part: say how it was chosen.
  if (summary_a.contains("auto") && !out.summary.contains("auto")) {
    out.summary["auto"] = summary_a["auto"];
  }
  out.summary["holdout_model"] = std::move(summary_a);
  out.artifact = (*model_b)->to_json();
  return out;
}

// Runs fit_series for every series on up to `threads` threads, reporting each finished
// series as one iteration. Results keep the series order whatever the finishing order.
std::vector<SeriesOutcome> fit_all_series(const PreparedForecastData& data,
                                          const std::vector<SeriesHoldout>& holdouts,
                                          const ForecastSettings& settings, int seasonal_period,
                                          int threads, ProgressReporter& reporter) {
  const size_t n = data.series.size();
  std::vector<SeriesOutcome> outcomes(n);
  std::mutex report_mutex;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  size_t done = 0;
  auto work = [&]() {
    for (size_t i = next++; i < n && !stop; i = next++) {
      try {
        outcomes[i] = fit_series(data, data.series[i], holdouts[i], settings, seasonal_period);
      } catch (const std::bad_alloc&) {
        outcomes[i].status = Status(ErrorCode::kOutOfMemory, "out of memory while forecasting");
      } catch (const std::exception& e) {
        outcomes[i].status = Status(
            ErrorCode::kTrainingError,
            series_label(settings.data.series_column, data.series[i].name) + ": " + e.what());
      }
      std::lock_guard<std::mutex> lock(report_mutex);
      ++done;
      algorithms::IterationReport report;
      report.iteration = static_cast<int>(done);
      report.total_iterations = static_cast<int>(n);
      if (outcomes[i].metrics.mae) report.metrics["holdout_mae"] = *outcomes[i].metrics.mae;
      if (outcomes[i].metrics.rmse) report.metrics["holdout_rmse"] = *outcomes[i].metrics.rmse;
      if (!reporter.on_iteration(report) || !outcomes[i].status.is_ok()) stop = true;
    }
  };
  const int workers = static_cast<int>(std::min<size_t>(std::max(threads, 1), n));
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return outcomes;
}

Result<json> save_forecast_bundle(const PreparedForecastData& data,
                                  const std::vector<SeriesOutcome>& outcomes,
                                  const ForecastSettings& settings, int seasonal_period,
                                  const std::string& model_dir) {
  std::error_code ec;
  std::filesystem::create_directories(model_dir, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + model_dir + ": " + ec.message());
  json series = json::array();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const PreparedSeries& s = data.series[i];
    series.push_back({{"name", s.name},
                      {"last_timestamp", s.timestamps.back()},
                      {"model", json::parse(outcomes[i].artifact)}});
  }
  json schema = json::array();
  for (const std::string& f : data.feature_names) {
    schema.push_back({{"name", f}, {"type", "numeric"}});
  }
  const json bundle = {{"format", kForecastBundleFormat},
                       {"algorithm", settings.spec->name},
                       {"frequency", frequency_name(data.frequency)},
                       {"dates_only", data.dates_only},
                       {"interval_width", settings.interval_width},
                       {"seasonal_period", seasonal_period},
                       {"seed", settings.seed},
                       {"time_column", settings.data.time_column},
                       {"series_column", settings.data.series_column},
                       {"target_column", settings.data.target_column},
                       {"feature_names", data.feature_names},
                       {"hyperparameters", settings.hyperparameters},
                       {"series", std::move(series)}};
  const std::string artifact_path = model_dir + "/" + kForecastArtifactFile;
  TRAIND_RETURN_IF_ERROR(write_file_synced(artifact_path, bundle.dump()));
  const json meta = {{"algorithm", settings.spec->name},
                     {"task", "forecasting"},
                     {"target_column", settings.data.target_column},
                     {"artifact_file", kForecastArtifactFile},
                     {"format", settings.spec->model_format},
                     {"feature_schema", schema}};
  TRAIND_RETURN_IF_ERROR(write_file_synced(model_dir + "/" + kModelMetaFile, meta.dump(2)));
  TRAIND_RETURN_IF_ERROR(sync_directory_tree(model_dir));
  const auto size = std::filesystem::file_size(artifact_path, ec);
  if (ec)
    return Status(ErrorCode::kInternal, "the model artifact " + artifact_path + " is missing");
  json summaries = json::array();
  for (const SeriesOutcome& o : outcomes) summaries.push_back(o.summary);
  return json{{"algorithm", settings.spec->name},
              {"format", settings.spec->model_format},
              {"file", kForecastArtifactFile},
              {"size_bytes", size},
              {"sha256", sha256_file_hex(artifact_path)},
              {"feature_schema", std::move(schema)},
              {"refit_on_full_history", true},
              {"series", std::move(summaries)}};
}

std::string architecture_of(const ForecastSettings& settings, const json& first_summary) {
  if (settings.spec->name != "arima" || !first_summary.contains("order")) {
    return settings.spec->name;
  }
  const json& o = first_summary["order"];
  const json& s = first_summary["seasonal_order"];
  return "sarimax(" + o[0].dump() + "," + o[1].dump() + "," + o[2].dump() + ")(" + s[0].dump() +
         "," + s[1].dump() + "," + s[2].dump() + "," + s[3].dump() + ")";
}

Result<json> forecast(const json& config, const PipelineEnv& env) {
  ProgressReporter reporter(env);
  json timings = json::object();
  auto settings_or = read_forecast_settings(config);
  if (!settings_or) {
    const Status& st = settings_or.status();
    return st.code() == ErrorCode::kInvalidConfig ? Status(ErrorCode::kDataError, st.message())
                                                  : st;
  }
  const ForecastSettings& settings = *settings_or;
  BomTracker bom(config, env);
  bom.settings(settings.spec->library, settings.hyperparameters,
               {{"strategy", "temporal"},
                {"test_size", settings.test_size},
                {"random_state", settings.seed}});

  auto phase_start = SteadyClock::now();
  std::vector<std::string> query_columns;
  auto table = load_query(settings.query, settings.columns(), env, reporter, query_columns);
  if (!table) return table.status();
  bom.data_loaded(table.value());
  timings["loading_data"] = seconds_since(phase_start);
  if (reporter.stop_requested()) return Status(ErrorCode::kCancelled, "training was cancelled");

  phase_start = SteadyClock::now();
  reporter.phase("preprocessing");
  auto prepared = prepare_forecast_data(*table, settings.data);
  if (!prepared) {
    const Status& st = prepared.status();
    return Status(ErrorCode::kDataError, st.message(), st.details());
  }
  const PreparedForecastData& data = *prepared;
  auto test_size = forecast_test_size(settings.test_size);
  if (!test_size) return Status(ErrorCode::kDataError, test_size.status().message());
  std::vector<SeriesHoldout> holdouts;
  for (const PreparedSeries& s : data.series) {
    auto h =
        split_series_holdout(s.y, *test_size, series_label(settings.data.series_column, s.name));
    if (!h) return h.status();
    holdouts.push_back(*h);
  }
  const int seasonal_period =
      settings.seasonal_period.value_or(default_seasonal_period(data.frequency));
  reporter.log("info", std::to_string(data.series.size()) + " series at frequency " +
                           frequency_name(data.frequency) +
                           (data.frequency_inferred ? " (inferred)" : "") + ", seasonal period " +
                           std::to_string(seasonal_period));
  timings["preprocessing"] = seconds_since(phase_start);

  const auto training_start = SteadyClock::now();
  reporter.begin_training();
  std::vector<SeriesOutcome> outcomes =
      fit_all_series(data, holdouts, settings, seasonal_period, env.threads, reporter);
  if (reporter.stop_requested()) return Status(ErrorCode::kCancelled, "training was cancelled");
  for (const SeriesOutcome& o : outcomes) {
    if (!o.status.is_ok()) return o.status;
  }
  timings["training"] = seconds_since(training_start);
  const json first_fit = outcomes.empty() ? json::object() : outcomes[0].summary;
  bom.model(settings.spec->name == "arima" ? "SARIMAX" : "Prophet",
            architecture_of(settings, first_fit));

  phase_start = SteadyClock::now();
  reporter.phase("evaluating");
  std::vector<ForecastMetrics> per_series;
  json series_metrics = json::object();
  json forecasts = json::array();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    per_series.push_back(outcomes[i].metrics);
    series_metrics[data.series[i].name] = forecast_metrics_json(outcomes[i].metrics);
    forecasts.push_back(std::move(outcomes[i].forecast));
  }
  json metrics = aggregate_forecast_metrics_json(per_series);
  bom.metrics(metrics);
  timings["evaluating"] = seconds_since(phase_start);
  const double training_duration = seconds_since(training_start);

  phase_start = SteadyClock::now();
  reporter.phase("saving");
  auto model = save_forecast_bundle(data, outcomes, settings, seasonal_period, env.model_dir);
  if (!model) return model.status();
  timings["saving"] = seconds_since(phase_start);

  json data_summary = forecast_sample_counts(holdouts);
  data_summary["frequency"] = frequency_name(data.frequency);
  data_summary["frequency_inferred"] = data.frequency_inferred;
  data_summary["seasonal_period"] = seasonal_period;
  data_summary["horizon"] = settings.data.horizon;
  json names = json::array();
  for (const PreparedSeries& s : data.series) names.push_back(s.name);
  data_summary["series"] = std::move(names);

  std::vector<std::string> original;
  for (const std::string& c : query_columns) {
    if (c != settings.data.target_column) original.push_back(c);
  }
  std::vector<std::string> selected = {settings.data.time_column};
  if (!settings.data.series_column.empty()) selected.push_back(settings.data.series_column);
  selected.insert(selected.end(), data.feature_names.begin(), data.feature_names.end());
  bom.features(original, selected);
  json result = {{"metrics", std::move(metrics)},
                 {"feature_importance", json::object()},
                 {"feature_importance_type", "none"},
                 {"training_duration_seconds", training_duration},
                 {"data_summary", std::move(data_summary)},
                 {"timings", std::move(timings)},
                 {"forecast", std::move(forecasts)},
                 {"model", std::move(model).value()},
                 {"training_bom", bom.to_json()}};
  if (!settings.data.series_column.empty()) result["series_metrics"] = std::move(series_metrics);
  return result;
}

}  // namespace

Result<json> run_forecasting(const json& resolved_config, const PipelineEnv& env) {
  return forecast(resolved_config, env);
}

}  // namespace traind::train
