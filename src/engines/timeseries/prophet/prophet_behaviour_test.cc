// Prophet's rules outside the reference fixtures: option and data errors, changepoint
// placement for short histories, degenerate series, holidays, custom seasonalities and seeding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engines/timeseries/prophet.h"

namespace traind::engines::timeseries {
namespace {

constexpr double kDay = 86400.0;

// n daily rows from 2021-01-04 (a Monday) with a trend and a weekly wave.
ProphetFrame daily_frame(int n) {
  ProphetFrame frame;
  for (int i = 0; i < n; ++i) {
    frame.ds.push_back(1609718400.0 + i * kDay);
    frame.y.push_back(10.0 + 0.05 * i + 2.0 * std::sin(2 * M_PI * i / 7.0) + 0.1 * std::cos(i));
  }
  return frame;
}

TEST(ProphetBehaviourTest, RejectsMcmcSamplingAndUnknownOptions) {
  ProphetOptions options;
  options.mcmc_samples = 100;
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kInvalidConfig);
  options = {};
  options.growth = "exponential";
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kInvalidConfig);
  options = {};
  options.interval_width = 1.0;
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kInvalidConfig);
  options = {};
  options.extra_regressors.push_back({"trend", std::nullopt, "auto", std::nullopt});
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kInvalidConfig);
}

TEST(ProphetBehaviourTest, ReportsUnusableDataAsDataError) {
  ProphetOptions options;
  ProphetFrame frame = daily_frame(5);
  for (int i = 1; i < 5; ++i) frame.y[i] = NAN;
  EXPECT_EQ(fit_prophet(options, frame).status().code(), ErrorCode::kDataError);
  options.growth = "logistic";
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kDataError);
  options = {};
  options.extra_regressors.push_back({"promo", std::nullopt, "auto", std::nullopt});
  EXPECT_EQ(fit_prophet(options, daily_frame(30)).status().code(), ErrorCode::kDataError);
}

TEST(ProphetBehaviourTest, PlacesFewerChangepointsOnShortHistories) {
  // h = floor(10 * 0.8) = 8 rows, so 7 changepoints at rows 2..8 (1-based).
  const ProphetFrame frame = daily_frame(10);
  Result<ProphetModel> model = fit_prophet({}, frame);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ASSERT_EQ(model->changepoints().size(), 7u);
  for (size_t j = 0; j < 7; ++j) EXPECT_EQ(model->changepoints()[j], frame.ds[j + 1]);
  EXPECT_EQ(model->fit_algorithm(), "Newton");
}

TEST(ProphetBehaviourTest, FoldsTheDummyChangepointIntoTheRate) {
  ProphetOptions options;
  options.n_changepoints = 0;
  Result<ProphetModel> model = fit_prophet(options, daily_frame(40));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_TRUE(model->changepoints().empty());
  EXPECT_EQ(model->changepoints_t(), std::vector<double>{0.0});
  EXPECT_EQ(model->params().delta, std::vector<double>{0.0});
  EXPECT_GT(model->params().k, 0.0);
}

TEST(ProphetBehaviourTest, KeepsInitialValuesForAConstantSeries) {
  ProphetFrame frame = daily_frame(30);
  for (double& y : frame.y) y = 4.0;
  Result<ProphetModel> model = fit_prophet({}, frame);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(model->fit_algorithm(), "none");
  EXPECT_EQ(model->params().sigma_obs, 0.0);
  Result<ProphetForecast> forecast = model->predict(frame);
  ASSERT_TRUE(forecast.is_ok());
  for (double y : forecast->yhat) EXPECT_NEAR(y, 4.0, 1e-12);
}

