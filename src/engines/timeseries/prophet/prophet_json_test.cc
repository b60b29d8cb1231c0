// The artifact: Python prophet's field names plus traind's, and a model loaded from it
// predicts exactly what the fitted one does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "engines/timeseries/prophet.h"
#include "engines/timeseries/prophet/prophet_fixture_for_tests.h"

namespace traind::engines::timeseries {
namespace {

ProphetModel fit_fixture(const std::string& name, detail::ProphetFixture* fixture) {
  *fixture = detail::load_prophet_fixture(name);
  Result<ProphetModel> model =
      fit_prophet(detail::fixture_options(fixture->reference), fixture->frame);
  EXPECT_TRUE(model.is_ok()) << model.status().to_string();
  return *model;
}

TEST(ProphetJsonTest, KeepsPythonProphetFieldNames) {
  detail::ProphetFixture fixture;
  const ProphetModel model = fit_fixture("air_passengers", &fixture);
  const nlohmann::json j = nlohmann::json::parse(model.to_json());
  for (const char* field : {"growth",
                            "n_changepoints",
                            "specified_changepoints",
                            "changepoint_range",
                            "yearly_seasonality",
                            "weekly_seasonality",
                            "daily_seasonality",
                            "seasonality_mode",
                            "seasonality_prior_scale",
                            "changepoint_prior_scale",
                            "holidays_prior_scale",
                            "mcmc_samples",
                            "interval_width",
                            "uncertainty_samples",
                            "y_scale",
                            "logistic_floor",
                            "start",
                            "t_scale",
                            "changepoints",
                            "changepoints_t",
                            "seasonalities",
                            "extra_regressors",
                            "holidays",
                            "country_holidays",
                            "train_holiday_names",
                            "component_modes",
                            "train_component_cols",
                            "history",
                            "history_dates",
                            "params",
                            "fit_kwargs",
                            "__prophet_version",
                            "format",
                            "engine_version",
                            "x_columns",
                            "seed"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
  EXPECT_EQ(j["format"], "traind.prophet/1");
  EXPECT_EQ(j["seasonalities"][0], nlohmann::json::array({"yearly"}));
  EXPECT_EQ(j["seasonalities"][1]["yearly"]["fourier_order"], 10);
  EXPECT_EQ(j["params"]["delta"][0].size(), 25u);
  EXPECT_EQ(j["params"]["trend"][0].size(), 144u);
  EXPECT_EQ(j["component_modes"]["multiplicative"][0], "yearly") << j["component_modes"].dump();
}

TEST(ProphetJsonTest, LoadedModelPredictsLikeTheFittedOne) {
  for (const std::string name : {"air_passengers", "regressors", "logistic"}) {
    detail::ProphetFixture fixture;
    const ProphetModel model = fit_fixture(name, &fixture);
    Result<ProphetModel> loaded = ProphetModel::from_json(model.to_json());
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
    const nlohmann::json before = nlohmann::json::parse(model.to_json());
    const nlohmann::json after = nlohmann::json::parse(loaded->to_json());
    for (const auto& [key, value] : before.items()) {
      if (key == "history") continue;  // regressors are standardised there: compared below
      EXPECT_TRUE(after.contains(key) && after[key] == value) << name << ": field " << key;
    }
    for (const auto& [column, values] : before["history"].items()) {
      const auto a = values.get<std::vector<double>>();
      const auto b = after["history"][column].get<std::vector<double>>();
      ASSERT_EQ(a.size(), b.size()) << column;
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_NEAR(a[i], b[i], 1e-12 * std::max(1.0, std::abs(a[i]))) << column << " " << i;
      }
    }
    Result<ProphetForecast> a = model.predict(fixture.frame, 3);
    Result<ProphetForecast> b = loaded->predict(fixture.frame, 3);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a->yhat, b->yhat) << name;
    EXPECT_EQ(a->yhat_lower, b->yhat_lower) << name;
    EXPECT_EQ(a->trend_upper, b->trend_upper) << name;
  }
}

TEST(ProphetJsonTest, RejectsOtherFormats) {
  EXPECT_EQ(ProphetModel::from_json("{\"format\": \"other\"}").status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_EQ(ProphetModel::from_json("not json").status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(ProphetModel::from_json("{\"format\": \"traind.prophet/1\"}").status().code(),
            ErrorCode::kInvalidConfig);
}

}  // namespace
}  // namespace traind::engines::timeseries
