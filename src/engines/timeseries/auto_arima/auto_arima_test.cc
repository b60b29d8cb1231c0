// auto_arima() end to end against forecast 8.20's auto.arima on the A.10 table
// (reference.json, written by make_fixtures.R).
#include "engines/timeseries/auto_arima.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "engines/timeseries/auto_arima/test_fixtures.h"

namespace traind::engines::timeseries {
namespace {

using detail::testing::read_csv_fixture;
using detail::testing::read_json_fixture;

Result<AutoArimaResult> run_case(const nlohmann::json& ref) {
  const auto csv = read_csv_fixture(ref["file"].get<std::string>());
  std::vector<std::vector<double>> exog(csv.columns.begin() + 1, csv.columns.end());
  return auto_arima(csv.columns[0], exog, ref["frequency"].get<int>(), AutoArimaOptions{});
}

class AutoArimaTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AutoArimaTableTest, ChoosesROrderConstantAndAicc) {
  const auto refs = read_json_fixture("reference.json");
  const auto& ref = refs.at(GetParam());
  auto result = run_case(ref);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const AutoArimaResult& r = *result;
  std::printf(
      "%-24s ours (%d,%d,%d)(%d,%d,%d)[%d] c=%d aicc=%.4f F_S=%.7f | R (%d,%d,%d)(%d,%d,%d) "
      "c=%d aicc=%.4f F_S=%s | models=%d approx=%d\n",
      GetParam().c_str(), r.p, r.d, r.q, r.P, r.D, r.Q, r.m, r.constant, r.aicc,
      r.seasonal_strength, ref["p"].get<int>(), ref["d"].get<int>(), ref["q"].get<int>(),
      ref["P"].get<int>(), ref["D"].get<int>(), ref["Q"].get<int>(), ref["constant"].get<bool>(),
      ref["aicc"].get<double>(), ref["seasonal_strength"].dump().c_str(), r.models_fitted,
      r.approximation);
  EXPECT_EQ(r.p, ref["p"].get<int>());
  EXPECT_EQ(r.d, ref["d"].get<int>());
  EXPECT_EQ(r.q, ref["q"].get<int>());
  EXPECT_EQ(r.P, ref["P"].get<int>());
  EXPECT_EQ(r.D, ref["D"].get<int>());
  EXPECT_EQ(r.Q, ref["Q"].get<int>());
  EXPECT_EQ(r.constant, ref["constant"].get<bool>());
  EXPECT_EQ(r.approximation, ref["approximation"].get<bool>());
  EXPECT_NEAR(r.aicc, ref["aicc"].get<double>(), 0.01);
  EXPECT_EQ(r.ic_name, "aicc");
  EXPECT_EQ(r.ic_value, r.aicc);
  if (ref["seasonal_strength"].is_null()) {
    EXPECT_TRUE(std::isnan(r.seasonal_strength));
  } else {
    EXPECT_NEAR(r.seasonal_strength, ref["seasonal_strength"].get<double>(), 1e-6);
  }
  const auto& kpss = ref["kpss"];
  ASSERT_EQ(r.kpss_statistics.size(), kpss.is_array() ? kpss.size() : 1u);
  for (size_t i = 0; i < r.kpss_statistics.size(); ++i) {
    const double k = kpss.is_array() ? kpss[i].get<double>() : kpss.get<double>();
    EXPECT_NEAR(r.kpss_statistics[i], k, 1e-6);
  }
  if (r.constant) {
    const double md = ref["mean_or_drift"].get<double>();
    EXPECT_NEAR(r.mean_or_drift, md, 1e-3 * std::max(1.0, std::fabs(md)));
  } else {
    EXPECT_TRUE(std::isnan(r.mean_or_drift));
  }
  // Every candidate R fitted, in R's order, with its IC (1e300 stands for R's Inf).
  const auto& orders = ref["trace_orders"];
  const auto& ics = ref["trace_ic"];
  ASSERT_EQ(r.trace.size(), ics.size());
  for (size_t i = 0; i < ics.size(); ++i) {
    const AutoArimaCandidate& c = r.trace[i];
    const auto& o = orders[i];
    EXPECT_EQ((std::vector<int>{c.p, c.d, c.q, c.P, c.D, c.Q}), o.get<std::vector<int>>())
        << "candidate " << i;
    const double ic = ics[i].get<double>();
    if (ic >= 1e300) {
      EXPECT_TRUE(std::isinf(c.ic)) << "candidate " << i << " ic " << c.ic;
    } else {
      EXPECT_NEAR(c.ic, ic, 0.01) << "candidate " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RTable, AutoArimaTableTest,
                         ::testing::Values("AirPassengers", "log_AirPassengers", "USAccDeaths",
                                           "UKgas", "WWWusage", "Nile", "LakeHuron", "lynx",
                                           "nottem", "co2", "sunspot_year",
                                           "Seatbelts_DriversKilled", "WWWusage_missing",
                                           "log_AirPassengers_missing"));

TEST(AutoArimaTest, MatchesRWithNonDefaultOptions) {
  const auto variants = read_json_fixture("variants.json");
  ASSERT_FALSE(variants.empty());
  for (const auto& v : variants) {
    SCOPED_TRACE(v["name"].get<std::string>());
    AutoArimaOptions options;
    const auto& o = v["options"];
    if (o.contains("stepwise")) options.stepwise = o["stepwise"].get<bool>();
    if (o.contains("ic")) options.ic = o["ic"].get<std::string>();
    if (o.contains("seasonal")) options.seasonal = o["seasonal"].get<bool>();
    if (o.contains("approximation"))
      options.approximation = o["approximation"].get<bool>() ? AutoArimaApproximation::kOn
                                                             : AutoArimaApproximation::kOff;
    const auto csv = read_csv_fixture(v["file"].get<std::string>());
    auto result = auto_arima(csv.columns[0], {}, v["frequency"].get<int>(), options);
    ASSERT_TRUE(result.is_ok()) << result.status().to_string();
    EXPECT_EQ((std::vector<int>{result->p, result->d, result->q, result->P, result->D, result->Q}),
              (std::vector<int>{v["p"], v["d"], v["q"], v["P"], v["D"], v["Q"]}));
    EXPECT_EQ(result->constant, v["constant"].get<bool>());
    EXPECT_EQ(result->ic_name, options.ic);
    EXPECT_NEAR(result->ic_value, v[options.ic].get<double>(), 0.01);
    EXPECT_NEAR(result->aicc, v["aicc"].get<double>(), 0.01);
    EXPECT_NEAR(result->bic, v["bic"].get<double>(), 0.01);
  }
}

TEST(AutoArimaTest, RejectsUnknownInformationCriterion) {
  AutoArimaOptions options;
  options.ic = "hqic";
  auto result = auto_arima({1, 2, 3, 4, 5, 6}, {}, 1, options);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig);
}

TEST(AutoArimaTest, RejectsExogWithWrongLength) {
  auto result = auto_arima({1, 2, 3, 4, 5, 6}, {{1, 2, 3}}, 1, AutoArimaOptions{});
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig);
}

TEST(AutoArimaTest, RejectsAllMissingSeries) {
  const double nan = std::nan("");
  auto result = auto_arima({nan, nan, nan}, {}, 1, AutoArimaOptions{});
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDataError);
}

TEST(AutoArimaTest, RejectsRankDeficientExog) {
  // The second column is twice the first: [1, X] is singular (auto.arima's rank check).
  std::vector<double> y, x1, x2;
  for (int t = 0; t < 40; ++t) {
    y.push_back(std::sin(0.3 * t) + 0.05 * t);
    x1.push_back(std::cos(0.7 * t));
    x2.push_back(2.0 * std::cos(0.7 * t));
  }
  auto result = auto_arima(y, {x1, x2}, 1, AutoArimaOptions{});
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kDataError);
}

TEST(AutoArimaTest, ConstantSeriesGetsWhiteNoiseWithMean) {
  auto result = auto_arima(std::vector<double>(30, 4.0), {}, 1, AutoArimaOptions{});
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result->p + result->d + result->q, 0);
  EXPECT_TRUE(result->constant);
  EXPECT_DOUBLE_EQ(result->mean_or_drift, 4.0);
}

}  // namespace
}  // namespace traind::engines::timeseries
