// What a fitted Prophet model holds (R prophet 1.0's fitted object, minus the Stan fit): the
// options, the scaling fixed at fit time, the resolved seasonalities / regressors / holidays,
// the layout of the feature matrix X and the MAP parameters. Shared by fit, predict and JSON.
#pragma once

#include <string>
#include <vector>

#include "engines/timeseries/prophet.h"

namespace traind::engines::timeseries::detail {

// One entry of m$seasonalities (built-in or user-added), with defaults filled in.
struct SeasonalityTerm {
  std::string name;
  double period = 0.0;  // days
  int fourier_order = 0;
  double prior_scale = 10.0;
  std::string mode = "additive";
};

// One entry of m$extra_regressors, with the standardisation found at fit time.
struct RegressorTerm {
  std::string name;
  double prior_scale = 10.0;
  std::string standardize = "auto";
  double mu = 0.0;
  double std = 1.0;
  std::string mode = "additive";
};

// A predict() component: which columns of X it sums and whether it is additive (then it is
// reported in y units, multiplied by y_scale).
struct ComponentColumns {
  std::string name;
  std::vector<double> columns;  // 0/1 per column of X
  bool additive = true;
};

// The columns of X (make_all_seasonality_features + regressor_column_matrix).
struct ColumnLayout {
  std::vector<std::string> names;
  std::vector<double> prior_scales;
  std::vector<double> s_a;  // additive_terms indicator per column
  std::vector<double> s_m;  // multiplicative_terms indicator per column
  std::vector<ComponentColumns> components;
  std::vector<std::string> additive_modes;        // component_modes$additive
  std::vector<std::string> multiplicative_modes;  // component_modes$multiplicative
};

struct ProphetModelData {
  ProphetOptions options;
  int n_changepoints = 25;  // after the n_changepoints + 1 > h reduction
  double y_scale = 1.0;
  bool logistic_floor = false;
  double start = 0.0;                  // epoch seconds
  double t_scale = 1.0;                // seconds
  std::vector<double> changepoints;    // epoch seconds (empty when none)
  std::vector<double> changepoints_t;  // scaled; {0} when there are none
  std::vector<SeasonalityTerm> seasonalities;
  std::vector<RegressorTerm> regressors;
  std::vector<std::string> train_holiday_names;
  ColumnLayout layout;
  ProphetParams params;
  double objective = 0.0;
  std::string fit_algorithm;
  bool converged = true;
  // The fitted history: raw rows with y, sorted by ds (the artifact keeps it, as Prophet does).
  ProphetFrame history;
};

}  // namespace traind::engines::timeseries::detail
