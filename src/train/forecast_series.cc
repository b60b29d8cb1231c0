// C.2 data preparation: table -> sorted, checked, regular series with future features.
#include "train/forecast_series.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace traind::train {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A grid longer than this is a wrong frequency (e.g. `S` for daily data), not a series.
constexpr int64_t kMaxGridPoints = 5000000;

std::string quoted(const std::string& s) { return "'" + s + "'"; }

Result<size_t> resolve_column(const data::Table& table, const std::string& name,
                              const std::string& field, const std::string& path) {
  const int index = table.find(name);
  if (index < 0) {
    const std::string message =
        field + " " + quoted(name) + " is not a column of the dataset's result";
    return Status(ErrorCode::kInvalidConfig, message, {{path, message}});
  }
  return static_cast<size_t>(index);
}

// Every row's time; kInvalidConfig when no value of the column reads as a time (the column
// is not a time column), kDataError naming the first value that does not when others do.
Result<std::vector<std::optional<int64_t>>> read_times(const data::Column& column) {
  const std::string hint =
      "; give dates or date-times as ISO-8601 text, e.g. '2025-01-31' or '2025-01-31T08:00:00Z'";
  if (column.storage == data::StorageType::kNumber) {
    const std::string message = "time_column " + quoted(column.name) +
                                " holds numbers, not dates or times" + hint +
                                " (epoch numbers are not accepted: their unit is ambiguous)";
    return Status(ErrorCode::kInvalidConfig, message, {{"/time_column", message}});
  }
  std::vector<std::optional<int64_t>> times(column.size());
  size_t parsed = 0;
  std::optional<size_t> first_bad;
  for (size_t row = 0; row < column.size(); ++row) {
    if (column.missing[row]) continue;
    times[row] = parse_timestamp(column.strings[row]);
    if (times[row]) {
      ++parsed;
    } else if (!first_bad) {
      first_bad = row;
    }
  }
  if (!first_bad) return times;
  const std::string message =
      "time_column " + quoted(column.name) + " holds " + quoted(column.strings[*first_bad]) +
      " at row " + std::to_string(*first_bad + 1) +
      ", which is not an ISO-8601 date or date-time in whole seconds" + hint;
  if (parsed == 0) return Status(ErrorCode::kInvalidConfig, message, {{"/time_column", message}});
  return Status(ErrorCode::kDataError, message);
}

// Every row's number (NaN when missing); text is read as a number, as a regression target.
Result<std::vector<double>> read_numbers(const data::Column& column, const std::string& role) {
  std::vector<double> values(column.size(), kNaN);
  for (size_t row = 0; row < column.size(); ++row) {
    if (column.is_missing(row)) continue;
    double v = kNaN;
    if (column.storage == data::StorageType::kNumber) {
      v = column.numbers[row];
    } else {
      const std::string& text = column.strings[row];
      char* end = nullptr;
      errno = 0;
      v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) v = kNaN;
    }
    if (!std::isfinite(v)) {
      return Status(ErrorCode::kDataError,
                    role + " " + quoted(column.name) + " holds " + quoted(column.text(row)) +
                        " at row " + std::to_string(row + 1) + ", which is not a finite number");
    }
    values[row] = v;
  }
  return values;
}

// The columns of one job, read into plain per-row vectors.
struct TableValues {
  std::vector<int64_t> time;
  std::vector<double> target;
  std::vector<std::vector<double>> features;  // [feature][row]
};

Result<TableValues> read_table(const data::Table& table, const ForecastDataSpec& spec,
                               size_t time_index, size_t target_index,
                               const std::vector<size_t>& feature_index,
                               std::optional<size_t> series_index) {
  auto times = read_times(table.column(time_index));
  if (!times.is_ok()) return times.status();
  TableValues v;
  v.time.resize(table.num_rows());
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if ((*times)[row]) {
      v.time[row] = *(*times)[row];
      continue;
    }
    const std::string where =
        series_index
            ? " (" + series_label(spec.series_column, table.column(*series_index).text(row)) + ")"
            : "";
    return Status(ErrorCode::kDataError, "row " + std::to_string(row + 1) + where +
                                             " has no value in time_column " +
                                             quoted(spec.time_column));
  }
  auto target = read_numbers(table.column(target_index), "target_column");
  if (!target.is_ok()) return target.status();
  v.target = std::move(*target);
  for (size_t f : feature_index) {
    auto feature = read_numbers(table.column(f), "feature column");
    if (!feature.is_ok()) return feature.status();
    v.features.push_back(std::move(*feature));
  }
  return v;
}

