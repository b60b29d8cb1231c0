// The Harvey layout (spec A.2) against statsmodels' own system matrices and initialisation,
// the d = D = 1, s = 12 identity the spec states, and the companion Lyapunov solver.
#include "engines/timeseries/sarimax/state_space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engines/timeseries/sarimax/sarimax_fixtures_for_tests.h"
#include "engines/timeseries/sarimax/sarimax_likelihood.h"

namespace traind::engines::timeseries::detail {
namespace {

using testing::json_numbers;
using testing::load_sarimax_reference;
using testing::spec_from_json;

TEST(HarveyStateSpace, MatchesStatsmodelsSystemAndInitialisation) {
  const auto reference = load_sarimax_reference();
  ASSERT_FALSE(reference.at("layouts").empty());
  for (const auto& layout : reference.at("layouts")) {
    const SarimaxSpec spec = spec_from_json(layout.at("spec"));
    auto s = make_sarimax_structure(spec, 0, {});
    ASSERT_TRUE(s.is_ok()) << s.status().message();
    const std::vector<double> params = json_numbers(layout.at("params"));
    HarveyStateSpace ss = make_state_space(*s);
    ASSERT_TRUE(update_state_space(*s, params.data(), &ss));
    const RowMatrix t = dense_transition(ss);
    const auto& expected_t = layout.at("transition");
    ASSERT_EQ(static_cast<int>(expected_t.size()), s->k_states);
    for (int i = 0; i < s->k_states; ++i) {
      for (int j = 0; j < s->k_states; ++j) {
        EXPECT_NEAR(t(i, j), expected_t[i][j].get<double>(), 1e-12) << i << "," << j;
      }
    }
    const std::vector<double> design = json_numbers(layout.at("design"));
    std::vector<double> ours(s->k_states, 0.0);
    for (int i : ss.design) ours[i] = 1.0;
    EXPECT_EQ(ours, design);
    const std::vector<double> selection = json_numbers(layout.at("selection"));
    for (int i = 0; i < s->k_states; ++i) {
      const double r = i >= ss.k_diff_states ? ss.selection[i - ss.k_diff_states] : 0.0;
      EXPECT_NEAR(r, selection[i], 1e-12) << i;
    }
    const std::vector<double> mean = json_numbers(layout.at("initial_state"));
    for (int i = 0; i < s->k_states; ++i) {
      EXPECT_NEAR(ss.initial_state[i], mean[i], 1e-10) << i;
      for (int j = 0; j < s->k_states; ++j) {
        const double expected = layout.at("initial_state_cov")[i][j].get<double>();
        EXPECT_NEAR(ss.initial_cov(i, j), expected, 1e-9 * std::max(1.0, std::fabs(expected)))
            << i << "," << j;
      }
    }
    EXPECT_EQ(s->burn, layout.at("loglikelihood_burn").get<int>());
    // The filter on the layout's series reproduces statsmodels' llf at these parameters.
    const std::vector<double> y = json_numbers(layout.at("series"));
    SarimaxLikelihood likelihood(*s, y, {});
    const auto eval = likelihood.evaluate(params.data());
    ASSERT_TRUE(eval.ok);
    const double llf = layout.at("llf").get<double>();
    EXPECT_NEAR(eval.loglike, llf, 1e-9 * std::fabs(llf));
  }
}

TEST(HarveyStateSpace, DifferencingStatesHoldLevelAndSeasonalHistory) {
  // d = D = 1, s = 12: states are y_{t−1}, Δy_{t−1} … Δy_{t−12}, then the ARMA block, and
  // Z α_t = y_{t−1} + y_{t−12} − y_{t−13} + w_t (spec A.2).
  SarimaxSpec spec;
  spec.p = 0;
  spec.d = 1;
  spec.q = 1;
  spec.seasonal_d = 1;
  spec.seasonal_q = 1;
  spec.period = 12;
  auto s = make_sarimax_structure(spec, 0, {});
  ASSERT_TRUE(s.is_ok());
  ASSERT_EQ(s->k_diff_states, 13);
  HarveyStateSpace ss = make_state_space(*s);
  const std::vector<double> params = {-0.4, -0.6, 1.0};
  ASSERT_TRUE(update_state_space(*s, params.data(), &ss));
  const RowMatrix t = dense_transition(ss);
  std::vector<double> y(40);
  for (int i = 0; i < 40; ++i) y[i] = std::sin(0.7 * i) * 10.0 + 0.3 * i * i;
  auto state_at = [&](int time, double w) {
    Eigen::VectorXd a = Eigen::VectorXd::Zero(s->k_states);
    a[0] = y[time - 1];
    for (int i = 0; i < 12; ++i) a[1 + i] = y[time - 1 - i] - y[time - 2 - i];
    a[13] = w;
    return a;
  };
  for (int time = 14; time < 39; ++time) {
    // The ARMA output that makes the data fit: w_t = Δ Δ_12 y_t.
    const double w = (y[time] - y[time - 1]) - (y[time - 12] - y[time - 13]);
    const Eigen::VectorXd a = state_at(time, w);
    double za = 0.0;
    for (int i : ss.design) za += a[i];
    EXPECT_NEAR(za, y[time - 1] + y[time - 12] - y[time - 13] + w, 1e-9);
    EXPECT_NEAR(za, y[time], 1e-9);
    const Eigen::VectorXd next = t * a;
    const Eigen::VectorXd expected = state_at(time + 1, 0.0);
    for (int i = 0; i < 13; ++i) EXPECT_NEAR(next[i], expected[i], 1e-9) << time << " " << i;
  }
}

TEST(CompanionLyapunov, SolvesTheStationaryCovarianceEquation) {
  const std::vector<double> phi = {0.5, -0.3, 0.2, 0.0, 0.1};
  const std::vector<double> selection = {1.0, 0.4, -0.2, 0.0, 0.3, 0.0};
  const int r = 6;
  RowMatrix p;
  ASSERT_TRUE(solve_companion_lyapunov(phi, selection, 2.5, r, &p));
  RowMatrix t = RowMatrix::Zero(r, r);
  for (int i = 0; i < r; ++i) {
    if (i < static_cast<int>(phi.size())) t(i, 0) = phi[i];
    if (i + 1 < r) t(i, i + 1) = 1.0;
  }
  Eigen::VectorXd rv = Eigen::Map<const Eigen::VectorXd>(selection.data(), r);
  const RowMatrix residual = p - t * p * t.transpose() - 2.5 * rv * rv.transpose();
  EXPECT_LT(residual.cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((p - p.transpose()).cwiseAbs().maxCoeff(), 1e-14);
}

}  // namespace
}  // namespace traind::engines::timeseries::detail
