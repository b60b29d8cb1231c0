// auto.arima's searches over candidate orders once d and D are fixed (spec A.9.5): the
// stepwise neighbourhood search (forecast 8.20, stepwise = TRUE) and the exhaustive one,
// with approximation mode's exact refits.
#pragma once

#include <vector>

#include "engines/timeseries/auto_arima.h"
#include "engines/timeseries/auto_arima/candidate_model.h"

namespace traind::engines::timeseries::detail {

struct SearchBounds {
  int max_p = 5, max_q = 5, max_P = 2, max_Q = 2, max_order = 5;
  int start_p = 2, start_q = 2, start_P = 1, start_Q = 1;
  int nmodels = 94;
  int d = 0, D = 0;
  bool allowdrift = false, allowmean = false;  // already restricted to d + D
  bool short_series = false;                   // fewer than 10 values: small start orders
};

struct SearchOutcome {
  bool found = false;  // false: "No suitable ARIMA model found"
  CandidateOrder order;
  CandidateScore score;
  int models_fitted = 0;
  std::vector<AutoArimaCandidate> trace;
};

SearchOutcome stepwise_search(const CandidateSeries& series, const SearchBounds& bounds,
                              bool approximation, double offset);

SearchOutcome exhaustive_search(const CandidateSeries& series, const SearchBounds& bounds,
                                bool approximation, double offset);

}  // namespace traind::engines::timeseries::detail
