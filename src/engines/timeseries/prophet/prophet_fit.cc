// fit_prophet(): R prophet 1.0's prophet() + fit.prophet(): option checks (validate_inputs),
// scaling (initialize_scales_fn), automatic seasonalities, changepoints, initial values and
// the MAP fit of prophet.stan.
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numeric>
#include <set>
#include <string>

#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/map_objective.h"
#include "engines/timeseries/prophet/map_optimizer.h"
#include "engines/timeseries/prophet/map_problem.h"
#include "engines/timeseries/prophet/prophet_features.h"
#include "engines/timeseries/prophet/prophet_frame.h"
#include "engines/timeseries/prophet/prophet_model_data.h"
#include "engines/timeseries/prophet/prophet_options.h"

namespace traind::engines::timeseries {
namespace detail {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr size_t kNewtonBelowRows = 100;  // fit.prophet: Newton when T < 100

Status data_error(const std::string& message) { return Status(ErrorCode::kDataError, message); }

// parse_seasonality_args(): the Fourier order of a built-in seasonality (0 = off).
int builtin_order(const ProphetOptions& options, const SeasonalitySetting& setting,
                  const std::string& name, bool auto_disable, int default_order) {
  switch (setting.kind) {
    case SeasonalitySetting::Kind::kAuto: {
      const bool custom = std::any_of(options.seasonalities.begin(), options.seasonalities.end(),
                                      [&](const CustomSeasonality& s) { return s.name == name; });
      return (custom || auto_disable) ? 0 : default_order;
    }
    case SeasonalitySetting::Kind::kTrue:
      return default_order;
    case SeasonalitySetting::Kind::kFalse:
      return 0;
    case SeasonalitySetting::Kind::kOrder:
      return setting.fourier_order;
  }
  return 0;
}

// set_auto_seasonalities(): user seasonalities first; a built-in with the same name as a user
// one replaces it in place (only reachable with an explicit true / order).
std::vector<SeasonalityTerm> resolve_seasonalities(const ProphetOptions& options,
                                                   const std::vector<double>& ds) {
  std::vector<SeasonalityTerm> terms;
  for (const CustomSeasonality& s : options.seasonalities) {
    terms.push_back({s.name, s.period, s.fourier_order,
                     s.prior_scale.value_or(options.seasonality_prior_scale),
                     s.mode.value_or(options.seasonality_mode)});
  }
  const double span_days = (ds.back() - ds.front()) / kSecondsPerDay;
  double min_dt = std::numeric_limits<double>::infinity();
  for (size_t i = 1; i < ds.size(); ++i) {
    const double dt = (ds[i] - ds[i - 1]) / kSecondsPerDay;
    if (dt > 0) min_dt = std::min(min_dt, dt);
  }
  struct Builtin {
    const char* name;
    const SeasonalitySetting* setting;
    bool auto_disable;
    int default_order;
    double period;
  };
  const Builtin builtins[] = {
      {"yearly", &options.yearly_seasonality, span_days < 730, 10, 365.25},
      {"weekly", &options.weekly_seasonality, span_days < 14 || min_dt >= 7, 3, 7.0},
      {"daily", &options.daily_seasonality, span_days < 2 || min_dt >= 1, 4, 1.0},
  };
  for (const Builtin& b : builtins) {
    const int order = builtin_order(options, *b.setting, b.name, b.auto_disable, b.default_order);
    if (order <= 0) continue;
    SeasonalityTerm term{b.name, b.period, order, options.seasonality_prior_scale,
                         options.seasonality_mode};
    auto it = std::find_if(terms.begin(), terms.end(),
                           [&](const SeasonalityTerm& s) { return s.name == b.name; });
    if (it != terms.end()) {
      *it = term;
    } else {
      terms.push_back(term);
    }
  }
  return terms;
}

// initialize_scales_fn(): regressor standardisation ('auto' leaves constant and 0/1 columns raw).
std::vector<RegressorTerm> resolve_regressors(const ProphetOptions& options,
                                              const ProphetFrame& history) {
  std::vector<RegressorTerm> terms;
  for (const ExtraRegressor& r : options.extra_regressors) {
    RegressorTerm term{r.name,        r.prior_scale.value_or(options.holidays_prior_scale),
                       r.standardize, 0.0,
                       1.0,           r.mode.value_or(options.seasonality_mode)};
    const std::vector<double>& values = history.regressors.at(r.name);
    std::set<double> distinct(values.begin(), values.end());
    bool standardize = r.standardize == "true";
    if (r.standardize == "auto") {
      standardize =
          !(distinct.size() == 2 && *distinct.begin() == 0.0 && *distinct.rbegin() == 1.0);
    }
    if (distinct.size() < 2) standardize = false;
    if (standardize) {
      const double n = static_cast<double>(values.size());
      const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
      double ss = 0.0;
      for (double v : values) ss += (v - mean) * (v - mean);
      term.mu = mean;
      term.std = std::sqrt(ss / (n - 1.0));
    }
    terms.push_back(term);
  }
  return terms;
}

// set_changepoints(): given dates, or rows round(seq(1, h, length.out = n + 1))[-1] of the
// first h = floor(n_hist * changepoint_range) history rows.
Status set_changepoints(ProphetModelData& model, const std::vector<double>& ds) {
  const ProphetOptions& options = model.options;
  if (options.changepoints) {
    model.changepoints = *options.changepoints;
    std::sort(model.changepoints.begin(), model.changepoints.end());
    model.n_changepoints = static_cast<int>(model.changepoints.size());
    if (!model.changepoints.empty() &&
        (model.changepoints.front() < ds.front() || model.changepoints.back() > ds.back())) {
      return data_error("changepoints must fall within the training data");
    }
  } else {
    const auto hist_size =
        static_cast<int>(std::floor(static_cast<double>(ds.size()) * options.changepoint_range));
    model.n_changepoints = options.n_changepoints;
    if (model.n_changepoints + 1 > hist_size) model.n_changepoints = hist_size - 1;
    if (model.n_changepoints > 0) {
      const double by = static_cast<double>(hist_size - 1) / model.n_changepoints;
      for (int i = 1; i <= model.n_changepoints; ++i) {
        // R's round() takes halves to even, as nearbyint does in the default rounding mode.
        const auto row = static_cast<size_t>(std::nearbyint(1.0 + i * by));
        model.changepoints.push_back(ds[row - 1]);
      }
    }
  }
  model.changepoints_t.clear();
  for (double c : model.changepoints) {
    model.changepoints_t.push_back((c - model.start) / model.t_scale);
  }
  if (model.changepoints_t.empty()) model.changepoints_t.push_back(0.0);  // dummy changepoint
  return Status::ok();
}

// linear_growth_init / logistic_growth_init / flat_growth_init on sorted history rows.
std::pair<double, double> initial_trend(const ProphetModelData& model, const PreparedFrame& h) {
  const size_t i0 = 0;
  // which.max(ds) is the first row with the largest ds.
  size_t i1 = h.rows() - 1;
  while (i1 > 0 && h.ds[i1 - 1] == h.ds[i1]) --i1;
  const double span = h.t[i1] - h.t[i0];
  if (model.options.growth == "flat") {
    const double mean =
        std::accumulate(h.y_scaled.begin(), h.y_scaled.end(), 0.0) / static_cast<double>(h.rows());
    return {0.0, mean};
  }
  if (model.options.growth == "linear") {
    const double k = (h.y_scaled[i1] - h.y_scaled[i0]) / span;
    return {k, h.y_scaled[i0] - k * h.t[i0]};
  }
  const double c0 = h.cap_scaled[i0];
  const double c1 = h.cap_scaled[i1];
  const double y0 = std::max(0.01 * c0, std::min(0.99 * c0, h.y_scaled[i0]));
  const double y1 = std::max(0.01 * c1, std::min(0.99 * c1, h.y_scaled[i1]));
  double r0 = c0 / y0;
  const double r1 = c1 / y1;
  if (std::abs(r0 - r1) <= 0.01) r0 = 1.05 * r0;
  const double l0 = std::log(r0 - 1.0);
  const double l1 = std::log(r1 - 1.0);
  return {(l0 - l1) / span, l0 * span / (l0 - l1)};
}

}  // namespace

MapProblem make_map_problem(const ProphetModelData& model, const PreparedFrame& h) {
  const auto rows = static_cast<Eigen::Index>(h.rows());
  MapProblem problem;
  problem.growth = parse_growth(model.options.growth);
  problem.t = Eigen::Map<const Eigen::VectorXd>(h.t.data(), rows);
  problem.y = Eigen::Map<const Eigen::VectorXd>(h.y_scaled.data(), rows);
  if (!h.cap_scaled.empty())
    problem.cap = Eigen::Map<const Eigen::VectorXd>(h.cap_scaled.data(), rows);
  problem.x = make_feature_matrix(model, h);
  const ColumnLayout& layout = model.layout;
  const auto k = static_cast<Eigen::Index>(layout.names.size());
  problem.sigmas = Eigen::Map<const Eigen::VectorXd>(layout.prior_scales.data(), k);
  problem.s_a = Eigen::Map<const Eigen::VectorXd>(layout.s_a.data(), k);
  problem.s_m = Eigen::Map<const Eigen::VectorXd>(layout.s_m.data(), k);
  problem.changepoints_t = model.changepoints_t;
  problem.tau = model.options.changepoint_prior_scale;
  return problem;
}

Result<double> log_posterior(const ProphetModelData& model, const ProphetParams& params) {
  Result<PreparedFrame> h = scale_frame(model.history, model);
  if (!h.is_ok()) return h.status();
  MapObjective objective(make_map_problem(model, *h));
  if (params.delta.size() != static_cast<size_t>(objective.num_changepoints()) ||
      params.beta.size() != static_cast<size_t>(objective.num_columns())) {
    return Status(ErrorCode::kInvalidConfig, "parameter sizes do not match the model");
  }
  Eigen::VectorXd x(objective.size());
  x[MapObjective::kK] = params.k;
  x[MapObjective::kM] = params.m;
  for (size_t j = 0; j < params.delta.size(); ++j)
    x[MapObjective::kDelta + static_cast<Eigen::Index>(j)] = params.delta[j];
  x[objective.log_sigma_index()] = std::log(params.sigma_obs);
  for (size_t j = 0; j < params.beta.size(); ++j)
    x[objective.beta_index() + static_cast<Eigen::Index>(j)] = params.beta[j];
  return -objective.evaluate(x, nullptr);
}

}  // namespace detail

