// setup_dataframe() of R prophet 1.0: validation, sorting and scaling of input rows.
#include "engines/timeseries/prophet/prophet_frame.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

namespace traind::engines::timeseries::detail {
namespace {

Status data_error(const std::string& message) { return Status(ErrorCode::kDataError, message); }

std::vector<double> take(const std::vector<double>& column, const std::vector<size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(column[r]);
  return out;
}

}  // namespace

Result<ProphetFrame> sort_frame(const ProphetFrame& frame, const ProphetModelData& model,
                                bool history) {
  const size_t n = frame.ds.size();
  const bool logistic = model.options.growth == "logistic";
  if (history && frame.y.size() != n) {
    return data_error("the history needs one y value per ds (" + std::to_string(n) + " rows, " +
                      std::to_string(frame.y.size()) + " values)");
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(frame.ds[i])) return data_error("ds has a missing or non-finite time");
  }
  // A constant cap / floor from the options stands in for a missing column.
  const std::optional<double>& cap_value = model.options.cap;
  const std::optional<double>& floor_value = model.options.floor;
  const std::vector<double> cap_column =
      frame.cap.empty() && cap_value ? std::vector<double>(n, *cap_value) : frame.cap;
  const std::vector<double> floor_column =
      frame.floor.empty() && floor_value ? std::vector<double>(n, *floor_value) : frame.floor;
  if (logistic && cap_column.size() != n) {
    return data_error("logistic growth needs a cap value on every row");
  }
  const bool want_floor = history ? (logistic && !floor_column.empty()) : model.logistic_floor;
  if (want_floor && floor_column.size() != n) {
    return data_error("the model has a floor: a floor value is needed on every row");
  }
  std::vector<size_t> rows;
  rows.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (history) {
      if (std::isinf(frame.y[i])) return data_error("found infinity in column y");
      if (std::isnan(frame.y[i])) continue;
    }
    rows.push_back(i);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](size_t a, size_t b) { return frame.ds[a] < frame.ds[b]; });
  ProphetFrame out;
  out.ds = take(frame.ds, rows);
  if (history) out.y = take(frame.y, rows);
  for (const RegressorTerm& reg : model.regressors) {
    auto it = frame.regressors.find(reg.name);
    if (it == frame.regressors.end()) {
      return data_error("regressor \"" + reg.name + "\" missing from the data");
    }
    if (it->second.size() != n) {
      return data_error("regressor \"" + reg.name + "\" needs one value per row");
    }
    std::vector<double> values = take(it->second, rows);
    for (double v : values) {
      if (!std::isfinite(v)) return data_error("found NaN in regressor column " + reg.name);
    }
    out.regressors.emplace(reg.name, std::move(values));
  }
  if (logistic) {
    out.cap = take(cap_column, rows);
    for (double v : out.cap) {
      if (!std::isfinite(v)) return data_error("cap has a missing or non-finite value");
    }
  }
  if (want_floor) {
    out.floor = take(floor_column, rows);
    for (double v : out.floor) {
      if (!std::isfinite(v)) return data_error("floor has a missing or non-finite value");
    }
  }
  return out;
}

Result<PreparedFrame> scale_frame(const ProphetFrame& sorted, const ProphetModelData& model) {
  PreparedFrame out;
  const size_t n = sorted.ds.size();
  out.ds = sorted.ds;
  out.floor = model.logistic_floor ? sorted.floor : std::vector<double>(n, 0.0);
  out.t.resize(n);
  for (size_t i = 0; i < n; ++i) out.t[i] = (sorted.ds[i] - model.start) / model.t_scale;
  if (!sorted.y.empty()) {
    out.y = sorted.y;
    out.y_scaled.resize(n);
    for (size_t i = 0; i < n; ++i) out.y_scaled[i] = (sorted.y[i] - out.floor[i]) / model.y_scale;
  }
  if (model.options.growth == "logistic") {
    out.cap_scaled.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!(sorted.cap[i] > out.floor[i])) {
        return data_error("cap must be greater than floor (which defaults to 0) on every row");
      }
      out.cap_scaled[i] = (sorted.cap[i] - out.floor[i]) / model.y_scale;
    }
  }
  for (const RegressorTerm& reg : model.regressors) {
    std::vector<double> values = sorted.regressors.at(reg.name);
    for (double& v : values) v = (v - reg.mu) / reg.std;
    out.regressors.push_back(std::move(values));
  }
  return out;
}

}  // namespace traind::engines::timeseries::detail
