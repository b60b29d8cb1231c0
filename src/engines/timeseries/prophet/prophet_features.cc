// Feature columns as R prophet 1.0 builds them (fourier_series, make_holiday_features,
// regressor_column_matrix). Column order: seasonalities in insertion order, holiday columns
// sorted by name, extra regressors in insertion order (spec B.3).
#include "engines/timeseries/prophet/prophet_features.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <string_view>

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr char kDelim[] = "_delim_";

// One holiday indicator column: its name "<holiday>_delim_<+|-><|offset|>" and the UTC days
// (days since 1970-01-01) on which it is 1.
struct HolidayColumn {
  std::string name;
  std::string holiday;
  std::set<int64_t> days;
};

// R sorts names with ICU's root collation (R on Debian uses ICU even in C.UTF-8): punctuation
// before symbols before digits before letters, letters case-blind first, lower case first on
// ties. This approximates it for ASCII names, which is what decides the order of holiday columns
// ("x_delim_-1" < "x_delim_+0") and of components.
int collation_rank(unsigned char c) {
  static constexpr std::string_view kOrder =
      "\t\n\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
  const auto lower = static_cast<unsigned char>(std::tolower(c));
  const size_t at = kOrder.find(static_cast<char>(lower));
  return at == std::string_view::npos ? 256 + c : static_cast<int>(at);
}

bool r_collation_less(const std::string& a, const std::string& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const int ra = collation_rank(static_cast<unsigned char>(a[i]));
    const int rb = collation_rank(static_cast<unsigned char>(b[i]));
    if (ra != rb) return ra < rb;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < n; ++i) {
    const bool la = std::islower(static_cast<unsigned char>(a[i])) != 0;
    const bool lb = std::islower(static_cast<unsigned char>(b[i])) != 0;
    if (la != lb) return la;
  }
  return a < b;
}

int64_t utc_day(double epoch_seconds) {
  return static_cast<int64_t>(std::floor(epoch_seconds / kSecondsPerDay));
}

