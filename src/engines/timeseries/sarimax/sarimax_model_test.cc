// The public surface beyond fidelity: the artifact round trip (forecasts identical without the
// history), spec validation, data errors, forecast argument checks and regressors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engines/timeseries/sarimax.h"
#include "engines/timeseries/sarimax/sarimax_fixtures_for_tests.h"

namespace traind::engines::timeseries {
namespace {

using testing::data_from_case;
using testing::future_exog_from_case;
using testing::load_sarimax_reference;
using testing::spec_from_json;

nlohmann::json case_named(const std::string& name) {
  const nlohmann::json reference = load_sarimax_reference();
  for (const auto& c : reference.at("cases")) {
    if (c.at("name").get<std::string>() == name) return c;
  }
  throw std::runtime_error("no fixture case " + name);
}

SarimaxData short_series(int n) {
  SarimaxData data;
  for (int t = 0; t < n; ++t) data.y.push_back(std::sin(0.5 * t) + 0.01 * t);
  return data;
}

TEST(SarimaxArtifact, RoundTripForecastsIdenticallyWithoutTheHistory) {
  for (const std::string name : {"log_air_airline", "regression_sarma_c", "lake_huron_100_ct",
                                 "wwwusage_111_concentrated"}) {
    const auto c = case_named(name);
    SarimaxData data = data_from_case(c);
    data.frequency = "MS";
    data.last_timestamp = "1960-12-01";
    auto model =
        evaluate_sarimax(spec_from_json(c.at("spec")), data, testing::json_numbers(c.at("params")));
    ASSERT_TRUE(model.is_ok()) << model.status().message();
    const std::string json = model->to_json();
    EXPECT_NE(json.find("\"format\":\"traind.sarimax/1\""), std::string::npos);
    auto loaded = SarimaxModel::from_json(json);
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
    EXPECT_EQ(loaded->to_json(), json);
    EXPECT_EQ(loaded->param_names(), model->param_names());
    EXPECT_EQ(loaded->params(), model->params());
    EXPECT_EQ(loaded->llf(), model->llf());
    EXPECT_EQ(loaded->frequency(), "MS");
    EXPECT_EQ(loaded->last_timestamp(), "1960-12-01");
    EXPECT_TRUE(loaded->in_sample().mean.empty());
    const auto future = future_exog_from_case(c);
    auto a = model->forecast(24, future, 0.8);
    auto b = loaded->forecast(24, future, 0.8);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a->mean, b->mean) << name;
    EXPECT_EQ(a->variance, b->variance) << name;
    EXPECT_EQ(a->lower, b->lower) << name;
    EXPECT_EQ(a->upper, b->upper) << name;
  }
}

TEST(SarimaxArtifact, RejectsForeignOrDamagedArtifacts) {
  EXPECT_EQ(SarimaxModel::from_json("{}").status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(SarimaxModel::from_json("not json").status().code(), ErrorCode::kInvalidConfig);
  const auto c = case_named("wwwusage_111");
  auto model = evaluate_sarimax(spec_from_json(c.at("spec")), data_from_case(c),
                                testing::json_numbers(c.at("params")));
  ASSERT_TRUE(model.is_ok());
  auto json = nlohmann::json::parse(model->to_json());
  json["final_state"].erase(0);
  EXPECT_EQ(SarimaxModel::from_json(json.dump()).status().code(), ErrorCode::kInvalidConfig);
}

TEST(SarimaxSpecValidation, RejectsBadSpecsWithAClearMessage) {
  struct Case {
    SarimaxSpec spec;
    std::string fragment;
  };
  std::vector<Case> cases;
  SarimaxSpec negative;
  negative.q = -1;
  cases.push_back({negative, "q must be >= 0"});
  SarimaxSpec no_period;
  no_period.seasonal_d = 1;
  cases.push_back({no_period, "seasonal period of at least 2"});
  SarimaxSpec period_one;
  period_one.seasonal_p = 1;
  period_one.period = 1;
  cases.push_back({period_one, "at least 2"});
  SarimaxSpec overlap;
  overlap.p = 12;
  overlap.seasonal_p = 1;
  overlap.period = 12;
  cases.push_back({overlap, "both the seasonal and non-seasonal"});
  SarimaxSpec trend;
  trend.trend = "quadratic";
  cases.push_back({trend, "trend must be"});
  SarimaxSpec huge;
  huge.seasonal_p = 5;
  huge.period = 1000;
  cases.push_back({huge, "states"});
  for (const auto& c : cases) {
    const Status status = validate_sarimax_spec(c.spec);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidConfig) << c.fragment;
    EXPECT_NE(status.message().find(c.fragment), std::string::npos) << status.message();
    auto fit = fit_sarimax(c.spec, short_series(100));
    EXPECT_EQ(fit.status().code(), ErrorCode::kInvalidConfig) << c.fragment;
  }
  SarimaxSpec fine;
  fine.p = 2;
  fine.d = 1;
  fine.trend = "ct";  // any trend with any d (spec A.1)
  EXPECT_TRUE(validate_sarimax_spec(fine).is_ok());
}

TEST(SarimaxData, RejectsUnusableData) {
  SarimaxSpec spec;
  spec.p = 1;
  spec.d = 1;
  spec.q = 1;
  EXPECT_EQ(fit_sarimax(spec, short_series(4)).status().code(), ErrorCode::kDataError);
  SarimaxData ragged = short_series(50);
  ragged.exog.push_back(std::vector<double>(49, 1.0));
  EXPECT_EQ(fit_sarimax(spec, ragged).status().code(), ErrorCode::kDataError);
  SarimaxData gap = short_series(50);
  gap.exog.push_back(std::vector<double>(50, 1.0));
  gap.exog[0][7] = std::nan("");
  EXPECT_EQ(fit_sarimax(spec, gap).status().code(), ErrorCode::kDataError);
  SarimaxData infinite = short_series(50);
  infinite.y[3] = INFINITY;
  EXPECT_EQ(fit_sarimax(spec, infinite).status().code(), ErrorCode::kDataError);
  SarimaxData named = short_series(50);
  named.exog.push_back(std::vector<double>(50, 1.0));
  named.exog_names = {"a", "b"};
  EXPECT_EQ(fit_sarimax(spec, named).status().code(), ErrorCode::kInvalidConfig);
}

TEST(SarimaxForecast, NeedsFutureRegressorsAndAValidWidth) {
  const auto c = case_named("regression_sarma_c");
  auto model = evaluate_sarimax(spec_from_json(c.at("spec")), data_from_case(c),
                                testing::json_numbers(c.at("params")));
  ASSERT_TRUE(model.is_ok());
  EXPECT_EQ(model->forecast(5, {}, 0.95).status().code(), ErrorCode::kDataError);
  auto future = future_exog_from_case(c);
  EXPECT_EQ(model->forecast(30, future, 0.95).status().code(), ErrorCode::kDataError);
  EXPECT_EQ(model->forecast(5, future, 1.0).status().code(), ErrorCode::kInvalidConfig);
  auto narrow = model->forecast(5, future, 0.5);
  auto wide = model->forecast(5, future, 0.99);
  ASSERT_TRUE(narrow.is_ok() && wide.is_ok());
  for (int h = 0; h < 5; ++h) {
    EXPECT_LT(wide->lower[h], narrow->lower[h]);
    EXPECT_GT(wide->upper[h], narrow->upper[h]);
    EXPECT_DOUBLE_EQ(wide->mean[h], narrow->mean[h]);
  }
}

TEST(SarimaxFit, UnnamedRegressorsAreCalledX1X2) {
  const auto c = case_named("regression_sarma_c");
  SarimaxData data = data_from_case(c);
  data.exog_names.clear();
  auto names = sarimax_param_names(spec_from_json(c.at("spec")), 2, {});
  ASSERT_TRUE(names.is_ok());
  const std::vector<std::string> expected = {"intercept", "x1",      "x2",    "ar.L1",
                                             "ma.L1",     "ar.S.L4", "sigma2"};
  EXPECT_EQ(*names, expected);
  SarimaxSpec seasonal;
  seasonal.p = 0;
  seasonal.q = 1;
  seasonal.seasonal_p = 2;
  seasonal.seasonal_q = 1;
  seasonal.period = 12;
  seasonal.trend = "t";
  seasonal.concentrate_scale = true;
  auto seasonal_names = sarimax_param_names(seasonal, 0, {});
  ASSERT_TRUE(seasonal_names.is_ok());
  const std::vector<std::string> expected_seasonal = {"drift", "ma.L1", "ar.S.L12", "ar.S.L24",
                                                      "ma.S.L12"};
  EXPECT_EQ(*seasonal_names, expected_seasonal);
}

TEST(SarimaxFit, ReportsInSampleBurnAndPositiveVariances) {
  const auto c = case_named("log_air_airline_missing");
  auto model = evaluate_sarimax(spec_from_json(c.at("spec")), data_from_case(c),
                                testing::json_numbers(c.at("params")));
  ASSERT_TRUE(model.is_ok());
  EXPECT_EQ(model->in_sample().burn, 13);
  EXPECT_EQ(model->nobs_effective(), 144 - 13);
  ASSERT_EQ(model->in_sample().variance.size(), 144u);
  EXPECT_GT(model->in_sample().variance[0], 1e5);  // the 1e6 approximate-diffuse prior
  for (size_t t = 13; t < 144; ++t) EXPECT_GT(model->in_sample().variance[t], 0.0);
}

}  // namespace
}  // namespace traind::engines::timeseries
