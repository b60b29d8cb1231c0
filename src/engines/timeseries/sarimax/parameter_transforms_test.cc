// Monahan's transforms (spec A.4): the spec's test vectors, the inverse, the MA sign and the
// stationarity checks used by the start values.
#include "engines/timeseries/sarimax/parameter_transforms.h"

#include <gtest/gtest.h>

#include <vector>

namespace traind::engines::timeseries::detail {
namespace {

TEST(MonahanTransform, MapsTheSpecTestVectors) {
  const std::vector<double> x2 = {0.5, -0.3};
  std::vector<double> phi2(2);
  constrain_stationary(x2.data(), 2, phi2.data());
  EXPECT_NEAR(phi2[0], -0.3187077144, 1e-10);
  EXPECT_NEAR(phi2[1], 0.2873478856, 1e-10);

  const std::vector<double> x3 = {1.0, 2.0, -0.5};
  std::vector<double> phi3(3);
  constrain_stationary(x3.data(), 3, phi3.data());
  EXPECT_NEAR(phi3[0], -0.9395623132, 1e-10);
  EXPECT_NEAR(phi3[1], -0.2953567125, 1e-10);
  EXPECT_NEAR(phi3[2], 0.4472135955, 1e-10);
}

TEST(MonahanTransform, InverseReturnsTheUnconstrainedValues) {
  for (const std::vector<double>& x :
       {std::vector<double>{0.5, -0.3}, std::vector<double>{1.0, 2.0, -0.5},
        std::vector<double>{-3.0, 0.1, 0.7, 2.5}}) {
    const int k = static_cast<int>(x.size());
    std::vector<double> phi(k), back(k);
    constrain_stationary(x.data(), k, phi.data());
    EXPECT_TRUE(is_stationary(phi.data(), k));
    ASSERT_TRUE(unconstrain_stationary(phi.data(), k, back.data()));
    for (int i = 0; i < k; ++i) EXPECT_NEAR(back[i], x[i], 1e-10) << i;
  }
}

TEST(MonahanTransform, MovingAverageBlocksUseTheOppositeSign) {
  SarimaxSpec spec;
  spec.p = 2;
  spec.q = 2;
  auto s = make_sarimax_structure(spec, 0, {});
  ASSERT_TRUE(s.is_ok());
  Eigen::VectorXd x(5);
  x << 0.5, -0.3, 0.5, -0.3, 1.5;
  const Eigen::VectorXd psi = constrain_params(*s, x);
  EXPECT_NEAR(psi[0], -0.3187077144, 1e-10);
  EXPECT_NEAR(psi[2], 0.3187077144, 1e-10);
  EXPECT_NEAR(psi[3], -0.2873478856, 1e-10);
  EXPECT_DOUBLE_EQ(psi[4], 2.25);  // sigma2 = x²
  EXPECT_TRUE(is_invertible(psi.data() + 2, 2));
  const Eigen::VectorXd back = unconstrain_params(*s, psi);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(back[i], x[i], 1e-10) << i;
}

TEST(MonahanTransform, DisabledFlagsPassBlocksThrough) {
  SarimaxSpec spec;
  spec.p = 1;
  spec.q = 1;
  spec.enforce_stationarity = false;
  spec.enforce_invertibility = false;
  auto s = make_sarimax_structure(spec, 0, {});
  ASSERT_TRUE(s.is_ok());
  Eigen::VectorXd x(3);
  x << 1.7, -2.0, 3.0;
  const Eigen::VectorXd psi = constrain_params(*s, x);
  EXPECT_DOUBLE_EQ(psi[0], 1.7);
  EXPECT_DOUBLE_EQ(psi[1], -2.0);
  EXPECT_DOUBLE_EQ(psi[2], 9.0);
}

TEST(StationarityCheck, RejectsUnitAndExplosiveRoots) {
  const double unit[] = {1.0};
  const double explosive[] = {0.5, 0.6};  // 1 − 0.5z − 0.6z² has a root inside the circle
  const double fine[] = {0.5, -0.3};
  EXPECT_FALSE(is_stationary(unit, 1));
  EXPECT_FALSE(is_stationary(explosive, 2));
  EXPECT_TRUE(is_stationary(fine, 2));
  const double non_invertible[] = {-1.2};
  EXPECT_FALSE(is_invertible(non_invertible, 1));
}

}  // namespace
}  // namespace traind::engines::timeseries::detail
