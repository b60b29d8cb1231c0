// TrainingBomBuilder, bom_from_run and the isoformat timestamps they use.
#include "tracking/training_bom_builder.h"

#include <chrono>
#include <cstdio>
#include <limits>
#include <utility>

namespace traind::tracking {
namespace {

constexpr const char* kUnknown = "unknown";

// Python's int(text) for a str in base 10: surrounding whitespace, an optional sign,
// ASCII digits with single '_' between them. (Python also takes non-ASCII decimal
// digits; params written by traind and MLflow clients do not carry those.)
std::optional<int64_t> python_int(const std::string& text) {
  const char* kSpace = " \t\n\v\f\r";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) return std::nullopt;
  const size_t last = text.find_last_not_of(kSpace);
  std::string_view s(text.data() + first, last - first + 1);
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  // Accumulate as a negative number so INT64_MIN fits.
  int64_t value = 0;
  char previous = 0;
  for (char c : s) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      const int digit = c - '0';
      if (value < (std::numeric_limits<int64_t>::min() + digit) / 10) return std::nullopt;
      value = value * 10 - digit;
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  if (!negative) {
    if (value == std::numeric_limits<int64_t>::min()) return std::nullopt;
    value = -value;
  }
  return value;
}

std::vector<std::string> split_on_commas(const std::string& text) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (true) {
    const size_t comma = text.find(',', begin);
    parts.push_back(
        text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (comma == std::string::npos) return parts;
    begin = comma + 1;
  }
}

}  // namespace

std::string iso8601_utc(int64_t ms_since_epoch) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(ms_since_epoch)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<milliseconds> time(t - day);
  char buf[64];
  const int ms = static_cast<int>(time.subseconds().count());
  // Python's isoformat: "%04d-%02d-%02dT%02d:%02d:%02d", then ".%06d" only when the
  // microseconds are non-zero, then the UTC offset of an aware datetime.
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                        static_cast<int>(time.minutes().count()),
                        static_cast<int>(time.seconds().count()));
  std::string out(buf, static_cast<size_t>(n));
  if (ms != 0) {
    n = std::snprintf(buf, sizeof(buf), ".%06d", ms * 1000);
    out.append(buf, static_cast<size_t>(n));
  }
  out += "+00:00";
  return out;
}

void TrainingBomBuilder::start_training(std::string training_id, std::string start_time) {
  training_id_ = std::move(training_id);
  start_time_ = std::move(start_time);
}

void TrainingBomBuilder::register_dataset(std::string origin, int64_t size) {
  dataset_info_ = TrainingBom::DatasetInfo{std::move(origin), size};
}

void TrainingBomBuilder::register_features(std::vector<std::string> original_features,
                                           std::vector<std::string> selected_features) {
  feature_info_ =
      TrainingBom::FeatureInfo{std::move(original_features), std::move(selected_features)};
}

void TrainingBomBuilder::register_model(std::string type, std::string architecture) {
  model_info_ = TrainingBom::ModelInfo{std::move(type), std::move(architecture)};
}

void TrainingBomBuilder::log_parameter(const std::string& key, nlohmann::ordered_json value) {
  mlflow_params_[key] = std::move(value);
}

void TrainingBomBuilder::log_metric(const std::string& key, double value) {
  mlflow_metrics_[key] = value;
}

Result<TrainingBom> TrainingBomBuilder::finalize(std::string end_time) const {
  std::vector<ErrorDetail> missing;
  if (!training_id_) missing.push_back({"/id", "start_training was never called"});
  if (!start_time_) missing.push_back({"/start_time", "start_training was never called"});
  if (!dataset_info_) missing.push_back({"/dataset_info", "register_dataset was never called"});
  if (!feature_info_) {
    missing.push_back({"/feature_info", "register_features was never called"});
  }
  if (!model_info_) missing.push_back({"/model_info", "register_model was never called"});
  if (!missing.empty()) {
    std::string message = "the training BOM is incomplete:";
    for (const ErrorDetail& d : missing) message += " " + d.path.substr(1) + " is missing;";
    message.pop_back();
    return Status(ErrorCode::kInvalidConfig, std::move(message), std::move(missing));
  }
  return partial(std::move(end_time));
}

TrainingBom TrainingBomBuilder::partial(std::string end_time) const {
  TrainingBom bom;
  bom.id = training_id_.value_or(kUnknown);
  bom.start_time = start_time_.value_or(kUnknown);
  bom.end_time = std::move(end_time);
  bom.dataset_info = dataset_info_.value_or(TrainingBom::DatasetInfo{kUnknown, 0});
  bom.feature_info = feature_info_.value_or(TrainingBom::FeatureInfo{});
  bom.model_info = model_info_.value_or(TrainingBom::ModelInfo{kUnknown, kUnknown});
  bom.mlflow_params = mlflow_params_;
  bom.mlflow_metrics = mlflow_metrics_;
  return bom;
}

Result<TrainingBom> bom_from_run(const Run& run) {
  const auto param_or = [&run](const char* key, const char* fallback) -> std::string {
    const Param* p = run.param(key);
    return p != nullptr ? p->value : fallback;
  };
  // `params.get(k) if params.get(k) else []`: an empty value counts as absent.
  const auto features = [&run](const char* key) -> std::vector<std::string> {
    const Param* p = run.param(key);
    if (p == nullptr || p->value.empty()) return {};
    return split_on_commas(p->value);
  };

  TrainingBom bom;
  bom.id = "mlflow-" + run.info.run_id;
  bom.start_time = std::to_string(run.info.start_time);
  bom.end_time = run.info.end_time ? std::to_string(*run.info.end_time) : "None";
  bom.dataset_info.origin = param_or("dataset_path", kUnknown);
  if (const Param* size = run.param("dataset_size")) {
    const std::optional<int64_t> parsed = python_int(size->value);
    if (!parsed) {
      return Status(
          ErrorCode::kInvalidConfig, "param dataset_size is not an integer: '" + size->value + "'",
          {{"/params/dataset_size", "must be what Python's int() accepts, within 64 bits"}});
    }
    bom.dataset_info.size = *parsed;
  }
  bom.feature_info.original_features = features("original_features");
  bom.feature_info.selected_features = features("selected_features");
  bom.model_info.type = param_or("model_type", kUnknown);
  bom.model_info.architecture = param_or("model_architecture", kUnknown);
  for (const Param& p : run.params) bom.mlflow_params[p.key] = p.value;
  for (const Metric& m : run.metrics) bom.mlflow_metrics[m.key] = m.value;
  return bom;
}

}  // namespace traind::tracking