// Row indices grouped by series value (in series order), each group in time order.
Result<std::vector<std::vector<size_t>>> group_rows(const data::Table& table,
                                                    const ForecastDataSpec& spec,
                                                    std::optional<size_t> series_index,
                                                    const std::vector<int64_t>& time) {
  std::vector<size_t> rows(table.num_rows());
  std::iota(rows.begin(), rows.end(), size_t{0});
  const data::Column* series = series_index ? &table.column(*series_index) : nullptr;
  if (series) {
    for (size_t row = 0; row < series->size(); ++row) {
      if (series->is_missing(row)) {
        return Status(ErrorCode::kDataError, "row " + std::to_string(row + 1) +
                                                 " has no value in series_column " +
                                                 quoted(spec.series_column));
      }
    }
  }
  auto series_less = [series](size_t a, size_t b) {
    if (!series) return false;
    if (series->storage == data::StorageType::kNumber)
      return series->numbers[a] < series->numbers[b];
    return series->strings[a] < series->strings[b];
  };
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    if (series_less(a, b)) return true;
    if (series_less(b, a)) return false;
    return time[a] < time[b];
  });
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == 0 || series_less(rows[i - 1], rows[i])) groups.emplace_back();
    groups.back().push_back(rows[i]);
  }
  return groups;
}

Status check_on_grid(const std::vector<int64_t>& times, const Frequency& frequency,
                     const std::string& label) {
  for (int64_t t : times) {
    if (grid_index(t, times.front(), frequency)) continue;
    std::string message = label + " has a row at " + describe_timestamp(t) +
                          ", which is not on the " + quoted(frequency_name(frequency)) +
                          " grid through its first timestamp " + describe_timestamp(times.front());
    if (is_calendar_unit(frequency.unit)) {
      message +=
          " (MS, QS and YS periods fall on the first day of a month, M, Q and Y on the last, "
          "at one time of day)";
    }
    return Status(ErrorCode::kDataError, message);
  }
  return Status::ok();
}

// C.2.4: the feature values of the horizon from the rows after the last observed target.
Status take_future_features(const std::vector<size_t>& rows, size_t first_future_row,
                            int64_t origin, const Frequency& frequency, const TableValues& v,
                            const ForecastDataSpec& spec, const std::string& label,
                            PreparedSeries& out) {
  std::map<int64_t, size_t> future_rows;  // grid index -> row
  for (size_t i = first_future_row; i < rows.size(); ++i) {
    future_rows[*grid_index(v.time[rows[i]], origin, frequency)] = rows[i];
  }
  const int64_t last = static_cast<int64_t>(out.timestamps.size()) - 1;
  out.future_features.assign(spec.feature_columns.size(), {});
  for (int64_t k = 1; k <= spec.horizon; ++k) {
    const int64_t t = out.future_timestamps[static_cast<size_t>(k - 1)];
    const auto row = future_rows.find(last + k);
    for (size_t f = 0; f < spec.feature_columns.size(); ++f) {
      const double value = row == future_rows.end() ? kNaN : v.features[f][row->second];
      if (std::isnan(value)) {
        const std::string why = row == future_rows.end()
                                    ? "there is no row at " + describe_timestamp(t)
                                    : "the row at " + describe_timestamp(t) + " has no value";
        return Status(ErrorCode::kDataError,
                      label + " needs feature column " + quoted(spec.feature_columns[f]) +
                          " for each of the " + std::to_string(spec.horizon) +
                          " forecast periods after its last observed target (" +
                          describe_timestamp(out.timestamps.back()) + "), but " + why +
                          "; add rows with a null " + quoted(spec.target_column) +
                          " and the feature values");
      }
      out.future_features[f].push_back(value);
    }
  }
  return Status::ok();
}

Result<PreparedSeries> prepare_one_series(const std::vector<size_t>& rows, const std::string& name,
                                          const Frequency& frequency, const TableValues& v,
                                          const ForecastDataSpec& spec) {
  const std::string label = series_label(spec.series_column, name);
  std::optional<size_t> first_observed, last_observed;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (std::isnan(v.target[rows[i]])) continue;
    if (!first_observed) first_observed = i;
    last_observed = i;
  }
  if (!first_observed) {
    return Status(ErrorCode::kDataError,
                  label + " has no observed value in target_column " + quoted(spec.target_column));
  }
  const int64_t origin = v.time[rows[*first_observed]];
  const int64_t n = *grid_index(v.time[rows[*last_observed]], origin, frequency) + 1;
  if (n > kMaxGridPoints) {
    return Status(ErrorCode::kDataError, label + " would span " + std::to_string(n) +
                                             " periods of " + quoted(frequency_name(frequency)) +
                                             " (at most " + std::to_string(kMaxGridPoints) +
                                             "); check forecast.frequency");
  }
  PreparedSeries out;
  out.name = name;
  out.timestamps.resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    out.timestamps[static_cast<size_t>(k)] = step_timestamp(origin, frequency, k);
  }
  out.y.assign(static_cast<size_t>(n), kNaN);
  out.features.assign(spec.feature_columns.size(),
                      std::vector<double>(static_cast<size_t>(n), kNaN));
  for (size_t i = *first_observed; i <= *last_observed; ++i) {
    const size_t row = rows[i];
    const auto k = static_cast<size_t>(*grid_index(v.time[row], origin, frequency));
    out.y[k] = v.target[row];
    for (size_t f = 0; f < spec.feature_columns.size(); ++f) {
      out.features[f][k] = v.features[f][row];
      if (std::isnan(out.y[k]) || !std::isnan(out.features[f][k])) continue;
      return Status(ErrorCode::kDataError, label + " has no value in feature column " +
                                               quoted(spec.feature_columns[f]) + " at " +
                                               describe_timestamp(v.time[row]) +
                                               ", a row with an observed target");
    }
  }
  for (int64_t k = 1; k <= spec.horizon; ++k) {
    out.future_timestamps.push_back(step_timestamp(origin, frequency, n - 1 + k));
  }
  if (!spec.feature_columns.empty()) {
    TRAIND_RETURN_IF_ERROR(
        take_future_features(rows, *last_observed + 1, origin, frequency, v, spec, label, out));
  }
  return out;
}

}  // namespace

