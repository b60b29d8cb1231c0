// Tests of train_gbdt: determinism across thread counts (spec A.7.6) and the edge cases of
// A.7.8 (single-class binary, constant and all-NaN features, num_iterations=0, max_depth
// without num_leaves, early-stopping truncation, the cancel callback).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/fixture_training_for_tests.h"

namespace traind::engines::trees {
namespace {

std::string without_num_threads_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("[num_threads:", 0) == 0) continue;
    out += line + '\n';
  }
  return out;
}

TEST(GbdtBooster, ModelIsByteIdenticalForAnyThreadCount) {
  for (const std::string dataset : {"binary", "categorical"}) {
    std::vector<std::string> texts;
    for (const char* threads : {"1", "2", "0"}) {
      auto models = testing::train_fixture(dataset, "defaults", {{"num_threads", threads}});
      texts.push_back(without_num_threads_line(models.trained.to_text()));
    }
    EXPECT_TRUE(texts[0] == texts[1]) << dataset;
    EXPECT_TRUE(texts[0] == texts[2]) << dataset;
  }
}

TEST(GbdtBooster, LargeDataUsesParallelHistogramsAndStaysByteIdentical) {
  // Enough rows that histograms are built by several tasks.
  const int64_t rows = 30000;
  const int columns = 8;
  std::vector<double> values(rows * columns);
  std::vector<float> labels(rows);
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int64_t i = 0; i < rows; ++i) {
    double y = 0;
    for (int c = 0; c < columns; ++c) {
      const double v = next();
      values[c * rows + i] = c == 3 && v < 0.1 ? std::numeric_limits<double>::quiet_NaN() : v;
      y += (c + 1) * v * (c % 2 ? 1 : -1);
    }
    labels[i] = static_cast<float>(y + next());
  }
  const GbdtDataset data{FeatureMatrix{values.data(), rows, columns}, labels, {}};
  std::vector<std::string> texts;
  for (const char* threads : {"1", "2", "3"}) {
    auto config = parse_gbdt_config({{"num_iterations", "8"}, {"num_threads", threads}}, nullptr);
    ASSERT_TRUE(config.is_ok());
    auto model = train_gbdt(*config, data, nullptr);
    ASSERT_TRUE(model.is_ok()) << model.status().to_string();
    texts.push_back(without_num_threads_line(model->to_text()));
  }
  EXPECT_TRUE(texts[0] == texts[1]);
  EXPECT_TRUE(texts[0] == texts[2]);
}

TEST(GbdtBooster, BaggingAndFeatureFractionAreDeterministicAcrossThreads) {
  const GbdtParameterList extra = {{"bagging_fraction", "0.5"},
                                   {"bagging_freq", "2"},
                                   {"feature_fraction", "0.5"},
                                   {"num_iterations", "20"}};
  auto a = testing::train_fixture("regression", "defaults", extra);
  GbdtParameterList extra2 = extra;
  extra2.emplace_back("num_threads", "2");
  auto b = testing::train_fixture("regression", "defaults", extra2);
  EXPECT_TRUE(without_num_threads_line(a.trained.to_text()) ==
              without_num_threads_line(b.trained.to_text()));
}

// A small synthetic regression set: y = 3·[x0 > 0.5] + x0 + noise-free extras.
struct SmallData {
  std::vector<double> values;
  std::vector<float> labels;
  int64_t rows = 0;
  int columns = 0;
  FeatureMatrix matrix() const { return {values.data(), rows, columns}; }
  GbdtDataset dataset() const { return {matrix(), labels, {}}; }
};

