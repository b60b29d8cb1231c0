// STL, seasonal strength and KPSS against R (stl_nottem.csv, reference.json, spec A.9.3–4).
#include "engines/timeseries/auto_arima/differencing_tests.h"

#include <gtest/gtest.h>

#include "engines/timeseries/auto_arima/missing_interpolation.h"
#include "engines/timeseries/auto_arima/stl_decomposition.h"
#include "engines/timeseries/auto_arima/test_fixtures.h"

namespace traind::engines::timeseries::detail {
namespace {

using testing::read_csv_fixture;
using testing::read_json_fixture;

TEST(StlDecompositionTest, MatchesRStlOnNottem) {
  const auto series = read_csv_fixture("series/nottem.csv");
  const auto ref = read_csv_fixture("stl_nottem.csv");
  StlOptions options;
  options.period = 12;
  options.s_window = 11;
  const auto stl = stl_decompose(series.columns[0], options);
  ASSERT_EQ(stl.seasonal.size(), ref.columns[0].size());
  for (size_t i = 0; i < stl.seasonal.size(); ++i) {
    EXPECT_NEAR(stl.seasonal[i], ref.columns[0][i], 1e-9) << i;
    EXPECT_NEAR(stl.trend[i], ref.columns[1][i], 1e-9) << i;
    EXPECT_NEAR(stl.remainder[i], ref.columns[2][i], 1e-9) << i;
  }
}

TEST(StlDecompositionTest, MatchesRobustRStlOnNottem) {
  const auto series = read_csv_fixture("series/nottem.csv");
  const auto ref = read_csv_fixture("stl_nottem.csv");
  StlOptions options;
  options.period = 12;
  options.s_window = 11;
  options.inner = 1;
  options.outer = 15;
  const auto stl = stl_decompose(series.columns[0], options);
  ASSERT_EQ(stl.seasonal.size(), ref.columns[3].size());
  for (size_t i = 0; i < stl.seasonal.size(); ++i) {
    EXPECT_NEAR(stl.seasonal[i], ref.columns[3][i], 1e-9) << i;
    EXPECT_NEAR(stl.trend[i], ref.columns[4][i], 1e-9) << i;
  }
}

TEST(SeasonalStrengthTest, MatchesForecastSeasHeuristic) {
  const auto refs = read_json_fixture("reference.json");
  int checked = 0;
  for (const auto& [name, ref] : refs.items()) {
    if (ref["seasonal_strength"].is_null() || !ref["exog"].empty()) continue;
    const auto series = read_csv_fixture(ref["file"].get<std::string>());
    const double fs = seasonal_strength(series.columns[0], ref["frequency"].get<int>());
    EXPECT_NEAR(fs, ref["seasonal_strength"].get<double>(), 1e-6) << name;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(MissingInterpolationTest, MatchesForecastNaInterpOnSeasonalSeries) {
  const auto refs = read_json_fixture("reference.json");
  const auto& ref = refs.at("log_AirPassengers_missing");
  const auto series = read_csv_fixture(ref["file"].get<std::string>());
  const auto filled = interpolate_missing(series.columns[0], 12);
  const auto expected = ref["na_interp"].get<std::vector<double>>();
  ASSERT_EQ(filled.size(), expected.size());
  int missing = 0;
  for (size_t i = 0; i < filled.size(); ++i) {
    missing += std::isnan(series.columns[0][i]) ? 1 : 0;
    EXPECT_NEAR(filled[i], expected[i], 1e-8) << i;
  }
  EXPECT_EQ(missing, 6);
}

TEST(MissingInterpolationTest, LinearForNonSeasonalSeries) {
  const double nan = std::nan("");
  const auto filled = interpolate_missing({nan, 1.0, nan, 3.0, nan}, 1);
  EXPECT_EQ(filled, (std::vector<double>{1.0, 1.0, 2.0, 3.0, 3.0}));
}

TEST(KpssTest, MatchesUrcaOnLakeHuron) {
  const auto series = read_csv_fixture("series/LakeHuron.csv");
  EXPECT_NEAR(kpss_level_statistic(series.columns[0]), 1.2212186, 1e-6);
  const auto decision = kpss_differences(series.columns[0], 2);
  EXPECT_EQ(decision.order, 1);
  ASSERT_EQ(decision.statistics.size(), 2u);
  EXPECT_NEAR(decision.statistics[1], 0.0522259, 1e-6);
}

TEST(KpssTest, ConstantSeriesNeedsNoDifference) {
  const auto decision = kpss_differences(std::vector<double>(20, 3.5), 2);
  EXPECT_EQ(decision.order, 0);
  EXPECT_TRUE(decision.statistics.empty());
  EXPECT_TRUE(is_constant_series({1.0, 1.0 + 1e-12, 1.0}));
  EXPECT_FALSE(is_constant_series({1.0, 1.001, 1.0}));
}

}  // namespace
}  // namespace traind::engines::timeseries::detail
