// Piecewise trends evaluated from cumulative rate / offset adjustments per segment.
#include "engines/timeseries/prophet/trend.h"

#include <algorithm>
#include <cmath>

namespace traind::engines::timeseries::detail {

Growth parse_growth(const std::string& growth) {
  if (growth == "logistic") return Growth::kLogistic;
  if (growth == "flat") return Growth::kFlat;
  return Growth::kLinear;
}

TrendSegments make_trend_segments(Growth growth, double k, double m, std::span<const double> deltas,
                                  std::span<const double> changepoints_t) {
  TrendSegments out;
  out.growth = growth;
  out.changepoints.assign(changepoints_t.begin(), changepoints_t.end());
  const size_t s = changepoints_t.size();
  out.rate.resize(s + 1);
  out.offset.resize(s + 1);
  out.rate[0] = k;
  out.offset[0] = m;
  // Logistic (R): gammas[i] <- (changepoint.ts[i] - m - sum(gammas)) * (1 - k.cum[i] / k.cum[i+1]);
  // linear: gamma_j = -s_j delta_j.
  double gamma_sum = 0.0;
  for (size_t j = 0; j < s; ++j) {
    out.rate[j + 1] = out.rate[j] + deltas[j];
    const double gamma = growth == Growth::kLogistic ? (changepoints_t[j] - m - gamma_sum) *
                                                           (1.0 - out.rate[j] / out.rate[j + 1])
                                                     : -changepoints_t[j] * deltas[j];
    gamma_sum += gamma;
    out.offset[j + 1] = out.offset[j] + gamma;
  }
  return out;
}

double TrendSegments::value(double t, double cap) const {
  if (growth == Growth::kFlat) return offset[0];
  const auto j = static_cast<size_t>(std::upper_bound(changepoints.begin(), changepoints.end(), t) -
                                     changepoints.begin());
  if (growth == Growth::kLinear) return rate[j] * t + offset[j];
  return cap / (1.0 + std::exp(-rate[j] * (t - offset[j])));
}

void evaluate_trend(Growth growth, double k, double m, std::span<const double> deltas,
                    std::span<const double> changepoints_t, std::span<const double> t,
                    std::span<const double> cap, std::span<double> out) {
  const TrendSegments segments = make_trend_segments(growth, k, m, deltas, changepoints_t);
  for (size_t i = 0; i < t.size(); ++i) {
    out[i] = segments.value(t[i], growth == Growth::kLogistic ? cap[i] : 0.0);
  }
}

}  // namespace traind::engines::timeseries::detail