SmallData make_data(int64_t rows, bool binary_labels, float constant_label = -1) {
  SmallData d;
  d.rows = rows;
  d.columns = 3;
  d.values.resize(rows * 3);
  d.labels.resize(rows);
  for (int64_t i = 0; i < rows; ++i) {
    const double x0 = static_cast<double>((i * 7919) % rows) / rows;
    d.values[i] = x0;                                                   // informative
    d.values[rows + i] = 5.0;                                           // constant
    d.values[2 * rows + i] = std::numeric_limits<double>::quiet_NaN();  // all missing
    const double y = 3.0 * (x0 > 0.5) + x0;
    d.labels[i] = constant_label >= 0
                      ? constant_label
                      : (binary_labels ? (y > 2.0 ? 1.0f : 0.0f) : static_cast<float>(y));
  }
  return d;
}

GbdtConfig config_of(const GbdtParameterList& params) {
  auto config = parse_gbdt_config(params, nullptr);
  EXPECT_TRUE(config.is_ok()) << config.status().to_string();
  return *config;
}

TEST(GbdtBooster, ConstantAndAllNanFeaturesAreUnusedButRecorded) {
  const SmallData d = make_data(500, false);
  auto model = train_gbdt(config_of({{"num_iterations", "5"}}), d.dataset(), nullptr);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const auto& data = model->data();
  EXPECT_EQ(data.feature_infos[1], "none");
  EXPECT_EQ(data.feature_infos[2], "none");
  for (const auto& tree : data.trees) {
    for (int f : tree.split_feature) EXPECT_EQ(f, 0);
  }
  EXPECT_EQ(model->num_iterations(), 5);
}

TEST(GbdtBooster, SingleClassBinaryGivesOneConstantTree) {
  const SmallData d = make_data(200, true, 1.0f);
  auto model = train_gbdt(config_of({{"objective", "binary"}}), d.dataset(), nullptr);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ASSERT_EQ(model->data().trees.size(), 1u);
  const auto& tree = model->data().trees[0];
  EXPECT_EQ(tree.num_leaves, 1);
  EXPECT_GT(tree.leaf_value[0], 30.0);  // log((1-kEps)/kEps): the clipped prior
  EXPECT_EQ(tree.leaf_count[0], 200);
  EXPECT_EQ(model->data().iterations_trained, 1);
}

TEST(GbdtBooster, ZeroIterationsGiveAnEmptyModel) {
  const SmallData d = make_data(100, false);
  auto model = train_gbdt(config_of({{"num_iterations", "0"}}), d.dataset(), nullptr);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(model->num_iterations(), 0);
  EXPECT_TRUE(model->data().trees.empty());
  EXPECT_NE(model->to_text().find("end of trees"), std::string::npos);
}

int depth_of(const detail::Tree& tree, int node) {
  if (node < 0) return 0;
  return 1 +
         std::max(depth_of(tree, tree.left_child[node]), depth_of(tree, tree.right_child[node]));
}

TEST(GbdtBooster, MaxDepthWithoutNumLeavesBoundsTrees) {
  const SmallData d = make_data(2000, false);
  auto model = train_gbdt(
      config_of({{"max_depth", "2"}, {"num_iterations", "10"}, {"min_data_in_leaf", "5"}}),
      d.dataset(), nullptr);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  bool some_full = false;
  for (const auto& tree : model->data().trees) {
    EXPECT_LE(tree.num_leaves, 4);
    if (tree.num_leaves > 1) {
      EXPECT_LE(depth_of(tree, 0), 2);
    }
    some_full = some_full || tree.num_leaves == 4;
  }
  EXPECT_TRUE(some_full);
}

TEST(GbdtBooster, EarlyStoppingTruncatesToBestIteration) {
  // binary/deterministic: LightGBM stopped after 48 iterations and kept the best, 38.
  auto models = testing::train_fixture("binary", "deterministic");
  EXPECT_EQ(models.trained.data().iterations_trained, 48);
  EXPECT_EQ(models.trained.best_iteration(), 38);
  EXPECT_EQ(models.trained.num_iterations(), 38);
}

