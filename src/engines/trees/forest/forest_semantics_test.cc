// scikit-learn 1.2 fit semantics that single-tree fixtures cannot show (trees.md §B.2-B.4,
// §B.6.4-5): bootstrap as weights, distinct-row counts, max_samples rounding, float32
// midpoints, OOB rows, class weights, determinism across n_jobs, parameter validation.
#include <gtest/gtest.h>

#include <cmath>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"
#include "engines/trees/forest/forest_rng.h"
#include "engines/trees/forest/forest_test_data.h"

namespace traind::engines::trees {
namespace {

ForestModel train_or_die(const ForestConfig& config, const testing::Table& t,
                         std::span<const double> weights = {}) {
  auto model = train_forest(config, t.matrix(), t.y, weights);
  EXPECT_TRUE(model) << model.status().to_string();
  return model ? *model : ForestModel();
}

ForestConfig classifier(int trees, int64_t seed) {
  ForestConfig config = ForestConfig::defaults(ForestTask::kClassification);
  config.n_estimators = trees;
  config.random_state = seed;
  return config;
}

TEST(ForestSemantics, RootWeightIsDrawCountAndRootCountIsDistinctInBagRows) {
  const testing::Table iris = testing::read_fixture_csv("iris.csv");
  const ForestModel model = train_or_die(classifier(8, 3), iris);
  for (const detail::ForestTree& tree : model.data().trees) {
    const std::vector<uint32_t> counts = detail::bootstrap_counts(tree.seed, iris.rows, iris.rows);
    int64_t distinct = 0;
    for (uint32_t c : counts) distinct += c > 0;
    EXPECT_EQ(tree.weighted_n_node_samples[0], 150.0);  // n_boot draws, each of weight 1
    EXPECT_EQ(tree.n_node_samples[0], distinct);
    EXPECT_LT(tree.n_node_samples[0], 150);
    for (int node = 0; node < tree.node_count(); ++node) {
      EXPECT_LE(static_cast<double>(tree.n_node_samples[node]), tree.weighted_n_node_samples[node]);
      if (!tree.is_leaf(node)) {
        EXPECT_EQ(tree.n_node_samples[node], tree.n_node_samples[tree.children_left[node]] +
                                                 tree.n_node_samples[tree.children_right[node]]);
      }
    }
  }
}

TEST(ForestSemantics, MaxSamplesHalfOfFiveRowsDrawsTwo) {
  testing::Table t;
  t.rows = 5;
  t.columns = 1;
  t.values = {1, 2, 3, 4, 5};
  t.y = {0, 1, 0, 1, 0};
  ForestConfig config = classifier(20, 1);
  config.max_samples = CountOrFraction{true, 0.5};  // round(2.5) = 2 (half to even)
  const ForestModel model = train_or_die(config, t);
  EXPECT_EQ(model.data().resolved.n_samples_bootstrap, 2);
  for (const detail::ForestTree& tree : model.data().trees) {
    EXPECT_EQ(tree.weighted_n_node_samples[0], 2.0);
  }
  config.max_samples = CountOrFraction{true, 0.7};  // round(3.5) = 4
  EXPECT_EQ(train_or_die(config, t).data().resolved.n_samples_bootstrap, 4);
  config.max_samples = CountOrFraction{false, 6};
  EXPECT_EQ(train_forest(config, t.matrix(), t.y).status().code(), ErrorCode::kInvalidConfig);
}

TEST(ForestSemantics, ThresholdIsFloat32MidpointComputedInDouble) {
  testing::Table t;
  t.rows = 4;
  t.columns = 1;
  t.values = {0.1, 0.1, 0.7, 0.7};  // as float32: 0.100000001490116, 0.699999988079071
  t.y = {0, 0, 1, 1};
  ForestConfig config = classifier(1, 0);
  config.bootstrap = false;
  const ForestModel model = train_or_die(config, t);
  const double a = static_cast<float>(0.1), b = static_cast<float>(0.7);
  ASSERT_EQ(model.data().trees[0].node_count(), 3);
  EXPECT_EQ(model.data().trees[0].threshold[0], a / 2.0 + b / 2.0);
  EXPECT_NE(model.data().trees[0].threshold[0], 0.4);
}

TEST(ForestSemantics, ValuesCloserThanOneEMinusSevenAreNeverSplit) {
  testing::Table t;
  t.rows = 4;
  t.columns = 1;
  t.values = {1.0, 1.0 + 5e-8, 1.0, 1.0 + 5e-8};  // distinct float32 values, 6e-8 apart
  t.y = {0, 1, 0, 1};
  ForestConfig config = classifier(1, 0);
  config.bootstrap = false;
  EXPECT_EQ(train_or_die(config, t).data().trees[0].node_count(), 1);
}

TEST(ForestSemantics, RowsNeverOutOfBagPredictZeroAndCountAsFirstClass) {
  const testing::Table iris = testing::read_fixture_csv("iris.csv");
  ForestConfig config = classifier(1, 11);
  config.oob_score = true;
  const ForestModel model = train_or_die(config, iris);
  const detail::ForestTree& tree = model.data().trees[0];
  const std::vector<uint32_t> counts = detail::bootstrap_counts(tree.seed, iris.rows, iris.rows);
  int64_t correct = 0, in_bag = 0;
  for (int64_t r = 0; r < iris.rows; ++r) {
    const double* p = model.oob_decision().data() + r * 3;
    if (counts[r] > 0) {
      ++in_bag;
      EXPECT_EQ(p[0] + p[1] + p[2], 0.0);
      correct += iris.y[r] == 0.0;  // argmax of zeros = first class
    } else {
      EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
      correct += iris.y[r] == static_cast<double>(std::max_element(p, p + 3) - p);
    }
  }
  EXPECT_GT(in_bag, 50);
  ASSERT_EQ(model.warnings().size(), 1u);
  EXPECT_NE(model.warnings()[0].find("do not have OOB scores"), std::string::npos);
  EXPECT_DOUBLE_EQ(*model.oob_score(), static_cast<double>(correct) / iris.rows);
}

TEST(ForestSemantics, BalancedClassWeightMakesClassTotalsEqual) {
  testing::Table t;
  t.rows = 8;
  t.columns = 1;
  t.values = {1, 2, 3, 4, 5, 6, 7, 8};
  t.y = {5, 5, 5, 5, 5, 5, 9, 9};
  ForestConfig config = classifier(1, 0);
  config.bootstrap = false;
  config.class_weight.kind = ClassWeight::Kind::kBalanced;  // n / (K n_k): 8/12 and 8/4
  const ForestModel model = train_or_die(config, t);
  const detail::ForestTree& tree = model.data().trees[0];
  EXPECT_DOUBLE_EQ(tree.node_value(0)[0], 4.0);
  EXPECT_DOUBLE_EQ(tree.node_value(0)[1], 4.0);
  EXPECT_EQ(model.classes(), (std::vector<double>{5, 9}));

  config.bootstrap = true;
  config.n_estimators = 6;
  config.class_weight.kind = ClassWeight::Kind::kBalancedSubsample;
  const ForestModel subsample = train_or_die(config, t);
  for (const detail::ForestTree& tr : subsample.data().trees) {
    const double present = (tr.node_value(0)[0] > 0) + (tr.node_value(0)[1] > 0);
    for (int k = 0; k < 2; ++k) {
      if (tr.node_value(0)[k] > 0) {
        EXPECT_NEAR(tr.node_value(0)[k], 8.0 / present, 1e-12);
      }
    }
  }

  config.class_weight = ClassWeight{ClassWeight::Kind::kDict, {{9.0, 3.0}}};
  config.bootstrap = false;
  config.n_estimators = 1;
  const ForestModel dict_model = train_or_die(config, t);
  const detail::ForestTree& dict_tree = dict_model.data().trees[0];
  EXPECT_EQ(dict_tree.node_value(0)[0], 6.0);  // unlisted class keeps weight 1
  EXPECT_EQ(dict_tree.node_value(0)[1], 6.0);
}

TEST(ForestSemantics, SameSeedGivesByteIdenticalJsonForAnyJobCount) {
  const testing::Table wine = testing::read_fixture_csv("wine.csv");
  std::string reference;
  for (int jobs : {1, 2, -1}) {
    ForestConfig config = classifier(12, 42);
    config.n_jobs = jobs;
    config.oob_score = true;
    const std::string text = train_or_die(config, wine).to_json();
    if (reference.empty()) reference = text;
    EXPECT_EQ(text, reference) << "n_jobs=" << jobs;
  }
  ForestConfig other = classifier(12, 43);
  EXPECT_NE(train_or_die(other, wine).to_json(), reference);
}

TEST(ForestSemantics, PredictAveragesTreeProbabilities) {
  const testing::Table wine = testing::read_fixture_csv("wine.csv");
  const ForestModel model = train_or_die(classifier(10, 5), wine);
  auto proba = model.predict_proba(wine.matrix());
  auto labels = model.predict(wine.matrix());
  ASSERT_TRUE(proba && labels);
  int correct = 0;
  for (int64_t r = 0; r < wine.rows; ++r) {
    const double* p = proba->data() + r * 3;
    EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
    EXPECT_EQ((*labels)[r], model.classes()[std::max_element(p, p + 3) - p]);
    correct += (*labels)[r] == wine.y[r];
  }
  EXPECT_GT(correct, 170);  // training accuracy of a forest
  double sum = 0.0;
  for (double v : model.feature_importances()) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(ForestSemantics, MinImpurityDecreaseCanStopAtTheRootAndImportancesAreZero) {
  const testing::Table iris = testing::read_fixture_csv("iris.csv");
  ForestConfig config = classifier(3, 1);
  config.min_impurity_decrease = 10.0;
  const ForestModel model = train_or_die(config, iris);
  for (const detail::ForestTree& tree : model.data().trees) EXPECT_EQ(tree.node_count(), 1);
  for (double v : model.feature_importances()) EXPECT_EQ(v, 0.0);
}

TEST(ForestSemantics, MaxLeafNodesBoundsLeavesAndRegressionPredictsMeans) {
  const testing::Table diabetes = testing::read_fixture_csv("diabetes.csv");
  ForestConfig config = ForestConfig::defaults(ForestTask::kRegression);
  config.n_estimators = 30;  // few trees leave rows never out of bag (predicted 0)
  config.random_state = 9;
  config.max_leaf_nodes = 7;
  config.oob_score = true;
  const ForestModel model = train_or_die(config, diabetes);
  for (const detail::ForestTree& tree : model.data().trees) {
    int leaves = 0;
    for (int node = 0; node < tree.node_count(); ++node) leaves += tree.is_leaf(node);
    EXPECT_EQ(leaves, 7);
  }
  ASSERT_TRUE(model.oob_score());
  EXPECT_GT(*model.oob_score(), 0.0);
  auto pred = model.predict(diabetes.matrix());
  ASSERT_TRUE(pred);
  EXPECT_GT((*pred)[0], 25.0);
  EXPECT_LT((*pred)[0], 346.0);
}

TEST(ForestSemantics, RejectsNaNAndInfinityInFeatures) {
  testing::Table t;
  t.rows = 3;
  t.columns = 1;
  t.values = {1, std::nan(""), 2};
  t.y = {0, 1, 0};
  EXPECT_EQ(train_forest(classifier(2, 0), t.matrix(), t.y).status().code(), ErrorCode::kDataError);
  t.values = {1, 1e300, 2};  // too large for float32
  EXPECT_EQ(train_forest(classifier(2, 0), t.matrix(), t.y).status().code(), ErrorCode::kDataError);
}

TEST(ForestSemantics, ProgressCallbackCanCancel) {
  const testing::Table iris = testing::read_fixture_csv("iris.csv");
  int calls = 0;
  auto result = train_forest(classifier(20, 0), iris.matrix(), iris.y, {},
                             [&](const ForestProgressReport& report) {
                               ++calls;
                               EXPECT_EQ(report.n_estimators, 20);
                               EXPECT_TRUE(report.validation_output.empty());
                               return report.trees_done < 3;
                             });
  EXPECT_EQ(result.status().code(), ErrorCode::kCancelled);
  EXPECT_GE(calls, 3);
}

TEST(ForestSemantics, ProgressReportsTheForestSoFarOnValidationRows) {
  const testing::Table wine = testing::read_fixture_csv("wine.csv");
  ForestConfig config = classifier(12, 0);
  config.n_jobs = 2;
  const FeatureMatrix validation = wine.matrix();
  std::vector<double> last;
  int reports = 0;
  auto model = train_forest(
      config, wine.matrix(), wine.y, {},
      [&](const ForestProgressReport& report) {
        ++reports;
        EXPECT_EQ(report.validation_output.size(), static_cast<size_t>(wine.rows) * 3);
        last.assign(report.validation_output.begin(), report.validation_output.end());
        return true;
      },
      &validation);
  ASSERT_TRUE(model) << model.status().to_string();
  EXPECT_EQ(reports, 12);
  // After the last tree the running mean is the forest's own predict_proba (summed in the
  // order the trees finished, so equal up to rounding).
  auto proba = model->predict_proba(validation);
  ASSERT_TRUE(proba);
  ASSERT_EQ(last.size(), proba->size());
  for (size_t i = 0; i < last.size(); ++i) EXPECT_NEAR(last[i], (*proba)[i], 1e-12) << i;
}

TEST(ForestSemantics, EveryCriterionTrainsWithBootstrapWeightsAndRoundTrips) {
  const testing::Table counts = testing::read_fixture_csv("synthetic_counts.csv");
  const testing::Table wine = testing::read_fixture_csv("wine.csv");
  for (const char* criterion :
       {"squared_error", "friedman_mse", "absolute_error", "poisson", "gini", "entropy"}) {
    SCOPED_TRACE(criterion);
    const bool clf = std::string(criterion) == "gini" || std::string(criterion) == "entropy";
    ForestConfig config =
        ForestConfig::defaults(clf ? ForestTask::kClassification : ForestTask::kRegression);
    config.criterion = criterion;
    config.n_estimators = 5;
    config.random_state = 3;
    config.oob_score = true;
    config.ccp_alpha = clf ? 0.01 : 0.05;
    const testing::Table& t = clf ? wine : counts;
    const ForestModel model = train_or_die(config, t);
    ASSERT_EQ(model.num_trees(), 5);
    for (const detail::ForestTree& tree : model.data().trees) {
      EXPECT_GT(tree.node_count(), 1);
      for (int node = 0; node < tree.node_count(); ++node) {
        for (int k = 0; k < tree.value_width; ++k)
          EXPECT_TRUE(std::isfinite(tree.node_value(node)[k]));
      }
    }
    auto loaded = ForestModel::from_json(model.to_json());
    ASSERT_TRUE(loaded) << loaded.status().to_string();
    EXPECT_EQ(*loaded->predict(t.matrix()), *model.predict(t.matrix()));
  }
}

TEST(ForestConfigParsing, DefaultsFollowScikitLearnAndErrorsNameTheParameter) {
  auto clf = parse_forest_config(ForestTask::kClassification, "{}");
  ASSERT_TRUE(clf);
  EXPECT_EQ(clf->criterion, "gini");
  EXPECT_EQ(clf->max_features.kind, MaxFeatures::Kind::kSqrt);
  auto reg = parse_forest_config(ForestTask::kRegression, R"({"max_features": 1})");
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->criterion, "squared_error");
  EXPECT_EQ(reg->max_features.kind, MaxFeatures::Kind::kCount);  // int 1 = one feature
  auto frac = parse_forest_config(ForestTask::kRegression, R"({"max_features": 1.0})");
  EXPECT_EQ(frac->max_features.kind, MaxFeatures::Kind::kFraction);

  auto bad = parse_forest_config(ForestTask::kClassification, R"({"min_samples_split": 1})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(bad.status().message().find("min_samples_split"), std::string::npos);
  EXPECT_NE(bad.status().message().find("int >= 2"), std::string::npos);
  EXPECT_FALSE(parse_forest_config(ForestTask::kRegression, R"({"criterion": "gini"})"));
  EXPECT_FALSE(parse_forest_config(ForestTask::kClassification, R"({"max_depth": 0})"));
  EXPECT_FALSE(parse_forest_config(ForestTask::kClassification, R"({"bogus": 1})"));
  EXPECT_FALSE(parse_forest_config(ForestTask::kClassification, R"({"class_weight": "x"})"));
  ForestConfig config = ForestConfig::defaults(ForestTask::kClassification);
  EXPECT_TRUE(config.set("class_weight", R"({"0": 1.5, "1": 2})"));
  EXPECT_EQ(config.class_weight.weights.size(), 2u);
  EXPECT_FALSE(config.set("min_weight_fraction_leaf", "0.6"));

  ForestConfig oob = ForestConfig::defaults(ForestTask::kClassification);
  oob.bootstrap = false;
  oob.oob_score = true;
  const testing::Table iris = testing::read_fixture_csv("iris.csv");
  EXPECT_EQ(train_forest(oob, iris.matrix(), iris.y).status().code(), ErrorCode::kInvalidConfig);

  // "auto" is sqrt for classifiers in 1.2, with scikit-learn's FutureWarning.
  ForestConfig auto_features = classifier(2, 0);
  ASSERT_TRUE(auto_features.set("max_features", "\"auto\""));
  const ForestModel model = train_or_die(auto_features, iris);
  EXPECT_EQ(model.data().resolved.max_features, 2);
  ASSERT_EQ(model.warnings().size(), 1u);
  EXPECT_NE(model.warnings()[0].find("deprecated"), std::string::npos);
}

}  // namespace
}  // namespace traind::engines::trees