// Columns sort as R sorts names: "-1" before "+0" (see the fixture "holidays").
TEST(ProphetBehaviourTest, BuildsHolidayColumnsWithWindows) {
  ProphetOptions options;
  options.holidays.push_back({"sale", 1609718400.0 + 20 * kDay, -1, 1, std::nullopt});
  options.holidays.push_back({"sale", 1609718400.0 + 60 * kDay, -1, 1, std::nullopt});
  options.holidays.push_back({"launch", 1609718400.0 + 40 * kDay, 0, 0, 2.0});
  const ProphetFrame frame = daily_frame(90);
  Result<ProphetModel> model = fit_prophet(options, frame);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const std::vector<std::string> expected{
      "weekly_delim_1", "weekly_delim_2",  "weekly_delim_3", "weekly_delim_4", "weekly_delim_5",
      "weekly_delim_6", "launch_delim_+0", "sale_delim_-1",  "sale_delim_+0",  "sale_delim_+1"};
  EXPECT_EQ(model->column_names(), expected);
  Result<std::vector<double>> x = model->feature_matrix(frame);
  ASSERT_TRUE(x.is_ok());
  const size_t k = expected.size();
  EXPECT_EQ((*x)[40 * k + 6], 1.0);  // launch on day 40
  EXPECT_EQ((*x)[19 * k + 7], 1.0);  // sale - 1 on day 19
  EXPECT_EQ((*x)[20 * k + 8], 1.0);  // sale on day 20
  EXPECT_EQ((*x)[61 * k + 9], 1.0);  // sale + 1 on day 61
  EXPECT_EQ((*x)[21 * k + 8], 0.0);
  Result<ProphetForecast> forecast = model->predict(frame);
  ASSERT_TRUE(forecast.is_ok());
  EXPECT_NE(forecast->component("holidays"), nullptr);
  EXPECT_NE(forecast->component("sale"), nullptr);
  EXPECT_EQ((*forecast->component("launch"))[10], 0.0);
}

TEST(ProphetBehaviourTest, CustomSeasonalityReplacesTheAutomaticOne) {
  ProphetOptions options;
  options.seasonalities.push_back({"weekly", 7.0, 2, std::nullopt, std::nullopt});
  options.seasonalities.push_back({"monthly", 30.5, 1, 5.0, "multiplicative"});
  Result<ProphetModel> model = fit_prophet(options, daily_frame(120));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(model->seasonality_names(), (std::vector<std::string>{"weekly", "monthly"}));
  EXPECT_EQ(model->column_names().size(), 6u);
  Result<ProphetForecast> forecast = model->predict(daily_frame(120));
  ASSERT_TRUE(forecast.is_ok());
  EXPECT_NE(forecast->component("monthly"), nullptr);
  for (double v : *forecast->component("multiplicative_terms")) EXPECT_TRUE(std::isfinite(v));
}

TEST(ProphetBehaviourTest, SeedsTheIntervalSimulation) {
  const ProphetFrame history = daily_frame(150);
  Result<ProphetModel> model = fit_prophet({}, history);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ProphetFrame future;
  for (int i = 0; i < 180; ++i) future.ds.push_back(history.ds.front() + i * kDay);
  Result<ProphetForecast> a = model->predict(future, 1);
  Result<ProphetForecast> b = model->predict(future, 1);
  Result<ProphetForecast> c = model->predict(future, 2);
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  EXPECT_EQ(a->yhat_upper, b->yhat_upper);
  EXPECT_NE(a->yhat_upper, c->yhat_upper);
  EXPECT_EQ(a->yhat, c->yhat);
  // Future rows widen: trend uncertainty only beyond the history.
  EXPECT_EQ(a->trend_lower[10], a->trend[10]);
  EXPECT_LT(a->trend_lower.back(), a->trend.back());
}

TEST(ProphetBehaviourTest, UsesConstantCapAndFloorFromTheOptions) {
  ProphetOptions options;
  options.growth = "logistic";
  options.cap = 20.0;
  options.floor = 5.0;
  const ProphetFrame frame = daily_frame(60);
  Result<ProphetModel> model = fit_prophet(options, frame);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  // y_scale = max |y - floor|.
  double y_scale = 0.0;
  for (double y : frame.y) y_scale = std::max(y_scale, std::abs(y - 5.0));
  EXPECT_DOUBLE_EQ(model->y_scale(), y_scale);
  ProphetFrame future;
  for (int i = 0; i < 400; ++i) future.ds.push_back(frame.ds.front() + i * kDay);
  Result<ProphetForecast> forecast = model->predict(future);
  ASSERT_TRUE(forecast.is_ok()) << forecast.status().to_string();
  for (double t : forecast->trend) {
    EXPECT_GT(t, 5.0);
    EXPECT_LT(t, 20.0);
  }
  options.cap = 4.0;  // not above the floor
  EXPECT_EQ(fit_prophet(options, frame).status().code(), ErrorCode::kDataError);
}

TEST(ProphetBehaviourTest, FitsFlatGrowth) {
  ProphetOptions options;
  options.growth = "flat";
  Result<ProphetModel> model = fit_prophet(options, daily_frame(60));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_NEAR(model->params().k, 0.0, 1e-9);
  Result<ProphetForecast> forecast = model->predict(daily_frame(60));
  ASSERT_TRUE(forecast.is_ok());
  EXPECT_EQ(forecast->trend.front(), forecast->trend.back());
}

}  // namespace
}  // namespace traind::engines::timeseries