// make_holiday_features(): the first row per (holiday, ds) counts; offsets from lower_window
// to upper_window. Columns come out sorted by name as R sorts them.
std::vector<HolidayColumn> holiday_columns(const ProphetModelData& model) {
  std::map<std::string, HolidayColumn> columns;
  std::set<std::pair<std::string, int64_t>> seen;
  for (const HolidayRow& row : model.options.holidays) {
    if (std::find(model.train_holiday_names.begin(), model.train_holiday_names.end(),
                  row.holiday) == model.train_holiday_names.end()) {
      continue;
    }
    const int64_t day = utc_day(row.ds);
    if (!seen.emplace(row.holiday, day).second) continue;
    for (int offset = row.lower_window; offset <= row.upper_window; ++offset) {
      std::string name = row.holiday + kDelim + (offset < 0 ? "-" : "+") +
                         std::to_string(offset < 0 ? -offset : offset);
      HolidayColumn& column = columns[name];
      column.name = name;
      column.holiday = row.holiday;
      column.days.insert(day + offset);
    }
  }
  std::vector<HolidayColumn> out;
  for (auto& [name, column] : columns) out.push_back(std::move(column));
  std::sort(out.begin(), out.end(), [](const HolidayColumn& a, const HolidayColumn& b) {
    return r_collation_less(a.name, b.name);
  });
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::vector<std::string> holiday_names(const std::vector<HolidayRow>& holidays) {
  std::vector<std::string> names;
  for (const HolidayRow& row : holidays) {
    if (!contains(names, row.holiday)) names.push_back(row.holiday);
  }
  return names;
}

Result<ColumnLayout> make_column_layout(const ProphetModelData& model) {
  ColumnLayout layout;
  std::vector<std::string> column_component;
  std::vector<std::string> additive_names, multiplicative_names;
  auto add_mode = [&](const std::string& mode, const std::string& name) {
    std::vector<std::string>& list =
        mode == "multiplicative" ? multiplicative_names : additive_names;
    if (!contains(list, name)) list.push_back(name);
  };
  std::vector<bool> column_multiplicative;
  for (const SeasonalityTerm& s : model.seasonalities) {
    for (int i = 1; i <= 2 * s.fourier_order; ++i) {
      layout.names.push_back(s.name + kDelim + std::to_string(i));
      layout.prior_scales.push_back(s.prior_scale);
      column_component.push_back(s.name);
      column_multiplicative.push_back(s.mode == "multiplicative");
    }
    add_mode(s.mode, s.name);
  }
  // Holiday prior scales: one per holiday name; rows without their own use holidays_prior_scale.
  std::map<std::string, double> holiday_scale;
  for (const std::string& name : model.train_holiday_names) {
    std::optional<double> scale;
    for (const HolidayRow& row : model.options.holidays) {
      if (row.holiday != name || !row.prior_scale) continue;
      if (scale && *scale != *row.prior_scale) {
        return Status(ErrorCode::kInvalidConfig,
                      "holiday " + name + " does not have a consistent prior scale");
      }
      scale = row.prior_scale;
    }
    holiday_scale[name] = scale.value_or(model.options.holidays_prior_scale);
  }
  const bool seasonality_multiplicative = model.options.seasonality_mode == "multiplicative";
  for (const HolidayColumn& column : holiday_columns(model)) {
    layout.names.push_back(column.name);
    layout.prior_scales.push_back(holiday_scale[column.holiday]);
    column_component.push_back(column.holiday);
    column_multiplicative.push_back(seasonality_multiplicative);
  }
  for (const std::string& name : model.train_holiday_names) {
    add_mode(model.options.seasonality_mode, name);
  }
  for (const RegressorTerm& r : model.regressors) {
    layout.names.push_back(r.name);
    layout.prior_scales.push_back(r.prior_scale);
    column_component.push_back(r.name);
    column_multiplicative.push_back(r.mode == "multiplicative");
    add_mode(r.mode, r.name);
  }
  const size_t k = layout.names.size();
  if (k == 0) {
    // No feature: one zero column, in neither additive nor multiplicative terms.
    layout.names.push_back("zeros");
    layout.prior_scales.push_back(1.0);
    layout.s_a.push_back(0.0);
    layout.s_m.push_back(0.0);
  } else {
    for (size_t c = 0; c < k; ++c) {
      layout.s_a.push_back(column_multiplicative[c] ? 0.0 : 1.0);
      layout.s_m.push_back(column_multiplicative[c] ? 1.0 : 0.0);
    }
  }
  const size_t columns = layout.names.size();

  // Components: every named block, then the groups of regressor_column_matrix().
  std::map<std::string, std::vector<double>> components;
  for (size_t c = 0; c < k; ++c) {
    auto& mask = components[column_component[c]];
    mask.resize(columns, 0.0);
    mask[c] = 1.0;
  }
  auto add_group = [&](const std::string& group, const std::vector<std::string>& members) {
    std::vector<double> mask(columns, 0.0);
    bool any = false;
    for (size_t c = 0; c < k; ++c) {
      if (contains(members, column_component[c])) {
        mask[c] = 1.0;
        any = true;
      }
    }
    if (any) components[group] = mask;
  };
  if (!model.train_holiday_names.empty()) add_group("holidays", model.train_holiday_names);
  for (const std::string mode : {"additive", "multiplicative"}) {
    const std::vector<std::string>& names =
        mode == "additive" ? additive_names : multiplicative_names;
    add_group(mode + "_terms", names);
    std::vector<std::string> regressors_in_mode;
    for (const RegressorTerm& r : model.regressors) {
      if (r.mode == mode) regressors_in_mode.push_back(r.name);
    }
    add_group("extra_regressors_" + mode, regressors_in_mode);
    (mode == "additive" ? additive_names : multiplicative_names).push_back(mode + "_terms");
    (mode == "additive" ? additive_names : multiplicative_names)
        .push_back("extra_regressors_" + mode);
  }
  (seasonality_multiplicative ? multiplicative_names : additive_names).push_back("holidays");
  // In the order of R's table() columns, then additive_terms / multiplicative_terms as zero
  // columns when no column belongs to them (R appends them).
  for (auto& [name, mask] : components) {
    layout.components.push_back({name, std::move(mask), contains(additive_names, name)});
  }
  std::sort(layout.components.begin(), layout.components.end(),
            [](const ComponentColumns& a, const ComponentColumns& b) {
              return r_collation_less(a.name, b.name);
            });
  for (const std::string name : {"additive_terms", "multiplicative_terms"}) {
    if (!components.count(name)) {
      layout.components.push_back(
          {name, std::vector<double>(columns, 0.0), contains(additive_names, name)});
    }
  }
  layout.additive_modes = std::move(additive_names);
  layout.multiplicative_modes = std::move(multiplicative_names);
  return layout;
}

Eigen::MatrixXd make_feature_matrix(const ProphetModelData& model, const PreparedFrame& frame) {
  const Eigen::Index rows = static_cast<Eigen::Index>(frame.rows());
  const ColumnLayout& layout = model.layout;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(rows, static_cast<Eigen::Index>(layout.names.size()));
  Eigen::Index col = 0;
  for (const SeasonalityTerm& s : model.seasonalities) {
    for (int i = 1; i <= s.fourier_order; ++i) {
      // R: x <- 2 * i * pi * t / period, evaluated left to right, t in days since the epoch.
      const double two_i_pi = 2.0 * i * std::numbers::pi;
      for (Eigen::Index r = 0; r < rows; ++r) {
        const double t_days = frame.ds[static_cast<size_t>(r)] / kSecondsPerDay;
        const double arg = two_i_pi * t_days / s.period;
        x(r, col) = std::sin(arg);
        x(r, col + 1) = std::cos(arg);
      }
      col += 2;
    }
  }
  for (const HolidayColumn& column : holiday_columns(model)) {
    for (Eigen::Index r = 0; r < rows; ++r) {
      if (column.days.count(utc_day(frame.ds[static_cast<size_t>(r)]))) x(r, col) = 1.0;
    }
    ++col;
  }
  for (const std::vector<double>& values : frame.regressors) {
    for (Eigen::Index r = 0; r < rows; ++r) x(r, col) = values[static_cast<size_t>(r)];
    ++col;
  }
  return x;
}

}  // namespace traind::engines::timeseries::detail