namespace detail {
namespace {

Result<ProphetModel> fit_prophet_unchecked(const ProphetOptions& options,
                                           const ProphetFrame& history) {
  TRAIND_RETURN_IF_ERROR(validate_prophet_options(options));
  auto model = std::make_shared<ProphetModelData>();
  model->options = options;
  for (const ExtraRegressor& r : options.extra_regressors) {
    model->regressors.push_back({r.name, 0.0, r.standardize, 0.0, 1.0, "additive"});
  }
  Result<ProphetFrame> sorted = sort_frame(history, *model, /*history=*/true);
  if (!sorted.is_ok()) return sorted.status();
  const ProphetFrame& rows = *sorted;
  if (rows.ds.size() < 2) return data_error("the history has fewer than 2 rows with a y value");

  // initialize_scales_fn().
  model->logistic_floor = options.growth == "logistic" && !rows.floor.empty();
  double y_scale = 0.0;
  for (size_t i = 0; i < rows.ds.size(); ++i) {
    y_scale = std::max(y_scale, std::abs(rows.y[i] - (model->logistic_floor ? rows.floor[i] : 0)));
  }
  model->y_scale = y_scale == 0.0 ? 1.0 : y_scale;
  model->start = rows.ds.front();
  model->t_scale = rows.ds.back() - model->start;
  if (!(model->t_scale > 0)) return data_error("the history needs at least two distinct times");
  model->regressors = resolve_regressors(options, rows);
  Result<PreparedFrame> prepared = scale_frame(rows, *model);
  if (!prepared.is_ok()) return prepared.status();
  const PreparedFrame& h = *prepared;

  model->seasonalities = resolve_seasonalities(options, h.ds);
  model->train_holiday_names = holiday_names(options.holidays);
  Result<ColumnLayout> layout = make_column_layout(*model);
  if (!layout.is_ok()) return layout.status();
  model->layout = std::move(*layout);
  TRAIND_RETURN_IF_ERROR(set_changepoints(*model, h.ds));

  model->history = rows;

  const auto [k0, m0] = initial_trend(*model, h);
  const auto s = static_cast<Eigen::Index>(model->changepoints_t.size());
  const auto k = static_cast<Eigen::Index>(model->layout.names.size());
  MapObjective objective(make_map_problem(*model, h));

  ProphetParams& params = model->params;
  const auto [y_min, y_max] = std::minmax_element(h.y.begin(), h.y.end());
  if (*y_min == *y_max && options.growth != "logistic") {
    // fit.prophet: a constant series keeps the initial values with sigma_obs = 0.
    params.k = k0;
    params.m = m0;
    params.delta.assign(static_cast<size_t>(s), 0.0);
    params.beta.assign(static_cast<size_t>(k), 0.0);
    params.sigma_obs = 0.0;
    model->objective = 0.0;
    model->fit_algorithm = "none";
  } else {
    Eigen::VectorXd x0 = Eigen::VectorXd::Zero(objective.size());
    x0[MapObjective::kK] = k0;
    x0[MapObjective::kM] = m0;  // delta = 0, log sigma = 0 (sigma_obs = 1), beta = 0
    Result<MapEstimate> fit = find_map(objective, x0, h.rows() < kNewtonBelowRows);
    if (!fit.is_ok()) return fit.status();
    const Eigen::VectorXd& x = fit->x;
    params.k = x[MapObjective::kK];
    params.m = x[MapObjective::kM];
    params.delta.assign(x.data() + MapObjective::kDelta, x.data() + MapObjective::kDelta + s);
    params.sigma_obs = std::exp(x[objective.log_sigma_index()]);
    params.beta.assign(x.data() + objective.beta_index(), x.data() + objective.beta_index() + k);
    model->objective = fit->log_posterior;
    model->fit_algorithm = fit->algorithm;
    model->converged = fit->converged;
  }
  if (model->n_changepoints == 0) {
    // The dummy changepoint's rate change is folded into k.
    params.k += params.delta[0];
    params.delta[0] = 0.0;
  }
  return ProphetModel(std::move(model));
}

}  // namespace
}  // namespace detail

Result<ProphetModel> fit_prophet(const ProphetOptions& options, const ProphetFrame& history) {
  try {
    return detail::fit_prophet_unchecked(options, history);
  } catch (const std::exception& e) {
    // Exceptions never leave the library (allocation failures, mostly).
    return Status(ErrorCode::kTrainingError, std::string("Prophet fit failed: ") + e.what());
  }
}

}  // namespace traind::engines::timeseries
