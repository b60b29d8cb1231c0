// The analytic gradient of the prophet.stan objective against central differences, for each
// growth and for additive, multiplicative and mixed feature columns.
#include "engines/timeseries/prophet/map_objective.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace traind::engines::timeseries::detail {
namespace {

MapProblem synthetic_problem(Growth growth, bool additive, bool multiplicative) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int rows = 60, cols = 4;
  MapProblem p;
  p.growth = growth;
  p.t.resize(rows);
  p.y.resize(rows);
  p.cap.resize(rows);
  p.x.resize(rows, cols);
  for (int i = 0; i < rows; ++i) {
    p.t[i] = i / (rows - 1.0);
    p.y[i] = 0.3 + 0.4 * p.t[i] + 0.05 * std::sin(i);
    p.cap[i] = 1.2 + 0.1 * u(rng);
    for (int c = 0; c < cols; ++c) p.x(i, c) = std::sin((c + 1) * 0.7 * i);
  }
  p.sigmas = Eigen::VectorXd::Constant(cols, 10.0);
  p.s_a = Eigen::VectorXd::Zero(cols);
  p.s_m = Eigen::VectorXd::Zero(cols);
  for (int c = 0; c < cols; ++c) {
    const bool mult = multiplicative && (!additive || c % 2 == 1);
    (mult ? p.s_m : p.s_a)[c] = 1.0;
  }
  p.changepoints_t = {0.1, 0.25, 0.4, 0.55, 0.7};
  p.tau = 0.05;
  return p;
}

void expect_gradient_matches(MapObjective& objective) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n(0.0, 0.1);
  Eigen::VectorXd x(objective.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) x[i] = n(rng);
  x[MapObjective::kK] = 3.0;
  x[MapObjective::kM] = 0.2;
  x[objective.log_sigma_index()] = -2.0;
  Eigen::VectorXd grad;
  objective.evaluate(x, &grad);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double h = 1e-6;
    Eigen::VectorXd xp = x, xm = x;
    xp[i] += h;
    xm[i] -= h;
    const double numeric =
        (objective.evaluate(xp, nullptr) - objective.evaluate(xm, nullptr)) / (2 * h);
    EXPECT_NEAR(grad[i], numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << "component " << i;
  }
}

TEST(MapObjectiveTest, LinearAdditiveGradientMatchesDifferences) {
  MapObjective objective(synthetic_problem(Growth::kLinear, true, false));
  expect_gradient_matches(objective);
}

TEST(MapObjectiveTest, LinearMixedModesGradientMatchesDifferences) {
  MapObjective objective(synthetic_problem(Growth::kLinear, true, true));
  expect_gradient_matches(objective);
}

TEST(MapObjectiveTest, LogisticMultiplicativeGradientMatchesDifferences) {
  MapObjective objective(synthetic_problem(Growth::kLogistic, false, true));
  expect_gradient_matches(objective);
}

TEST(MapObjectiveTest, LogisticAdditiveGradientMatchesDifferences) {
  MapObjective objective(synthetic_problem(Growth::kLogistic, true, false));
  expect_gradient_matches(objective);
}

TEST(MapObjectiveTest, FlatGradientMatchesDifferences) {
  MapObjective objective(synthetic_problem(Growth::kFlat, true, false));
  expect_gradient_matches(objective);
}

}  // namespace
}  // namespace traind::engines::timeseries::detail
