// Tests of parse_gbdt_config: LightGBM names, aliases, defaults, ranges and derived values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engines/trees/gbdt.h"

namespace traind::engines::trees {
namespace {

GbdtConfig parse_ok(const GbdtParameterList& params, std::vector<std::string>* warnings = nullptr) {
  auto result = parse_gbdt_config(params, warnings);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  return result.is_ok() ? *result : GbdtConfig{};
}

TEST(GbdtConfig, DefaultsMatchLightGbm) {
  const GbdtConfig c = parse_ok({});
  EXPECT_EQ(c.objective, "regression");
  EXPECT_EQ(c.num_iterations, 100);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.1);
  EXPECT_EQ(c.num_leaves, 31);
  EXPECT_EQ(c.min_data_in_leaf, 20);
  EXPECT_EQ(c.max_bin, 255);
  EXPECT_EQ(c.data_random_seed, 1);
  EXPECT_EQ(c.bagging_seed, 3);
  EXPECT_EQ(c.feature_fraction_seed, 2);
  EXPECT_FALSE(c.seed.has_value());
}

TEST(GbdtConfig, AcceptsAliases) {
  const GbdtConfig c = parse_ok({{"n_estimators", "7"},
                                 {"eta", "0.3"},
                                 {"max_leaves", "9"},
                                 {"min_child_samples", "4"},
                                 {"reg_lambda", "2.5"},
                                 {"colsample_bytree", "0.5"},
                                 {"subsample", "0.7"},
                                 {"subsample_freq", "2"},
                                 {"n_jobs", "3"},
                                 {"cat_feature", "1,4"}});
  EXPECT_EQ(c.num_iterations, 7);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.3);
  EXPECT_EQ(c.num_leaves, 9);
  EXPECT_EQ(c.min_data_in_leaf, 4);
  EXPECT_DOUBLE_EQ(c.lambda_l2, 2.5);
  EXPECT_DOUBLE_EQ(c.feature_fraction, 0.5);
  EXPECT_DOUBLE_EQ(c.bagging_fraction, 0.7);
  EXPECT_EQ(c.bagging_freq, 2);
  EXPECT_EQ(c.num_threads, 3);
  EXPECT_EQ(c.categorical_feature, (std::vector<int>{1, 4}));
}

TEST(GbdtConfig, CanonicalNameBeatsAlias) {
  std::vector<std::string> warnings;
  const GbdtConfig c = parse_ok({{"eta", "0.3"}, {"learning_rate", "0.05"}}, &warnings);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.05);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(GbdtConfig, TwoAliasesKeepOneDeterministicallyAndWarn) {
  std::vector<std::string> w1, w2;
  const GbdtConfig a = parse_ok({{"num_trees", "5"}, {"n_estimators", "9"}}, &w1);
  const GbdtConfig b = parse_ok({{"n_estimators", "9"}, {"num_trees", "5"}}, &w2);
  EXPECT_EQ(a.num_iterations, b.num_iterations);
  EXPECT_EQ(a.num_iterations, 5);  // num_trees comes first in the alias list
  EXPECT_EQ(w1.size(), 1u);
  EXPECT_EQ(w2.size(), 1u);
}

TEST(GbdtConfig, UnknownKeysWarnNeverFail) {
  std::vector<std::string> warnings;
  parse_ok({{"no_such_parameter", "1"}}, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no_such_parameter"), std::string::npos);
}

TEST(GbdtConfig, OutOfRangeErrorNamesParameter) {
  for (const auto& [name, value] : GbdtParameterList{{"num_leaves", "1"},
                                                     {"learning_rate", "0"},
                                                     {"feature_fraction", "1.5"},
                                                     {"bagging_fraction", "0"},
                                                     {"max_bin", "1"},
                                                     {"lambda_l1", "-1"},
                                                     {"num_iterations", "-1"},
                                                     {"min_data_in_leaf", "abc"}}) {
    auto result = parse_gbdt_config({{name, value}}, nullptr);
    ASSERT_FALSE(result.is_ok()) << name;
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_NE(result.status().message().find(name), std::string::npos) << name;
  }
}

TEST(GbdtConfig, SeedDerivesSixSeedsAndExplicitSeedsOverride) {
  GbdtConfig c = parse_ok({{"seed", "42"}});
  EXPECT_EQ(c.data_random_seed, 175);
  EXPECT_EQ(c.bagging_seed, 400);
  EXPECT_EQ(c.drop_seed, 17869);
  EXPECT_EQ(c.feature_fraction_seed, 30056);
  EXPECT_EQ(c.objective_seed, 16083);
  EXPECT_EQ(c.extra_seed, 12879);
  c = parse_ok({{"random_state", "1"}, {"bagging_fraction_seed", "77"}});
  EXPECT_EQ(c.data_random_seed, 41);
  EXPECT_EQ(c.bagging_seed, 77);
  EXPECT_EQ(c.feature_fraction_seed, 26500);
}

TEST(GbdtConfig, MaxDepthWithoutNumLeavesLimitsLeaves) {
  EXPECT_EQ(parse_ok({{"max_depth", "4"}}).num_leaves, 16);
  EXPECT_EQ(parse_ok({{"max_depth", "8"}}).num_leaves, 31);
  EXPECT_EQ(parse_ok({{"max_depth", "4"}, {"num_leaves", "50"}}).num_leaves, 50);
}

TEST(GbdtConfig, BothMinConstraintsZeroGiveMinDataOne) {
  EXPECT_EQ(
      parse_ok({{"min_data_in_leaf", "0"}, {"min_sum_hessian_in_leaf", "0"}}).min_data_in_leaf, 1);
  EXPECT_EQ(parse_ok({{"min_data_in_leaf", "0"}}).min_data_in_leaf, 0);
}

TEST(GbdtConfig, ObjectiveAliasesAreNormalised) {
  EXPECT_EQ(parse_ok({{"objective", "mse"}}).objective, "regression");
  EXPECT_EQ(parse_ok({{"loss", "mae"}}).objective, "regression_l1");
  EXPECT_EQ(parse_ok({{"application", "softmax"}, {"num_class", "3"}}).objective, "multiclass");
  EXPECT_FALSE(parse_gbdt_config({{"objective", "lambdarank"}}, nullptr).is_ok());
}

TEST(GbdtConfig, LegacyGossBoostingMeansGbdtWithGossSampling) {
  std::vector<std::string> warnings;
  const GbdtConfig c = parse_ok({{"boosting", "goss"}}, &warnings);
  EXPECT_EQ(c.boosting, "gbdt");
  EXPECT_EQ(c.data_sample_strategy, "goss");
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(GbdtConfig, NumClassMustAgreeWithObjective) {
  EXPECT_FALSE(parse_gbdt_config({{"objective", "multiclass"}}, nullptr).is_ok());
  EXPECT_FALSE(parse_gbdt_config({{"num_class", "3"}}, nullptr).is_ok());
  EXPECT_FALSE(
      parse_gbdt_config({{"is_unbalance", "true"}, {"scale_pos_weight", "2"}}, nullptr).is_ok());
}

}  // namespace
}  // namespace traind::engines::trees
