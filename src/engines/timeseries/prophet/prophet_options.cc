// Option validation as R prophet 1.0 does it, plus what traind does not support
// (mcmc_samples > 0).
#include "engines/timeseries/prophet/prophet_options.h"

#include <cmath>
#include <set>
#include <string>

namespace traind::engines::timeseries::detail {
namespace {

Status invalid(const std::string& message) { return Status(ErrorCode::kInvalidConfig, message); }

bool is_mode(const std::string& mode) { return mode == "additive" || mode == "multiplicative"; }

bool positive(double v) { return std::isfinite(v) && v > 0; }

// validate_column_name(): names that collide with predict()'s columns.
const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out{"trend",
                              "additive_terms",
                              "multiplicative_terms",
                              "holidays",
                              "zeros",
                              "extra_regressors_additive",
                              "yhat",
                              "extra_regressors_multiplicative",
                              "ds",
                              "y",
                              "cap",
                              "floor",
                              "y_scaled",
                              "cap_scaled"};
    for (const char* base :
         {"trend", "additive_terms", "multiplicative_terms", "holidays", "zeros",
          "extra_regressors_additive", "yhat", "extra_regressors_multiplicative"}) {
      out.insert(std::string(base) + "_lower");
      out.insert(std::string(base) + "_upper");
    }
    return out;
  }();
  return names;
}

}  // namespace

Status validate_prophet_options(const ProphetOptions& o) {
  if (o.growth != "linear" && o.growth != "logistic" && o.growth != "flat") {
    return invalid("growth must be \"linear\", \"logistic\" or \"flat\", not \"" + o.growth + "\"");
  }
  if (!(o.changepoint_range >= 0 && o.changepoint_range <= 1)) {
    return invalid("changepoint_range must be in [0, 1]");
  }
  if (!o.changepoints && o.n_changepoints < 0) return invalid("n_changepoints must be >= 0");
  if (o.changepoints) {
    for (double c : *o.changepoints) {
      if (!std::isfinite(c)) return invalid("changepoints must be finite times");
    }
  }
  if ((o.cap && !std::isfinite(*o.cap)) || (o.floor && !std::isfinite(*o.floor))) {
    return invalid("cap and floor must be finite numbers");
  }
  if (!is_mode(o.seasonality_mode)) {
    return invalid("seasonality_mode must be \"additive\" or \"multiplicative\"");
  }
  if (!positive(o.seasonality_prior_scale)) return invalid("seasonality_prior_scale must be > 0");
  if (!positive(o.holidays_prior_scale)) return invalid("holidays_prior_scale must be > 0");
  if (!positive(o.changepoint_prior_scale)) return invalid("changepoint_prior_scale must be > 0");
  if (o.mcmc_samples != 0) {
    return invalid("mcmc_samples must be 0: traind fits Prophet by MAP only");
  }
  if (!(o.interval_width > 0 && o.interval_width < 1)) {
    return invalid("interval_width must be in (0, 1)");
  }
  if (o.uncertainty_samples < 0) return invalid("uncertainty_samples must be >= 0");
  for (const SeasonalitySetting* s :
       {&o.yearly_seasonality, &o.weekly_seasonality, &o.daily_seasonality}) {
    if (s->kind == SeasonalitySetting::Kind::kOrder && s->fourier_order < 0) {
      return invalid("a seasonality's Fourier order must be >= 0");
    }
  }
  std::set<std::string> names;
  for (const CustomSeasonality& s : o.seasonalities) {
    if (s.name.empty() || reserved_names().count(s.name)) {
      return invalid("seasonality name \"" + s.name + "\" is empty or reserved");
    }
    if (!names.insert(s.name).second) {
      return invalid("seasonality \"" + s.name + "\" is added twice");
    }
    if (!positive(s.period)) return invalid("seasonality \"" + s.name + "\": period must be > 0");
    if (s.fourier_order <= 0) {
      return invalid("seasonality \"" + s.name + "\": fourier_order must be > 0");
    }
    if (s.prior_scale && !positive(*s.prior_scale)) {
      return invalid("seasonality \"" + s.name + "\": prior_scale must be > 0");
    }
    if (s.mode && !is_mode(*s.mode)) {
      return invalid("seasonality \"" + s.name + "\": mode must be additive or multiplicative");
    }
  }
  std::set<std::string> holiday_names;
  for (const HolidayRow& h : o.holidays) {
    if (h.holiday.empty()) return invalid("every holiday row needs a holiday name");
    if (!std::isfinite(h.ds)) return invalid("holiday \"" + h.holiday + "\" has no valid ds");
    if (h.lower_window > 0) return invalid("holiday lower_window should be <= 0");
    if (h.upper_window < 0) return invalid("holiday upper_window should be >= 0");
    if (h.prior_scale && !positive(*h.prior_scale)) {
      return invalid("holiday \"" + h.holiday + "\": prior_scale must be > 0");
    }
    if (reserved_names().count(h.holiday) || names.count(h.holiday)) {
      return invalid("holiday name \"" + h.holiday + "\" is reserved or already used");
    }
    holiday_names.insert(h.holiday);
  }
  for (const ExtraRegressor& r : o.extra_regressors) {
    if (r.name.empty() || reserved_names().count(r.name) || holiday_names.count(r.name)) {
      return invalid("regressor name \"" + r.name + "\" is empty, reserved or a holiday name");
    }
    if (!names.insert(r.name).second) {
      return invalid("name \"" + r.name + "\" is used twice");
    }
    if (r.prior_scale && !positive(*r.prior_scale)) {
      return invalid("regressor \"" + r.name + "\": prior_scale must be > 0");
    }
    if (r.standardize != "auto" && r.standardize != "true" && r.standardize != "false") {
      return invalid("regressor \"" + r.name + "\": standardize must be auto, true or false");
    }
    if (r.mode && !is_mode(*r.mode)) {
      return invalid("regressor \"" + r.name + "\": mode must be additive or multiplicative");
    }
  }
  return Status::ok();
}

}  // namespace traind::engines::timeseries::detail
