// Prophet's trend functions in scaled units (R prophet 1.0 piecewise_linear,
// piecewise_logistic, flat_trend; spec B.2). Changepoints must be sorted ascending.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace traind::engines::timeseries::detail {

enum class Growth { kLinear, kLogistic, kFlat };

// "logistic" / "flat" / anything else (validated earlier) is linear.
Growth parse_growth(const std::string& growth);

// The trend as segments: after the first j changepoints the rate is rate[j] and the offset
// offset[j] (linear: g = rate t + offset; logistic: g = cap / (1 + exp(-rate (t - offset)))).
struct TrendSegments {
  Growth growth = Growth::kLinear;
  std::vector<double> changepoints;
  std::vector<double> rate, offset;  // changepoints.size() + 1 entries

  // g(t); a row uses every changepoint s_j <= t (R's `t >= changepoint.ts[s]`).
  double value(double t, double cap) const;
};

TrendSegments make_trend_segments(Growth growth, double k, double m, std::span<const double> deltas,
                                  std::span<const double> changepoints_t);

// g(t) for each t (any order); `cap` is used by logistic growth only (scaled capacities).
void evaluate_trend(Growth growth, double k, double m, std::span<const double> deltas,
                    std::span<const double> changepoints_t, std::span<const double> t,
                    std::span<const double> cap, std::span<double> out);

}  // namespace traind::engines::timeseries::detail
