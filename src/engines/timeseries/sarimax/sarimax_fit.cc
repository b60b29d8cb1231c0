// fit_sarimax and evaluate_sarimax: data checks, statsmodels' start values, L-BFGS on
// −ℓ(ψ(x))/n over the unconstrained x (spec A.6), then the final filter, OPG covariance and
// information criteria at the estimate (A.7).
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "engines/timeseries/common/lbfgs_minimizer.h"
#include "engines/timeseries/sarimax.h"
#include "engines/timeseries/sarimax/newton_refinement.h"
#include "engines/timeseries/sarimax/parameter_transforms.h"
#include "engines/timeseries/sarimax/sarimax_likelihood.h"
#include "engines/timeseries/sarimax/sarimax_model_data.h"
#include "engines/timeseries/sarimax/start_params.h"

namespace traind::engines::timeseries {
namespace {

using detail::SarimaxLikelihood;
using detail::SarimaxStructure;

Status data_error(const std::string& message) { return Status(ErrorCode::kDataError, message); }

Status check_data(const SarimaxStructure& s, const SarimaxData& data) {
  const size_t n = data.y.size();
  for (size_t t = 0; t < n; ++t) {
    if (std::isinf(data.y[t])) {
      return data_error("y[" + std::to_string(t) + "] is infinite; use NaN for a missing value");
    }
  }
  for (int j = 0; j < s.k_exog; ++j) {
    const auto& column = data.exog[j];
    if (column.size() != n) {
      return data_error("regressor '" + s.exog_names[j] + "' has " + std::to_string(column.size()) +
                        " rows; y has " + std::to_string(n));
    }
    for (size_t t = 0; t < n; ++t) {
      if (!std::isfinite(column[t])) {
        return data_error("regressor '" + s.exog_names[j] + "' is missing or not finite at row " +
                          std::to_string(t) + "; regressors must be complete");
      }
    }
  }
  int counted = 0;
  for (size_t t = static_cast<size_t>(s.burn); t < n; ++t) counted += !std::isnan(data.y[t]);
  const int df_model = s.k_params + (s.has_sigma2 ? 0 : 1);
  if (counted < df_model + 2) {
    return data_error("too few observations for this SARIMAX model: " + std::to_string(counted) +
                      " observed values after the first " + std::to_string(s.burn) +
                      " (the differencing burn-in), at least " + std::to_string(df_model + 2) +
                      " needed for " + std::to_string(df_model) + " parameters");
  }
  return Status::ok();
}

// numpy.linalg.pinv on a symmetric positive semi-definite matrix (rcond 1e-15).
Eigen::MatrixXd pseudo_inverse_psd(const Eigen::MatrixXd& m) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m);
  const Eigen::VectorXd& values = eig.eigenvalues();
  const double cutoff = 1e-15 * values.cwiseAbs().maxCoeff();
  Eigen::VectorXd inverse(values.size());
  for (int i = 0; i < values.size(); ++i) {
    inverse[i] = std::fabs(values[i]) > cutoff ? 1.0 / values[i] : 0.0;
  }
  return eig.eigenvectors() * inverse.asDiagonal() * eig.eigenvectors().transpose();
}

