// ProphetModel: accessors and predict() (R prophet 1.0 predict.prophet: predict_trend,
// predict_seasonal_components, predict_uncertainty; yhat = trend (1 + multiplicative_terms) +
// additive_terms).
#include <Eigen/Core>
#include <exception>
#include <string>

#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/prophet_features.h"
#include "engines/timeseries/prophet/prophet_frame.h"
#include "engines/timeseries/prophet/prophet_intervals.h"
#include "engines/timeseries/prophet/prophet_model_data.h"
#include "engines/timeseries/prophet/trend.h"

namespace traind::engines::timeseries {
namespace {

Status not_fitted() { return Status(ErrorCode::kInvalidConfig, "the Prophet model is not fitted"); }

}  // namespace

const std::vector<double>* ProphetForecast::component(std::string_view name) const {
  for (const auto& [n, values] : components) {
    if (n == name) return &values;
  }
  return nullptr;
}

const ProphetOptions& ProphetModel::options() const { return data_->options; }
double ProphetModel::y_scale() const { return data_->y_scale; }
double ProphetModel::t_scale() const { return data_->t_scale; }
double ProphetModel::start() const { return data_->start; }
const std::vector<double>& ProphetModel::changepoints() const { return data_->changepoints; }
const std::vector<double>& ProphetModel::changepoints_t() const { return data_->changepoints_t; }
const std::vector<std::string>& ProphetModel::column_names() const { return data_->layout.names; }
std::vector<std::string> ProphetModel::seasonality_names() const {
  std::vector<std::string> names;
  for (const auto& s : data_->seasonalities) names.push_back(s.name);
  return names;
}
const ProphetParams& ProphetModel::params() const { return data_->params; }
double ProphetModel::objective() const { return data_->objective; }
const std::string& ProphetModel::fit_algorithm() const { return data_->fit_algorithm; }

Result<std::vector<double>> ProphetModel::feature_matrix(const ProphetFrame& frame) const {
  if (!data_) return not_fitted();
  Result<ProphetFrame> sorted = detail::sort_frame(frame, *data_, /*history=*/false);
  if (!sorted.is_ok()) return sorted.status();
  Result<detail::PreparedFrame> prepared = detail::scale_frame(*sorted, *data_);
  if (!prepared.is_ok()) return prepared.status();
  const Eigen::MatrixXd x = detail::make_feature_matrix(*data_, *prepared);
  std::vector<double> out(static_cast<size_t>(x.size()));
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      out.data(), x.rows(), x.cols()) = x;
  return out;
}

Result<ProphetForecast> ProphetModel::predict(const ProphetFrame& frame,
                                              std::optional<uint64_t> seed) const {
  try {
    return predict_unchecked(frame, seed);
  } catch (const std::exception& e) {
    // Exceptions never leave the library (allocation failures, mostly).
    return Status(ErrorCode::kInternal, std::string("Prophet prediction failed: ") + e.what());
  }
}

Result<ProphetForecast> ProphetModel::predict_unchecked(const ProphetFrame& frame,
                                                        std::optional<uint64_t> seed) const {
  if (!data_) return not_fitted();
  const detail::ProphetModelData& model = *data_;
  if (frame.ds.empty()) return Status(ErrorCode::kDataError, "the frame to predict has no rows");
  Result<ProphetFrame> sorted = detail::sort_frame(frame, model, /*history=*/false);
  if (!sorted.is_ok()) return sorted.status();
  Result<detail::PreparedFrame> prepared = detail::scale_frame(*sorted, model);
  if (!prepared.is_ok()) return prepared.status();
  const detail::PreparedFrame& rows = *prepared;
  const size_t n = rows.rows();
  const ProphetParams& p = model.params;

  ProphetForecast out;
  out.ds = rows.ds;
  out.trend.resize(n);
  detail::evaluate_trend(detail::parse_growth(model.options.growth), p.k, p.m, p.delta,
                         model.changepoints_t, rows.t, rows.cap_scaled, out.trend);
  for (size_t i = 0; i < n; ++i) out.trend[i] = out.trend[i] * model.y_scale + rows.floor[i];

  const Eigen::MatrixXd x = detail::make_feature_matrix(model, rows);
  const Eigen::Map<const Eigen::VectorXd> beta(p.beta.data(),
                                               static_cast<Eigen::Index>(p.beta.size()));
  for (const detail::ComponentColumns& c : model.layout.components) {
    const Eigen::Map<const Eigen::VectorXd> mask(c.columns.data(),
                                                 static_cast<Eigen::Index>(c.columns.size()));
    Eigen::VectorXd values = x * beta.cwiseProduct(mask);
    if (c.additive) values *= model.y_scale;
    out.components.emplace_back(c.name, std::vector<double>(values.begin(), values.end()));
  }
  const std::vector<double>& additive = *out.component("additive_terms");
  const std::vector<double>& multiplicative = *out.component("multiplicative_terms");
  out.yhat.resize(n);
  for (size_t i = 0; i < n; ++i) {
    out.yhat[i] = out.trend[i] * (1.0 + multiplicative[i]) + additive[i];
  }
  if (model.options.uncertainty_samples > 0) {
    detail::simulate_intervals(model, rows, additive, multiplicative,
                               seed.value_or(model.options.random_state), out);
  }
  return out;
}

}  // namespace traind::engines::timeseries
