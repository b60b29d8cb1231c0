// The shared numerics: AS 241 against reference quantiles (Python's statistics.NormalDist,
// itself AS 241, and R's qnorm agree on these to the last digit shown), and the L-BFGS
// wrapper on functions with known minima and on failure paths.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engines/timeseries/common/lbfgs_minimizer.h"
#include "engines/timeseries/common/normal_distribution.h"

namespace traind::engines::timeseries {
namespace {

TEST(NormalQuantile, MatchesReferenceValuesInCentreAndTails) {
  struct Case {
    double p, q;
  };
  const Case cases[] = {{0.975, 1.9599639845400536}, {0.5, 0.0},
                        {0.9, 1.2815515655446008},   {0.1, -1.2815515655446008},
                        {1e-10, -6.361340902404056}, {0.999999, 4.753424308817089},
                        {0.3, -0.5244005127080407},  {0.02425, -1.9729610513118845},
                        {1e-300, -37.0470962993612}};
  for (const auto& c : cases) {
    EXPECT_NEAR(normal_quantile(c.p), c.q, 1e-14 * std::max(1.0, std::fabs(c.q))) << c.p;
  }
}

TEST(NormalQuantile, HandlesTheEndsAndInvalidInput) {
  EXPECT_EQ(normal_quantile(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(normal_quantile(1.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(std::nan(""))));
}

TEST(NormalCdf, InvertsTheQuantileAndKeepsTheTail) {
  for (double p : {1e-12, 0.001, 0.2, 0.5, 0.8, 0.999}) {
    EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-15 + 1e-13 * p) << p;
  }
  EXPECT_NEAR(normal_cdf(1.0), 0.8413447460685429, 1e-16);
  // Far tail: 1 - Φ(8) computed as erfc keeps its digits (6.22096057427178e-16).
  EXPECT_NEAR(normal_cdf(-8.0), 6.22096057427178e-16, 1e-28);
}

TEST(MinimizeLbfgs, FindsTheMinimumOfRosenbrock) {
  Objective rosenbrock = [](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
    const double a = 1 - x[0], b = x[1] - x[0] * x[0];
    if (g != nullptr) {
      (*g)[0] = -2 * a - 400 * x[0] * b;
      (*g)[1] = 200 * b;
    }
    return a * a + 100 * b * b;
  };
  auto r = minimize_lbfgs(rosenbrock, Eigen::Vector2d(-1.2, 1.0));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NEAR(r.value().x[0], 1.0, 1e-6);
  EXPECT_NEAR(r.value().x[1], 1.0, 1e-6);
  EXPECT_LT(r.value().value, 1e-12);
  EXPECT_TRUE(r.value().converged);
  EXPECT_GT(r.value().evaluations, 1);
}

TEST(MinimizeLbfgs, TreatsNonFiniteValuesAsInfinityAndBacksOff) {
  // log barrier: undefined (NaN) for x <= 0; minimum of x - log(x) at x = 1.
  Objective f = [](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
    if (g != nullptr) (*g)[0] = 1 - 1 / x[0];
    return x[0] - std::log(x[0]);
  };
  Eigen::VectorXd x0(1);
  x0 << 5.0;
  auto r = minimize_lbfgs(f, x0);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NEAR(r.value().x[0], 1.0, 1e-5);
}

TEST(MinimizeLbfgs, FailsWhenTheObjectiveIsNeverFinite) {
  Objective f = [](const Eigen::VectorXd&, Eigen::VectorXd* g) {
    if (g != nullptr) g->setZero();
    return std::numeric_limits<double>::quiet_NaN();
  };
  auto r = minimize_lbfgs(f, Eigen::Vector2d(0.0, 0.0));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTrainingError);
}

TEST(MinimizeLbfgs, TurnsAnExceptionInTheObjectiveIntoAnError) {
  int calls = 0;
  Objective f = [&calls](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
    if (++calls > 1) throw std::runtime_error("boom");
    if (g != nullptr) *g = 2 * x;
    return x.squaredNorm();
  };
  auto r = minimize_lbfgs(f, Eigen::Vector2d(3.0, -4.0));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("boom"), std::string::npos);
}

}  // namespace
}  // namespace traind::engines::timeseries
