// SarimaxModel: accessors and out-of-sample forecasts (spec A.8) from the stored final
// state, so a model loaded from its artifact forecasts exactly as the fitted one.
#include <cmath>
#include <string>
#include <utility>

#include "engines/timeseries/common/normal_distribution.h"
#include "engines/timeseries/sarimax.h"
#include "engines/timeseries/sarimax/kalman_filter.h"
#include "engines/timeseries/sarimax/sarimax_model_data.h"
#include "engines/timeseries/sarimax/state_space.h"

namespace traind::engines::timeseries {

SarimaxModel::SarimaxModel(std::shared_ptr<const detail::SarimaxModelData> data)
    : data_(std::move(data)) {}

const SarimaxSpec& SarimaxModel::spec() const { return data_->structure.spec; }
const std::vector<std::string>& SarimaxModel::exog_names() const {
  return data_->structure.exog_names;
}
const std::vector<std::string>& SarimaxModel::param_names() const {
  return data_->structure.param_names;
}
const std::vector<double>& SarimaxModel::params() const { return data_->params; }
const std::vector<double>& SarimaxModel::bse() const { return data_->bse; }
const std::vector<double>& SarimaxModel::cov_params() const { return data_->cov_params; }
double SarimaxModel::llf() const { return data_->llf; }
double SarimaxModel::aic() const { return data_->aic; }
double SarimaxModel::aicc() const { return data_->aicc; }
double SarimaxModel::bic() const { return data_->bic; }
double SarimaxModel::hqic() const { return data_->hqic; }
double SarimaxModel::scale() const { return data_->scale; }
int SarimaxModel::nobs() const { return data_->nobs; }
int SarimaxModel::nobs_effective() const { return data_->nobs_effective; }
int SarimaxModel::df_model() const { return data_->df_model; }
bool SarimaxModel::converged() const { return data_->converged; }
int SarimaxModel::evaluations() const { return data_->evaluations; }
const SarimaxInSample& SarimaxModel::in_sample() const { return data_->in_sample; }
const std::string& SarimaxModel::frequency() const { return data_->frequency; }
const std::string& SarimaxModel::last_timestamp() const { return data_->last_timestamp; }

Result<SarimaxForecast> SarimaxModel::forecast(int steps,
                                               const std::vector<std::vector<double>>& future_exog,
                                               double interval_width) const {
  const detail::SarimaxModelData& m = *data_;
  const detail::SarimaxStructure& s = m.structure;
  if (steps < 0) return Status(ErrorCode::kInvalidConfig, "forecast steps must be >= 0");
  if (!(interval_width > 0.0 && interval_width < 1.0)) {
    return Status(ErrorCode::kInvalidConfig, "interval width must be in (0, 1)");
  }
  if (static_cast<int>(future_exog.size()) != s.k_exog) {
    return Status(ErrorCode::kDataError,
                  "the model has " + std::to_string(s.k_exog) +
                      " regressors; forecasting needs their future values (got " +
                      std::to_string(future_exog.size()) + " columns)");
  }
  std::vector<double> obs_intercept(s.k_exog > 0 ? steps : 0, 0.0);
  for (int j = 0; j < s.k_exog; ++j) {
    if (static_cast<int>(future_exog[j].size()) < steps) {
      return Status(ErrorCode::kDataError, "regressor '" + s.exog_names[j] + "' has " +
                                               std::to_string(future_exog[j].size()) +
                                               " future rows; " + std::to_string(steps) +
                                               " needed");
    }
    for (int h = 0; h < steps; ++h) {
      if (!std::isfinite(future_exog[j][h])) {
        return Status(ErrorCode::kDataError, "future regressor '" + s.exog_names[j] +
                                                 "' is missing or not finite at step " +
                                                 std::to_string(h + 1));
      }
      obs_intercept[h] += m.params[s.exog_offset + j] * future_exog[j][h];
    }
  }
  detail::HarveyStateSpace ss = detail::make_state_space(s);
  if (!detail::update_state_space(s, m.params.data(), &ss)) {
    return Status(ErrorCode::kInternal, "the model's parameters have no stationary state");
  }
  ss.state_variance = m.scale;  // the stored P_n is in units of σ² = scale
  const int k = s.k_states;
  const Eigen::VectorXd state = Eigen::Map<const Eigen::VectorXd>(m.final_state.data(), k);
  const detail::RowMatrix cov = Eigen::Map<const detail::RowMatrix>(m.final_cov.data(), k, k);
  SarimaxForecast out;
  detail::KalmanFilter filter(k);
  filter.forecast(ss, state, cov, m.nobs, steps, s.k_exog > 0 ? obs_intercept.data() : nullptr,
                  &out.mean, &out.variance);
  const double z = normal_quantile(0.5 * (1.0 + interval_width));
  out.lower.resize(steps);
  out.upper.resize(steps);
  for (int h = 0; h < steps; ++h) {
    const double half = z * std::sqrt(std::max(out.variance[h], 0.0));
    out.lower[h] = out.mean[h] - half;
    out.upper[h] = out.mean[h] + half;
  }
  return out;
}

}  // namespace traind::engines::timeseries