// Σ_t s_t s_t' with s_t = ∂ℓ_t/∂ψ (statsmodels: complex-step derivatives, exact to rounding).
// Here central differences. The approximate-diffuse prior leaves rounding noise of ~1e-10
// in each ℓ_t, so the steps are fairly large (3e-5 relative; 1e-4 of sigma2); against
// statsmodels' complex-step bse this is accurate to ~1e-5. A side without a finite
// likelihood (a step out of the stationary region) falls back to a one-sided difference.
Eigen::MatrixXd outer_product_of_gradients(SarimaxLikelihood& likelihood, const SarimaxStructure& s,
                                           const Eigen::VectorXd& psi) {
  const int k = static_cast<int>(psi.size());
  const int n = likelihood.nobs();
  std::vector<double> center;
  bool have_center = false;
  std::vector<double> plus, minus;
  Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(n, k);
  Eigen::VectorXd x = psi;
  for (int i = 0; i < k; ++i) {
    const double h = i == s.sigma2_offset ? 1e-4 * std::max(psi[i], 1e-12)
                                          : 3e-5 * std::max(std::fabs(psi[i]), 0.1);
    x[i] = psi[i] + h;
    const bool have_plus = likelihood.loglike_obs(x.data(), &plus);
    x[i] = psi[i] - h;
    const bool have_minus = likelihood.loglike_obs(x.data(), &minus);
    x[i] = psi[i];
    if (!(have_plus && have_minus) && center.empty()) {
      have_center = likelihood.loglike_obs(psi.data(), &center);
    }
    for (int t = 0; t < n; ++t) {
      double d = std::nan("");
      if (have_plus && have_minus) {
        d = (plus[t] - minus[t]) / (2.0 * h);
      } else if (have_plus && have_center) {
        d = (plus[t] - center[t]) / h;
      } else if (have_minus && have_center) {
        d = (center[t] - minus[t]) / h;
      }
      scores(t, i) = d;
    }
  }
  return scores.transpose() * scores;
}

Result<SarimaxModel> finish(const SarimaxStructure& s, const SarimaxData& data,
                            const Eigen::VectorXd& psi, bool converged, int evaluations) {
  SarimaxLikelihood likelihood(s, data.y, data.exog);
  detail::FilterRecord record;
  const detail::LikelihoodEvaluation eval = likelihood.evaluate(psi.data(), &record);
  if (!eval.ok) {
    return Status(ErrorCode::kTrainingError,
                  "the SARIMAX likelihood is not finite at the estimated parameters");
  }
  auto model = std::make_shared<detail::SarimaxModelData>();
  model->structure = s;
  model->params.assign(psi.data(), psi.data() + psi.size());
  model->llf = eval.loglike;
  model->scale = eval.scale;
  model->nobs = static_cast<int>(data.y.size());
  model->nobs_effective = model->nobs - s.burn;
  model->df_model = s.k_params + (s.has_sigma2 ? 0 : 1);
  model->converged = converged;
  model->evaluations = evaluations;
  model->frequency = data.frequency;
  model->last_timestamp = data.last_timestamp;

  const double k = model->df_model;
  const double ne = model->nobs_effective;
  const double ll = model->llf;
  model->aic = -2.0 * ll + 2.0 * k;
  model->bic = -2.0 * ll + k * std::log(ne);
  model->hqic = -2.0 * ll + 2.0 * k * std::log(std::log(ne));
  model->aicc = -2.0 * ll + 2.0 * k * ne / (ne - k - 1.0);

  // Predictions first: the OPG evaluations below reuse the filter.
  const double scale_factor = s.has_sigma2 ? 1.0 : eval.scale;
  model->in_sample.mean = record.mean;
  model->in_sample.variance = record.variance;
  for (double& v : model->in_sample.variance) v *= scale_factor;
  model->in_sample.burn = s.burn;
  model->final_state.assign(record.final_state.data(),
                            record.final_state.data() + record.final_state.size());
  model->final_cov.resize(record.final_cov.size());
  for (Eigen::Index i = 0; i < record.final_cov.size(); ++i) {
    model->final_cov[i] = record.final_cov.data()[i] * scale_factor;
  }

  const Eigen::MatrixXd cov = pseudo_inverse_psd(outer_product_of_gradients(likelihood, s, psi));
  const int kp = s.k_params;
  model->cov_params.resize(static_cast<size_t>(kp) * kp);
  model->bse.resize(kp);
  for (int i = 0; i < kp; ++i) {
    for (int j = 0; j < kp; ++j) model->cov_params[i * kp + j] = cov(i, j);
    model->bse[i] = cov(i, i) >= 0.0 ? std::sqrt(cov(i, i)) : std::nan("");
  }
  return SarimaxModel(std::move(model));
}

// The differenced series w = Δ^d Δ_s^D y (and regressors) with a d = D = 0 structure of the
// same parameters, for the search objective.
struct DifferencedProblem {
  SarimaxStructure structure;
  std::vector<double> y;
  std::vector<std::vector<double>> exog;
};