size_t PreparedSeries::observed_count() const {
  return static_cast<size_t>(
      std::count_if(y.begin(), y.end(), [](double v) { return !std::isnan(v); }));
}

std::string series_label(const std::string& series_column, const std::string& name) {
  return series_column.empty() ? "the series" : "series " + quoted(name);
}

Result<PreparedForecastData> prepare_forecast_data(const data::Table& table,
                                                   const ForecastDataSpec& spec) {
  if (spec.horizon < 1) {
    const std::string message = "forecast.horizon must be a whole number of periods >= 1";
    return Status(ErrorCode::kInvalidConfig, message, {{"/forecast/horizon", message}});
  }
  auto time_index = resolve_column(table, spec.time_column, "time_column", "/time_column");
  if (!time_index.is_ok()) return time_index.status();
  auto target_index = resolve_column(table, spec.target_column, "target_column", "/target_column");
  if (!target_index.is_ok()) return target_index.status();
  std::optional<size_t> series_index;
  if (!spec.series_column.empty()) {
    auto index = resolve_column(table, spec.series_column, "series_column", "/series_column");
    if (!index.is_ok()) return index.status();
    series_index = *index;
  }
  std::vector<size_t> feature_index;
  std::set<std::string> used = {spec.time_column};
  auto claim = [&used](const std::string& name, const std::string& path) -> Status {
    if (used.insert(name).second) return Status::ok();
    const std::string message = "column " + quoted(name) + " is used twice in the configuration";
    return Status(ErrorCode::kInvalidConfig, message, {{path, message}});
  };
  TRAIND_RETURN_IF_ERROR(claim(spec.target_column, "/target_column"));
  if (series_index) TRAIND_RETURN_IF_ERROR(claim(spec.series_column, "/series_column"));
  for (size_t f = 0; f < spec.feature_columns.size(); ++f) {
    const std::string path = "/feature_columns/" + std::to_string(f);
    auto index = resolve_column(table, spec.feature_columns[f], "feature column", path);
    if (!index.is_ok()) return index.status();
    TRAIND_RETURN_IF_ERROR(claim(spec.feature_columns[f], path));
    feature_index.push_back(*index);
  }
  if (table.num_rows() == 0) return Status(ErrorCode::kDataError, "the dataset has no rows");

  auto values = read_table(table, spec, *time_index, *target_index, feature_index, series_index);
  if (!values.is_ok()) return values.status();
  auto groups = group_rows(table, spec, series_index, values->time);
  if (!groups.is_ok()) return groups.status();

  PreparedForecastData data;
  data.feature_names = spec.feature_columns;
  data.frequency_inferred = !spec.frequency.has_value();
  std::vector<std::string> names;
  std::string inferred_from;  // the first series' label, for a disagreement message
  for (const std::vector<size_t>& rows : *groups) {
    names.push_back(series_index ? table.column(*series_index).text(rows.front()) : "");
    const std::string label = series_label(spec.series_column, names.back());
    std::vector<int64_t> times;
    for (size_t row : rows) {
      if (!times.empty() && times.back() == values->time[row]) {
        return Status(ErrorCode::kDataError, label + " has two rows at " +
                                                 describe_timestamp(values->time[row]) +
                                                 " in time_column " + quoted(spec.time_column));
      }
      times.push_back(values->time[row]);
    }
    if (spec.frequency) {
      TRAIND_RETURN_IF_ERROR(check_on_grid(times, *spec.frequency, label));
      data.frequency = *spec.frequency;
      continue;
    }
    auto inferred = infer_frequency(times, label);
    if (!inferred.is_ok()) return inferred.status();
    if (inferred_from.empty()) {
      data.frequency = *inferred;
      inferred_from = label;
    } else if (!(*inferred == data.frequency)) {
      return Status(ErrorCode::kDataError, inferred_from + " has frequency " +
                                               quoted(frequency_name(data.frequency)) + " but " +
                                               label + " has " + quoted(frequency_name(*inferred)) +
                                               "; give forecast.frequency");
    }
  }

  data.dates_only = is_daily_or_longer(data.frequency.unit);
  for (size_t s = 0; s < groups->size(); ++s) {
    auto series = prepare_one_series((*groups)[s], names[s], data.frequency, *values, spec);
    if (!series.is_ok()) return series.status();
    if (series->timestamps.front() % 86400 != 0) data.dates_only = false;
    data.series.push_back(std::move(*series));
  }
  return data;
}

}  // namespace traind::train
