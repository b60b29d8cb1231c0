// The R-style fitting core against stats::arima at fixed orders (fixed_fits.json).
#include "engines/timeseries/auto_arima/arima_fit.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engines/timeseries/auto_arima/arima_likelihood.h"
#include "engines/timeseries/auto_arima/test_fixtures.h"

namespace traind::engines::timeseries::detail {
namespace {

using testing::read_csv_fixture;
using testing::read_json_fixture;

ArimaFitRequest request_for(const nlohmann::json& f, ArimaMethod method) {
  ArimaFitRequest r;
  r.order.p = f["order"][0];
  r.order.d = f["order"][1];
  r.order.q = f["order"][2];
  r.order.P = f["seasonal"][0];
  r.order.D = f["seasonal"][1];
  r.order.Q = f["seasonal"][2];
  r.order.m = f["frequency"];
  r.include_mean = f["mean"];
  r.method = method;
  return r;
}

void expect_matches(const std::string& name, const nlohmann::json& f, ArimaMethod method,
                    const nlohmann::json& ref) {
  SCOPED_TRACE(name + (method == ArimaMethod::kCss ? " CSS" : " CSS-ML"));
  auto series = read_csv_fixture(f["series"].get<std::string>());
  std::vector<std::vector<double>> xreg;
  if (f["drift"].get<bool>()) {
    std::vector<double> drift(series.columns[0].size());
    for (size_t i = 0; i < drift.size(); ++i) drift[i] = static_cast<double>(i + 1);
    xreg.push_back(drift);
  }
  auto fit = fit_arima(series.columns[0], xreg, request_for(f, method));
  ASSERT_TRUE(fit.is_ok()) << fit.status().to_string();
  const auto& coef = ref["coef"];
  ASSERT_EQ(fit->coef.size(), coef.size());
  for (size_t i = 0; i < coef.size(); ++i) {
    const double r = coef[i].get<double>();
    EXPECT_NEAR(fit->coef[i], r, 1e-3 * std::max(1.0, std::fabs(r))) << "coef " << i;
  }
  const double sigma2 = ref["sigma2"].get<double>();
  EXPECT_NEAR(fit->sigma2, sigma2, 1e-4 * sigma2);
  EXPECT_NEAR(fit->loglik, ref["loglik"].get<double>(), 1e-3);
  if (method != ArimaMethod::kCss) {
    EXPECT_NEAR(fit->aic, ref["aic"].get<double>(), 2e-3);
  }
  const auto& var = ref["var_diag"];
  ASSERT_EQ(fit->var_diag.size(), var.size());
  for (size_t i = 0; i < var.size(); ++i) {
    const double r = var[i].get<double>();
    EXPECT_NEAR(fit->var_diag[i], r, 0.05 * std::fabs(r)) << "var " << i;
  }
}

TEST(ArimaFitTest, MatchesStatsArimaAtFixedOrders) {
  const auto fits = read_json_fixture("fixed_fits.json");
  ASSERT_FALSE(fits.empty());
  for (const auto& [name, f] : fits.items()) {
    expect_matches(name, f, ArimaMethod::kCssMl, f["css_ml"]);
    expect_matches(name, f, ArimaMethod::kCss, f["css"]);
  }
}

TEST(ArimaFitTest, ArTransformMatchesRVectors) {
  // partrans maps PACF-space values through tanh then Durbin–Levinson; its inverse returns them.
  const double raw[3] = {0.5, -0.3, 1.2};
  double phi[3], back[3];
  ar_from_unconstrained(3, raw, phi);
  ar_to_unconstrained(3, phi, back);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(back[i], raw[i], 1e-12);
  const double one[1] = {0.5};
  double out[1];
  ar_from_unconstrained(1, one, out);
  EXPECT_NEAR(out[0], std::tanh(0.5), 1e-15);
}

TEST(ArimaFitTest, StationaryCovarianceSolvesLyapunovEquation) {
  // ARMA(2,2): P must equal T P T' + R R' with T, R of R's state-space form.
  const double phi[2] = {0.5, -0.3}, theta[2] = {0.4, 0.2};
  const int r = 3;
  double P[9];
  StationaryCovariance().compute(2, phi, 2, theta, P);
  double T[9] = {0}, R[3] = {1.0, 0.4, 0.2};
  T[0 + 3 * 0] = 0.5;
  T[1 + 3 * 0] = -0.3;
  T[0 + 3 * 1] = 1.0;
  T[1 + 3 * 2] = 1.0;
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < r; ++j) {
      double s = R[i] * R[j];
      for (int k = 0; k < r; ++k)
        for (int l = 0; l < r; ++l) s += T[i + 3 * k] * P[k + 3 * l] * T[j + 3 * l];
      EXPECT_NEAR(P[i + 3 * j], s, 1e-12);
    }
}

}  // namespace
}  // namespace traind::engines::timeseries::detail