std::vector<double> difference_series(std::vector<double> x, int d, int seasonal_d, int period) {
  for (int i = 0; i < seasonal_d; ++i) {
    std::vector<double> out(x.size() > static_cast<size_t>(period) ? x.size() - period : 0);
    for (size_t t = 0; t < out.size(); ++t) out[t] = x[t + period] - x[t];
    x.swap(out);
  }
  for (int i = 0; i < d; ++i) {
    std::vector<double> out(x.size() > 1 ? x.size() - 1 : 0);
    for (size_t t = 0; t < out.size(); ++t) out[t] = x[t + 1] - x[t];
    x.swap(out);
  }
  return x;
}

bool make_differenced_problem(const SarimaxStructure& s, const SarimaxData& data,
                              DifferencedProblem* out) {
  const SarimaxSpec& spec = s.spec;
  if (s.k_diff_states == 0 || !spec.enforce_stationarity || spec.concentrate_scale) return false;
  SarimaxSpec stationary = spec;
  stationary.d = 0;
  stationary.seasonal_d = 0;
  auto structure = detail::make_sarimax_structure(stationary, s.k_exog, s.exog_names);
  if (!structure) return false;
  out->structure = std::move(*structure);
  out->y = difference_series(data.y, spec.d, spec.seasonal_d, spec.period);
  if (static_cast<int>(out->y.size()) < 2 * s.k_params + 2) return false;
  for (const auto& column : data.exog) {
    out->exog.push_back(difference_series(column, spec.d, spec.seasonal_d, spec.period));
  }
  return true;
}

Result<SarimaxStructure> prepare(const SarimaxSpec& spec, const SarimaxData& data) {
  auto structure =
      detail::make_sarimax_structure(spec, static_cast<int>(data.exog.size()), data.exog_names);
  if (!structure) return structure.status();
  TRAIND_RETURN_IF_ERROR(check_data(*structure, data));
  return structure;
}

}  // namespace

Result<SarimaxModel> evaluate_sarimax(const SarimaxSpec& spec, const SarimaxData& data,
                                      const std::vector<double>& params) {
  auto structure = prepare(spec, data);
  if (!structure) return structure.status();
  if (static_cast<int>(params.size()) != structure->k_params) {
    return Status(ErrorCode::kInvalidConfig, "expected " + std::to_string(structure->k_params) +
                                                 " parameters, got " +
                                                 std::to_string(params.size()));
  }
  const Eigen::VectorXd psi = Eigen::Map<const Eigen::VectorXd>(params.data(), params.size());
  return finish(*structure, data, psi, true, 0);
}

