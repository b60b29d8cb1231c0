// Spec validation and the parameter layout. Names follow statsmodels' SARIMAX.param_names.
#include "engines/timeseries/sarimax/sarimax_structure.h"

#include <algorithm>
#include <string>

namespace traind::engines::timeseries {
namespace {

// Keeps the state dimension (and so the filter's cost) within what a forecasting job can use.
constexpr int kMaxStates = 2000;

Status invalid(const std::string& message) { return Status(ErrorCode::kInvalidConfig, message); }

}  // namespace

Status validate_sarimax_spec(const SarimaxSpec& spec) {
  const struct {
    const char* name;
    int value;
  } orders[] = {{"p", spec.p},
                {"d", spec.d},
                {"q", spec.q},
                {"seasonal_p", spec.seasonal_p},
                {"seasonal_d", spec.seasonal_d},
                {"seasonal_q", spec.seasonal_q},
                {"period", spec.period}};
  for (const auto& order : orders) {
    if (order.value < 0) {
      return invalid(std::string("SARIMAX order ") + order.name + " must be >= 0, got " +
                     std::to_string(order.value));
    }
  }
  const bool seasonal = spec.seasonal_p > 0 || spec.seasonal_d > 0 || spec.seasonal_q > 0;
  if (seasonal && spec.period < 2) {
    return invalid("seasonal terms need a seasonal period of at least 2, got " +
                   std::to_string(spec.period));
  }
  if (spec.period == 1) {
    // statsmodels: "Seasonal periodicity must be greater than 1."
    return invalid("a seasonal period of 1 is not seasonal: use 0 (none) or at least 2");
  }
  // statsmodels rejects lags that appear in both the seasonal and non-seasonal polynomials.
  if (spec.seasonal_p > 0 && spec.p >= spec.period) {
    return invalid("autoregressive order p = " + std::to_string(spec.p) +
                   " reaches the seasonal lag " + std::to_string(spec.period) +
                   ": lags would appear in both the seasonal and non-seasonal parts");
  }
  if (spec.seasonal_q > 0 && spec.q >= spec.period) {
    return invalid("moving-average order q = " + std::to_string(spec.q) +
                   " reaches the seasonal lag " + std::to_string(spec.period) +
                   ": lags would appear in both the seasonal and non-seasonal parts");
  }
  if (spec.trend != "n" && spec.trend != "c" && spec.trend != "t" && spec.trend != "ct") {
    return invalid("trend must be \"n\", \"c\", \"t\" or \"ct\", got \"" + spec.trend + "\"");
  }
  const long long states =
      static_cast<long long>(spec.d) + static_cast<long long>(spec.period) * spec.seasonal_d +
      std::max(
          static_cast<long long>(spec.p) + static_cast<long long>(spec.period) * spec.seasonal_p,
          static_cast<long long>(spec.q) + static_cast<long long>(spec.period) * spec.seasonal_q +
              1);
  if (states > kMaxStates) {
    return invalid("the SARIMAX orders need " + std::to_string(states) + " states; at most " +
                   std::to_string(kMaxStates) + " are supported");
  }
  return Status::ok();
}

Result<std::vector<std::string>> sarimax_param_names(const SarimaxSpec& spec, int k_exog,
                                                     const std::vector<std::string>& exog_names) {
  auto structure = detail::make_sarimax_structure(spec, k_exog, exog_names);
  if (!structure) return structure.status();
  return structure->param_names;
}

namespace detail {

Result<SarimaxStructure> make_sarimax_structure(const SarimaxSpec& spec, int k_exog,
                                                const std::vector<std::string>& exog_names) {
  TRAIND_RETURN_IF_ERROR(validate_sarimax_spec(spec));
  if (k_exog < 0) return invalid("negative number of regressors");
  if (!exog_names.empty() && static_cast<int>(exog_names.size()) != k_exog) {
    return invalid("exog_names has " + std::to_string(exog_names.size()) + " names for " +
                   std::to_string(k_exog) + " regressor columns");
  }
  SarimaxStructure s;
  s.spec = spec;
  s.k_exog = k_exog;
  s.has_intercept = spec.trend == "c" || spec.trend == "ct";
  s.has_drift = spec.trend == "t" || spec.trend == "ct";
  s.k_trend = static_cast<int>(s.has_intercept) + static_cast<int>(s.has_drift);
  s.has_sigma2 = !spec.concentrate_scale;
  for (int i = 0; i < k_exog; ++i) {
    s.exog_names.push_back(exog_names.empty() ? "x" + std::to_string(i + 1) : exog_names[i]);
  }

  int offset = 0;
  s.trend_offset = offset;
  if (s.has_intercept) s.param_names.push_back("intercept");
  if (s.has_drift) s.param_names.push_back("drift");
  offset += s.k_trend;
  s.exog_offset = offset;
  for (const auto& name : s.exog_names) s.param_names.push_back(name);
  offset += k_exog;
  s.ar_offset = offset;
  for (int i = 1; i <= spec.p; ++i) s.param_names.push_back("ar.L" + std::to_string(i));
  offset += spec.p;
  s.ma_offset = offset;
  for (int i = 1; i <= spec.q; ++i) s.param_names.push_back("ma.L" + std::to_string(i));
  offset += spec.q;
  s.seasonal_ar_offset = offset;
  for (int i = 1; i <= spec.seasonal_p; ++i) {
    s.param_names.push_back("ar.S.L" + std::to_string(i * spec.period));
  }
  offset += spec.seasonal_p;
  s.seasonal_ma_offset = offset;
  for (int i = 1; i <= spec.seasonal_q; ++i) {
    s.param_names.push_back("ma.S.L" + std::to_string(i * spec.period));
  }
  offset += spec.seasonal_q;
  if (s.has_sigma2) {
    s.sigma2_offset = offset;
    s.param_names.push_back("sigma2");
    ++offset;
  }
  s.k_params = offset;

  s.ar_degree = spec.p + spec.period * spec.seasonal_p;
  s.ma_degree = spec.q + spec.period * spec.seasonal_q;
  s.k_diff_states = spec.d + spec.period * spec.seasonal_d;
  s.k_order = std::max(s.ar_degree, s.ma_degree + 1);
  s.k_states = s.k_diff_states + s.k_order;
  s.burn = spec.enforce_stationarity ? s.k_diff_states : s.k_states;
  return s;
}

}  // namespace detail
}  // namespace traind::engines::timeseries