TEST(GbdtBooster, CallbackFalseStopsTraining) {
  const SmallData d = make_data(300, false);
  int calls = 0;
  auto model = train_gbdt(config_of({{"num_iterations", "50"}}), d.dataset(), nullptr, {},
                          [&](const GbdtIterationReport& report) {
                            ++calls;
                            EXPECT_EQ(report.iteration, calls);
                            EXPECT_EQ(report.metric_name, "l2");
                            return report.iteration < 3;
                          });
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(model->num_iterations(), 3);
}

TEST(GbdtBooster, ReportsValidationMetricEachIteration) {
  const SmallData train = make_data(400, false);
  const SmallData valid = make_data(100, false);
  const GbdtDataset valid_set = valid.dataset();
  std::vector<double> metrics;
  auto model = train_gbdt(config_of({{"num_iterations", "5"}}), train.dataset(), &valid_set, {},
                          [&](const GbdtIterationReport& report) {
                            EXPECT_TRUE(report.validation_metric.has_value());
                            metrics.push_back(report.validation_metric.value_or(0));
                            return true;
                          });
  ASSERT_TRUE(model.is_ok());
  ASSERT_EQ(metrics.size(), 5u);
  EXPECT_LT(metrics.back(), metrics.front());
}

TEST(GbdtBooster, RejectsMismatchedLabelsAndEarlyStoppingWithoutValidation) {
  SmallData d = make_data(50, false);
  d.labels.pop_back();
  EXPECT_FALSE(train_gbdt(GbdtConfig{}, d.dataset(), nullptr).is_ok());
  const SmallData ok = make_data(50, false);
  auto result = train_gbdt(config_of({{"early_stopping_round", "3"}}), ok.dataset(), nullptr);
  ASSERT_FALSE(result.is_ok());
  EXPECT_NE(result.status().message().find("early_stopping_round"), std::string::npos);
}

TEST(GbdtBooster, GossSamplesAfterWarmupAndLearns) {
  const SmallData train = make_data(3000, true);
  std::vector<std::string> texts;
  for (const char* threads : {"1", "2"}) {
    auto model = train_gbdt(config_of({{"boosting", "goss"},
                                       {"num_iterations", "15"},
                                       {"learning_rate", "0.2"},
                                       {"objective", "binary"},
                                       {"num_threads", threads}}),
                            train.dataset(), nullptr);
    ASSERT_TRUE(model.is_ok()) << model.status().to_string();
    const auto& trees = model->data().trees;
    ASSERT_EQ(trees.size(), 15u);
    // Warm-up (iterations < 1/learning_rate = 5) uses every row; later trees the top 20 %
    // (more when rows tie at the cut, as in LightGBM) plus 10 % of the others.
    ASSERT_GT(trees[5].num_leaves, 1);
    EXPECT_EQ(trees[4].internal_count[0], 3000);
    EXPECT_GE(trees[5].internal_count[0], 600 + 300);
    EXPECT_LT(trees[5].internal_count[0], 3000);
    texts.push_back(without_num_threads_line(model->to_text()));
  }
  EXPECT_TRUE(texts[0] == texts[1]);
  EXPECT_FALSE(
      train_gbdt(
          config_of({{"boosting", "goss"}, {"bagging_freq", "1"}, {"bagging_fraction", "0.5"}}),
          train.dataset(), nullptr)
          .is_ok());
}

TEST(GbdtBooster, FeatureNamesAreSanitisedOrRejected) {
  const SmallData d = make_data(60, false);
  const GbdtConfig config = config_of({{"num_iterations", "1"}});
  auto model = train_gbdt(config, d.dataset(), nullptr, {"a b", "c", "d"});
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(model->feature_names()[0], "a_b");
  EXPECT_FALSE(train_gbdt(config, d.dataset(), nullptr, {"a:b", "c", "d"}).is_ok());
  EXPECT_FALSE(train_gbdt(config, d.dataset(), nullptr, {"x", "x", "d"}).is_ok());
  EXPECT_FALSE(train_gbdt(config, d.dataset(), nullptr, {"x", "y"}).is_ok());
}

}  // namespace
}  // namespace traind::engines::trees