Result<SarimaxModel> fit_sarimax(const SarimaxSpec& spec, const SarimaxData& data,
                                 const SarimaxFitOptions& options) {
  auto structure_or = prepare(spec, data);
  if (!structure_or) return structure_or.status();
  const SarimaxStructure& s = *structure_or;
  if (options.max_evaluations < 1) {
    return Status(ErrorCode::kInvalidConfig, "max_evaluations must be at least 1");
  }
  Eigen::VectorXd start;
  if (options.start_params.empty()) {
    start = detail::sarimax_start_params(s, data.y, data.exog);
  } else if (static_cast<int>(options.start_params.size()) == s.k_params) {
    start =
        Eigen::Map<const Eigen::VectorXd>(options.start_params.data(), options.start_params.size());
  } else {
    return Status(ErrorCode::kInvalidConfig,
                  "start_params has " + std::to_string(options.start_params.size()) +
                      " values; this model has " + std::to_string(s.k_params) + " parameters");
  }
  const Eigen::VectorXd x0 = detail::unconstrain_params(s, start);

  // The exact objective: the model as specified, differencing states and all.
  SarimaxLikelihood likelihood(s, data.y, data.exog);
  const double n = static_cast<double>(data.y.size());
  auto value_at = [&](const Eigen::VectorXd& x) -> double {
    const Eigen::VectorXd psi = detail::constrain_params(s, x);
    const detail::LikelihoodEvaluation eval = likelihood.evaluate(psi.data());
    return eval.ok ? -eval.loglike / n : std::numeric_limits<double>::infinity();
  };
  // The search objective. With differencing (and a stationary prior) L-BFGS runs on the
  // differenced series: the same parameters and a state of the ARMA block only, with
  // Chandrasekhar recursions when nothing is missing, so a step is O(r) instead of O(k²).
  // Its optimum differs from the exact one by the approximate-diffuse prior's effect (1e-9
  // to 1e-6 relative in ℓ; more with gaps, which differencing widens); the Newton
  // refinement below then runs on the exact objective.
  DifferencedProblem differenced;
  std::optional<SarimaxLikelihood> differenced_likelihood;
  if (make_differenced_problem(s, data, &differenced)) {
    differenced_likelihood.emplace(differenced.structure, differenced.y, differenced.exog,
                                   static_cast<double>(s.k_diff_states));
  }
  const double n_search = differenced_likelihood ? static_cast<double>(differenced.y.size()) : n;
  auto search_value_at = [&](const Eigen::VectorXd& x) -> double {
    if (!differenced_likelihood) return value_at(x);
    const Eigen::VectorXd psi = detail::constrain_params(s, x);
    const detail::LikelihoodEvaluation eval = differenced_likelihood->evaluate(psi.data());
    return eval.ok ? -eval.loglike / n_search : std::numeric_limits<double>::infinity();
  };
  // statsmodels minimises −ℓ/nobs; the gradient is by central differences in x.
  const Objective objective = [&](const Eigen::VectorXd& x, Eigen::VectorXd* grad) {
    const double f = search_value_at(x);
    if (grad != nullptr && std::isfinite(f)) {
      Eigen::VectorXd xh = x;
      for (int i = 0; i < x.size(); ++i) {
        const double h = 5e-6 * std::max(std::fabs(x[i]), 1.0);
        xh[i] = x[i] + h;
        const double fp = search_value_at(xh);
        xh[i] = x[i] - h;
        const double fm = search_value_at(xh);
        xh[i] = x[i];
        if (std::isfinite(fp) && std::isfinite(fm)) {
          (*grad)[i] = (fp - fm) / (2.0 * h);
        } else if (std::isfinite(fp)) {
          (*grad)[i] = (fp - f) / h;
        } else if (std::isfinite(fm)) {
          (*grad)[i] = (f - fm) / h;
        } else {
          (*grad)[i] = std::numeric_limits<double>::infinity();
        }
      }
    }
    return f;
  };
  MinimizeOptions minimize_options;
  minimize_options.ftol_rel = options.ftol_rel;
  minimize_options.max_evaluations = options.max_evaluations;
  auto minimum = minimize_lbfgs(objective, x0, minimize_options);
  if (!minimum) {
    return Status(ErrorCode::kTrainingError,
                  "SARIMAX fit failed: " + minimum.status().message() +
                      " (the likelihood was not finite at the start values)");
  }
  const double exact_value = differenced_likelihood ? value_at(minimum->x) : minimum->value;
  // Newton on the exact objective. With differencing states each exact evaluation costs
  // O(n k²), so one iteration (2k² + 2 evaluations) from a gap-free differenced optimum,
  // which is already within ~1e-5 of the exact one; up to six otherwise (a few 1e-2 away).
  const bool exact_is_fast = s.k_diff_states == 0;
  const bool has_gaps =
      std::any_of(data.y.begin(), data.y.end(), [](double v) { return std::isnan(v); });
  const int newton_iterations = exact_is_fast ? 30 : (differenced_likelihood && !has_gaps ? 1 : 6);
  const detail::NewtonRefinement refined =
      detail::refine_with_newton(value_at, minimum->x, exact_value, newton_iterations);
  const Eigen::VectorXd psi = detail::constrain_params(s, refined.x);
  return finish(s, data, psi, minimum->converged, minimum->evaluations);
}

}  // namespace traind::engines::timeseries
