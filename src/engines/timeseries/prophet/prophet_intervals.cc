// Each sample draws new changepoints after the history (Poisson with S changes per unit of
// scaled time, beyond t = 1), Laplace rate changes with the mean |delta| as scale, and
// Gaussian observation noise; the interval is the (1 - w)/2 and (1 + w)/2 quantiles per row.
#include "engines/timeseries/prophet/prophet_intervals.h"

#include <algorithm>
#include <cmath>

#include "engines/timeseries/prophet/prophet_random.h"
#include "engines/timeseries/prophet/trend.h"

namespace traind::engines::timeseries::detail {

double quantile_type7(std::vector<double>::iterator first, std::vector<double>::iterator last,
                      double p) {
  const auto n = last - first;
  const double h = static_cast<double>(n - 1) * p;
  const auto lo = static_cast<std::ptrdiff_t>(std::floor(h));
  std::nth_element(first, first + lo, last);
  const double x_lo = first[lo];
  if (lo + 1 >= n) return x_lo;
  const double x_hi = *std::min_element(first + lo + 1, last);
  return x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
}

void simulate_intervals(const ProphetModelData& model, const PreparedFrame& frame,
                        const std::vector<double>& xb_additive,
                        const std::vector<double>& xb_multiplicative, uint64_t seed,
                        ProphetForecast& out) {
  const size_t rows = frame.rows();
  const auto samples = static_cast<size_t>(model.options.uncertainty_samples);
  const ProphetParams& p = model.params;
  const Growth growth = parse_growth(model.options.growth);
  ProphetRandom random(seed);
  const double t_max = rows == 0 ? 0.0 : *std::max_element(frame.t.begin(), frame.t.end());
  const auto s = static_cast<double>(model.changepoints_t.size());
  double lambda = 0.0;
  for (double d : p.delta) lambda += std::abs(d);
  lambda = lambda / static_cast<double>(p.delta.size()) + 1e-8;

  // Each sample's trend (history changepoints plus its new ones) is drawn first; the rows are
  // then simulated one at a time over all samples, so only two buffers of `samples` values
  // are needed and the quantiles read contiguous memory.
  std::vector<TrendSegments> sample_trends;
  sample_trends.reserve(samples);
  std::vector<double> changepoints, deltas;
  for (size_t j = 0; j < samples; ++j) {
    changepoints = model.changepoints_t;
    deltas = p.delta;
    const int64_t n_changes = t_max > 1 ? random.poisson(s * (t_max - 1.0)) : 0;
    const size_t first_new = changepoints.size();
    for (int64_t c = 0; c < n_changes; ++c) {
      changepoints.push_back(1.0 + random.uniform() * (t_max - 1.0));
    }
    std::sort(changepoints.begin() + static_cast<std::ptrdiff_t>(first_new), changepoints.end());
    for (int64_t c = 0; c < n_changes; ++c) deltas.push_back(random.laplace(lambda));
    sample_trends.push_back(make_trend_segments(growth, p.k, p.m, deltas, changepoints));
  }
  const double lower_p = (1.0 - model.options.interval_width) / 2.0;
  const double upper_p = (1.0 + model.options.interval_width) / 2.0;
  out.yhat_lower.resize(rows);
  out.yhat_upper.resize(rows);
  out.trend_lower.resize(rows);
  out.trend_upper.resize(rows);
  std::vector<double> yhat(samples), trend(samples);
  const double noise_scale = p.sigma_obs * model.y_scale;
  for (size_t i = 0; i < rows; ++i) {
    const double cap = growth == Growth::kLogistic ? frame.cap_scaled[i] : 0.0;
    for (size_t j = 0; j < samples; ++j) {
      const double tr = sample_trends[j].value(frame.t[i], cap) * model.y_scale + frame.floor[i];
      trend[j] = tr;
      yhat[j] = tr * (1.0 + xb_multiplicative[i]) + xb_additive[i] + random.normal() * noise_scale;
    }
    out.yhat_lower[i] = quantile_type7(yhat.begin(), yhat.end(), lower_p);
    out.yhat_upper[i] = quantile_type7(yhat.begin(), yhat.end(), upper_p);
    out.trend_lower[i] = quantile_type7(trend.begin(), trend.end(), lower_p);
    out.trend_upper[i] = quantile_type7(trend.begin(), trend.end(), upper_p);
  }
}

}  // namespace traind::engines::timeseries::detail
