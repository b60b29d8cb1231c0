// Tests of hyperparameter resolution: aliases, defaults and the checks on values.
#include "algorithms/resolved_hyperparameters.h"

#include <gtest/gtest.h>

#include "algorithms/registry.h"

namespace traind::algorithms {
namespace {

const AlgorithmSpec& xgboost() { return *find_algorithm("xgboost"); }

TEST(ResolvedHyperparameters, NullMeansAllDefaults) {
  Result<nlohmann::json> r = resolve_hyperparameters(xgboost(), nullptr);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ((*r)["n_estimators"], 100);
  EXPECT_DOUBLE_EQ((*r)["learning_rate"].get<double>(), 0.3);
}

TEST(ResolvedHyperparameters, ReportsEveryProblemWithItsPath) {
  Result<nlohmann::json> r = resolve_hyperparameters(xgboost(), {{"learning_rate", 0},
                                                                 {"max_depth", 2.5},
                                                                 {"tree_method", "gpu"},
                                                                 {"bogus", 1},
                                                                 {"subsample", 1.5}});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidConfig);
  std::set<std::string> paths;
  for (const ErrorDetail& d : r.status().details()) paths.insert(d.path);
  EXPECT_EQ(paths,
            (std::set<std::string>{"/hyperparameters/learning_rate", "/hyperparameters/max_depth",
                                   "/hyperparameters/tree_method", "/hyperparameters/bogus",
                                   "/hyperparameters/subsample"}));
}

TEST(ResolvedHyperparameters, RefusesAParameterGivenByNameAndAlias) {
  Result<nlohmann::json> r =
      resolve_hyperparameters(xgboost(), {{"eta", 0.1}, {"learning_rate", 0.2}});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidConfig);
}

TEST(ResolvedHyperparameters, AcceptsWholeFloatsForIntegersAndNullWhereOptional) {
  Result<nlohmann::json> r =
      resolve_hyperparameters(xgboost(), {{"max_depth", 4.0}, {"early_stopping_rounds", nullptr}});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE((*r)["max_depth"].is_number_integer());
  EXPECT_EQ((*r)["max_depth"], 4);
  Result<nlohmann::json> bad = resolve_hyperparameters(xgboost(), {{"max_depth", nullptr}});
  EXPECT_FALSE(bad.is_ok());
}

}  // namespace
}  // namespace traind::algorithms
