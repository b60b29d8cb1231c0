// Tests of the algorithm registry and of the declarations it lists.
#include "algorithms/registry.h"

#include <gtest/gtest.h>

#include <set>

#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

TEST(Registry, FindsAlgorithmsByNameAndAliasIgnoringCase) {
  const AlgorithmSpec* xgb = find_algorithm("XGBoost");
  ASSERT_NE(xgb, nullptr);
  EXPECT_EQ(xgb->name, "xgboost");
  const AlgorithmSpec* logistic = find_algorithm("LOGISTIC");
  ASSERT_NE(logistic, nullptr);
  EXPECT_EQ(logistic->name, "logistic_regression");
  const AlgorithmSpec* linear = find_algorithm("Linear");
  ASSERT_NE(linear, nullptr);
  EXPECT_EQ(linear->name, "linear_regression");
  EXPECT_EQ(find_algorithm("linear_regression"), linear);
}

TEST(Registry, ReturnsNullForUnknownAlgorithm) {
  EXPECT_EQ(find_algorithm("lightgbm_turbo"), nullptr);
  EXPECT_EQ(find_algorithm(""), nullptr);
}

TEST(Registry, ListsEveryAlgorithmWithItsTasks) {
  const auto& all = all_algorithms();
  ASSERT_EQ(all.size(), 8u);
  for (const char* forecaster : {"arima", "prophet"}) {
    EXPECT_TRUE(find_algorithm(forecaster)->supports("forecasting")) << forecaster;
    EXPECT_FALSE(find_algorithm(forecaster)->supports("regression")) << forecaster;
  }
  EXPECT_EQ(find_algorithm("sarimax"), find_algorithm("arima"));
  for (const char* trees : {"lightgbm", "random_forest"}) {
    EXPECT_TRUE(find_algorithm(trees)->supports("classification")) << trees;
    EXPECT_TRUE(find_algorithm(trees)->supports("regression")) << trees;
  }
  EXPECT_EQ(find_algorithm("lgbm"), find_algorithm("lightgbm"));
  EXPECT_EQ(find_algorithm("rf"), find_algorithm("random_forest"));
  EXPECT_TRUE(find_algorithm("xgboost")->supports("classification"));
  EXPECT_TRUE(find_algorithm("xgboost")->supports("regression"));
  EXPECT_TRUE(find_algorithm("logistic_regression")->supports("classification"));
  EXPECT_FALSE(find_algorithm("logistic_regression")->supports("regression"));
  EXPECT_TRUE(find_algorithm("linear_regression")->supports("regression"));
  EXPECT_FALSE(find_algorithm("linear_regression")->supports("forecasting"));
  const AlgorithmSpec* nn = find_algorithm("mlp");
  ASSERT_NE(nn, nullptr);
  EXPECT_EQ(nn, find_algorithm("neural_network"));
  for (const char* task : {"classification", "regression", "nlp"}) EXPECT_TRUE(nn->supports(task));
  EXPECT_TRUE(nn->reads_text);
  EXPECT_FALSE(find_algorithm("xgboost")->reads_text);
  EXPECT_TRUE(nn->categorical_codes_for({{"categorical_encoding", "embedding"}}));
  EXPECT_FALSE(nn->categorical_codes_for({{"categorical_encoding", "one_hot"}}));
  EXPECT_TRUE(find_algorithm("lightgbm")->categorical_codes_for(nlohmann::json::object()));
}

TEST(Registry, EverySpecIsCompleteAndItsDefaultsPassItsOwnChecks) {
  for (const AlgorithmSpec* spec : all_algorithms()) {
    SCOPED_TRACE(spec->name);
    EXPECT_FALSE(spec->library.empty());
    EXPECT_FALSE(spec->model_format.empty());
    EXPECT_FALSE(spec->description.empty());
    // Tabular algorithms train and load models; forecasting ones fit and load forecasters.
    if (spec->supports("forecasting")) {
      ASSERT_TRUE(spec->fit_forecaster);
      ASSERT_TRUE(spec->load_forecaster);
    } else {
      ASSERT_TRUE(spec->make_trainer);
      ASSERT_TRUE(spec->load_model);
      EXPECT_NE(spec->make_trainer(), nullptr);
    }
    Result<nlohmann::json> defaults = resolve_hyperparameters(*spec, nlohmann::json::object());
    ASSERT_TRUE(defaults.is_ok()) << defaults.status().to_string();
    EXPECT_EQ(defaults->size(), spec->hyperparameters.size());
    for (const HyperParameter& p : spec->hyperparameters) EXPECT_FALSE(p.help.empty()) << p.name;
  }
}

TEST(Registry, NamesAndAliasesAreUniqueAcrossAlgorithmsAndParameters) {
  std::set<std::string> algorithm_names;
  for (const AlgorithmSpec* spec : all_algorithms()) {
    EXPECT_TRUE(algorithm_names.insert(spec->name).second) << spec->name;
    for (const auto& a : spec->aliases) EXPECT_TRUE(algorithm_names.insert(a).second) << a;
    std::set<std::string> parameter_names;
    for (const HyperParameter& p : spec->hyperparameters) {
      EXPECT_TRUE(parameter_names.insert(p.name).second) << spec->name << "." << p.name;
      for (const auto& a : p.aliases) {
        EXPECT_TRUE(parameter_names.insert(a).second) << spec->name << "." << a;
      }
    }
  }
}

TEST(Registry, XgboostDeclaresScikitLearnNamesWithXgboostAliases) {
  const AlgorithmSpec* xgb = find_algorithm("xgboost");
  ASSERT_NE(xgb, nullptr);
  Result<nlohmann::json> r = resolve_hyperparameters(
      *xgb, {{"eta", 0.1}, {"num_boost_round", 7}, {"lambda", 2}, {"seed", 3}});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_DOUBLE_EQ((*r)["learning_rate"].get<double>(), 0.1);
  EXPECT_EQ((*r)["n_estimators"], 7);
  EXPECT_EQ((*r)["reg_lambda"], 2);
  EXPECT_EQ((*r)["random_state"], 3);
  EXPECT_EQ((*r)["max_depth"], 6);
  EXPECT_EQ((*r)["tree_method"], "hist");
  EXPECT_TRUE((*r)["early_stopping_rounds"].is_null());
  EXPECT_TRUE(xgb->handles_missing);
  EXPECT_FALSE(xgb->wants_standardized);
}

}  // namespace
}  // namespace traind::algorithms
