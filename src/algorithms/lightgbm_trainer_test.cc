// Tests of the "lightgbm" adapter (LightGBM parameter names and aliases, model.txt artifact,
// progress, early stopping, importance) on top of the tree engine (engines/trees/gbdt.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "algorithms/lightgbm_model.h"
#include "algorithms/registry.h"
#include "algorithms/synthetic_datasets_for_tests.h"
#include "algorithms/trainer.h"
#include "engines/trees/gbdt/gbdt_model_data.h"

namespace traind::algorithms {
namespace {

using testing::accuracy;
using testing::make_dataset;
using testing::TempDir;

const AlgorithmSpec& spec() { return *find_algorithm("lightgbm"); }

using testing::classification;
using testing::regression;
using testing::smooth_target;
using testing::three_bands;
using testing::threshold_rule;

std::unique_ptr<Model> train_or_die(const Dataset& train, const Dataset* valid,
                                    const TrainOptions& options) {
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(train, valid, options);
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : nullptr;
}

Status train_error(const Dataset& train, const Dataset* valid, const TrainOptions& options) {
  Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(train, valid, options);
  return m.is_ok() ? Status::ok() : m.status();
}

const engines::trees::GbdtModel& gbdt_of(const Model& model) {
  return dynamic_cast<const LightgbmModel&>(model).gbdt();
}

std::string model_text(const Model& model) { return gbdt_of(model).to_text(); }

// LightGBM writes num_threads into the parameters section; everything else must not depend
// on it (spec A.7 determinism check).
std::string without_num_threads_line(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("[num_threads:", 0) == 0) continue;
    out += line + '\n';
  }
  return out;
}

TEST(LightgbmTrainer, LearnsNoiseFreeThresholdRule) {
  Dataset train = threshold_rule(1000, 1);
  Dataset test = threshold_rule(500, 2);
  auto model = train_or_die(train, nullptr, classification(2, {{"num_iterations", 30}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 2);
  EXPECT_GT(accuracy(*p, test.y, 2), 0.97);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[2 * r] + (*p)[2 * r + 1], 1.0, 1e-12);
    // Column 1 is P(class 1): rows far above the threshold must lean to it.
    if (test.x.row(r)[0] > 0.5f) {
      EXPECT_GT((*p)[2 * r + 1], 0.9) << r;
    }
    if (test.x.row(r)[0] < -0.1f) {
      EXPECT_LT((*p)[2 * r + 1], 0.1) << r;
    }
  }
  const nlohmann::json meta = model->metadata();
  EXPECT_EQ(meta["type"], "LGBMClassifier");
  EXPECT_EQ(meta["architecture"], "gradient_boosted_trees");
  EXPECT_EQ(meta["num_iterations"], 30);
  EXPECT_EQ(std::string(gbdt_of(*model).objective()).rfind("binary", 0), 0u);
}

TEST(LightgbmTrainer, MulticlassProbabilitiesSumToOneInClassIndexOrder) {
  Dataset train = three_bands(900, 4);
  Dataset test = three_bands(300, 5);
  auto model = train_or_die(train, nullptr, classification(3, {{"num_iterations", 20}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(gbdt_of(*model).num_class(), 3);
  EXPECT_EQ(std::string(gbdt_of(*model).objective()).rfind("multiclass", 0), 0u);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 3);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[3 * r] + (*p)[3 * r + 1] + (*p)[3 * r + 2], 1.0, 1e-9);
  }
  // Column k is class index k: a row deep in each band gets that band's column.
  Matrix probes{.values = {0.0f, -0.9f, 0.0f, 0.0f, 0.0f, 0.9f}, .rows = 3, .cols = 2};
  Result<std::vector<double>> q = model->predict(probes);
  ASSERT_TRUE(q.is_ok());
  for (int k = 0; k < 3; ++k) {
    const auto begin = q->begin() + 3 * k;
    EXPECT_EQ(std::max_element(begin, begin + 3) - begin, k) << "probe of class " << k;
  }
  EXPECT_GT(accuracy(*p, test.y, 3), 0.95);
}

// The split may leave a class out of the training part: its column stays, near zero.
TEST(LightgbmTrainer, ClassAbsentFromTrainingKeepsItsColumn) {
  Dataset train = make_dataset(600, 2, 40, [](const float* x, std::mt19937&) {
    return x[0] > 0.0f ? 3.0f : 1.0f;  // classes 1 and 3 of 0..3
  });
  auto model = train_or_die(train, nullptr, classification(4, {{"num_iterations", 20}}));
  ASSERT_NE(model, nullptr);
  Matrix probes{.values = {-0.8f, 0.0f, 0.8f, 0.0f}, .rows = 2, .cols = 2};
  Result<std::vector<double>> p = model->predict(probes);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), 8u);
  for (double v : *p) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR((*p)[0] + (*p)[1] + (*p)[2] + (*p)[3], 1.0, 1e-9);
  EXPECT_GT((*p)[1], 0.8);  // x0 < 0 -> class 1
  EXPECT_GT((*p)[7], 0.8);  // x0 > 0 -> class 3
  EXPECT_LT((*p)[0], 0.05);
  EXPECT_LT((*p)[2], 0.05);
}

TEST(LightgbmTrainer, RegressionBeatsTheMeanPredictor) {
  Dataset train = smooth_target(800, 6);
  Dataset test = smooth_target(300, 7);
  auto model = train_or_die(train, nullptr, regression({{"num_iterations", 100}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows);
  const double mean = std::accumulate(train.y.begin(), train.y.end(), 0.0) / train.y.size();
  double model_se = 0, mean_se = 0;
  for (size_t r = 0; r < test.x.rows; ++r) {
    model_se += ((*p)[r] - test.y[r]) * ((*p)[r] - test.y[r]);
    mean_se += (mean - test.y[r]) * (mean - test.y[r]);
  }
  EXPECT_LT(model_se, 0.1 * mean_se);
  const nlohmann::json meta = model->metadata();
  EXPECT_EQ(meta["type"], "LGBMRegressor");
  EXPECT_EQ(meta["task"], "regression");
  EXPECT_EQ(meta["objective"], "regression");
}

TEST(LightgbmTrainer, RegressionObjectiveAliasesAndL1Huber) {
  Dataset train = smooth_target(400, 8);
  for (const char* objective : {"regression_l1", "huber", "l2", "mse", "rmse", "mae"}) {
    Result<std::unique_ptr<Model>> m = spec().make_trainer()->train(
        train, nullptr, regression({{"num_iterations", 5}, {"objective", objective}}));
    ASSERT_TRUE(m.is_ok()) << objective << ": " << m.status().to_string();
    Result<std::vector<double>> p = (*m)->predict(train.x);
    ASSERT_TRUE(p.is_ok());
    for (double v : *p) ASSERT_TRUE(std::isfinite(v)) << objective;
  }
}

// Missing values are routed by the learned default direction: here NaN means class 1.
TEST(LightgbmTrainer, LearnsWhereMissingValuesGo) {
  Dataset train = make_dataset(1200, 2, 9, [](const float*, std::mt19937&) { return 0.0f; });
  for (size_t r = 0; r < train.x.rows; ++r) {
    float* row = train.x.values.data() + r * 2;
    if (r % 4 == 0) row[0] = NAN;
    train.y[r] = (std::isnan(row[0]) || row[0] > 0.5f) ? 1.0f : 0.0f;
  }
  auto model = train_or_die(train, nullptr, classification(2, {{"num_iterations", 30}}));
  ASSERT_NE(model, nullptr);
  Matrix probes{.values = {NAN, 0.3f, NAN, -0.7f, -0.5f, 0.0f, 0.9f, 0.0f}, .rows = 4, .cols = 2};
  Result<std::vector<double>> p = model->predict(probes);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_GT((*p)[1], 0.9);  // NaN -> class 1
  EXPECT_GT((*p)[3], 0.9);
  EXPECT_LT((*p)[5], 0.1);  // -0.5 -> class 0
  EXPECT_GT((*p)[7], 0.9);  // 0.9 -> class 1
  Result<std::vector<double>> all = model->predict(train.x);
  ASSERT_TRUE(all.is_ok());
  EXPECT_GT(accuracy(*all, train.y, 2), 0.99);
}

TEST(LightgbmTrainer, SavedModelTextLoadsWithIdenticalPredictions) {
  Dataset train = three_bands(500, 10);
  Dataset valid = three_bands(200, 11);
  train.x.values[7] = NAN;
  auto model = train_or_die(
      train, &valid, classification(3, {{"num_iterations", 15}, {"importance_type", "gain"}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  EXPECT_EQ(model->artifact_file(), "model.txt");
  std::ifstream artifact(dir.path() + "/model.txt", std::ios::binary);
  std::stringstream text;
  text << artifact.rdbuf();
  EXPECT_EQ(text.str().rfind("tree\nversion=v4\n", 0), 0u);
  EXPECT_NE(text.str().find("feature_names=x0 x1\n"), std::string::npos);
  EXPECT_EQ(text.str(), model_text(*model));

  // The metadata goes through JSON text in the service (model_meta.json).
  const nlohmann::json meta = nlohmann::json::parse(model->metadata().dump());
  Result<std::unique_ptr<Model>> loaded = spec().load_model(dir.path(), meta);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Matrix probes = valid.x;
  probes.values[0] = NAN;
  Result<std::vector<double>> before = model->predict(probes);
  Result<std::vector<double>> after = (*loaded)->predict(probes);
  ASSERT_TRUE(before.is_ok());
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(*before, *after);
  EXPECT_EQ((*loaded)->importance_type(), "gain");
  const std::vector<double> a = model->feature_importance(), b = (*loaded)->feature_importance();
  ASSERT_EQ(a.size(), b.size());
  // Gains are printed with 6 significant digits in the file (LightGBM does the same).
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5 * std::max(1.0, a[i]));
  EXPECT_EQ((*loaded)->metadata()["num_iterations"], model->metadata()["num_iterations"]);
  EXPECT_EQ((*loaded)->metadata()["type"], "LGBMClassifier");
  EXPECT_EQ(model_text(**loaded), model_text(*model));
}

TEST(LightgbmTrainer, BinaryAndRegressionModelsRoundTripToo) {
  TempDir binary_dir, regression_dir;
  Dataset binary = threshold_rule(300, 12);
  auto b = train_or_die(binary, nullptr, classification(2, {{"num_iterations", 5}}));
  Dataset numeric = smooth_target(300, 13);
  auto r = train_or_die(numeric, nullptr, regression({{"num_iterations", 5}}));
  ASSERT_NE(b, nullptr);
  ASSERT_NE(r, nullptr);
  ASSERT_TRUE(b->save(binary_dir.path()).is_ok());
  ASSERT_TRUE(r->save(regression_dir.path()).is_ok());
  auto lb = spec().load_model(binary_dir.path(), nlohmann::json::parse(b->metadata().dump()));
  auto lr = spec().load_model(regression_dir.path(), nlohmann::json::parse(r->metadata().dump()));
  ASSERT_TRUE(lb.is_ok()) << lb.status().to_string();
  ASSERT_TRUE(lr.is_ok()) << lr.status().to_string();
  EXPECT_EQ(*(*lb)->predict(binary.x), *b->predict(binary.x));
  EXPECT_EQ((*lb)->predict(binary.x)->size(), binary.x.rows * 2);
  EXPECT_EQ(*(*lr)->predict(numeric.x), *r->predict(numeric.x));
  EXPECT_EQ((*lr)->metadata()["type"], "LGBMRegressor");
}

TEST(LightgbmTrainer, LoadWithoutModelFileIsNotFound) {
  TempDir dir;
  auto loaded = spec().load_model(dir.path(), {{"task", "classification"}, {"num_classes", 2}});
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kNotFound);
}

TEST(LightgbmTrainer, ReportsValidMetricEachIterationAndStopsWhenAsked) {
  Dataset train = threshold_rule(400, 14);
  Dataset valid = threshold_rule(200, 15);
  TrainOptions o = classification(2, {{"num_iterations", 50}});
  std::vector<IterationReport> reports;
  o.on_iteration = [&](const IterationReport& r) {
    reports.push_back(r);
    return r.iteration < 6;
  };
  auto model = train_or_die(train, &valid, o);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(reports.size(), 6u);
  for (size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].iteration, static_cast<int>(i) + 1);
    EXPECT_EQ(reports[i].total_iterations, 50);
    ASSERT_TRUE(reports[i].metrics.count("valid_binary_logloss")) << i;
    EXPECT_TRUE(std::isfinite(reports[i].metrics.at("valid_binary_logloss")));
  }
  EXPECT_LT(reports[5].metrics["valid_binary_logloss"], reports[0].metrics["valid_binary_logloss"]);
  EXPECT_EQ(model->metadata()["num_iterations"], 6);
  EXPECT_EQ(gbdt_of(*model).data().trees.size(), 6u);
}

TEST(LightgbmTrainer, MetricNamesFollowTheObjective) {
  auto metric_keys = [](const Dataset& train, const Dataset& valid, TrainOptions o) {
    std::set<std::string> keys;
    o.on_iteration = [&keys](const IterationReport& r) {
      for (const auto& [k, v] : r.metrics) keys.insert(k);
      return true;
    };
    EXPECT_TRUE(spec().make_trainer()->train(train, &valid, o).is_ok());
    return keys;
  };
  EXPECT_EQ(metric_keys(three_bands(200, 16), three_bands(100, 17),
                        classification(3, {{"num_iterations", 2}})),
            std::set<std::string>{"valid_multi_logloss"});
  EXPECT_EQ(metric_keys(smooth_target(200, 18), smooth_target(100, 19),
                        regression({{"num_iterations", 2}})),
            std::set<std::string>{"valid_l2"});
}

TEST(LightgbmTrainer, WithoutValidationSetReportsProgressWithoutMetrics) {
  Dataset train = threshold_rule(200, 20);
  TrainOptions o = classification(2, {{"num_iterations", 4}});
  int calls = 0;
  o.on_iteration = [&](const IterationReport& r) {
    ++calls;
    EXPECT_TRUE(r.metrics.empty());
    return true;
  };
  ASSERT_NE(train_or_die(train, nullptr, o), nullptr);
  EXPECT_EQ(calls, 4);
}

TEST(LightgbmTrainer, EarlyStoppingTruncatesToTheBestIteration) {
  // Labels are coin flips: the validation loss soon only gets worse.
  auto coin = [](const float*, std::mt19937& rng) {
    return std::bernoulli_distribution(0.5)(rng) ? 1.0f : 0.0f;
  };
  Dataset train = make_dataset(400, 5, 21, coin);
  Dataset valid = make_dataset(200, 5, 22, coin);
  TrainOptions o = classification(
      2, {{"n_estimators", 300}, {"min_child_samples", 2}, {"early_stopping_rounds", 5}});
  int reported = 0;
  o.on_iteration = [&](const IterationReport&) {
    ++reported;
    return true;
  };
  auto model = train_or_die(train, &valid, o);
  ASSERT_NE(model, nullptr);
  const nlohmann::json meta = model->metadata();
  const int best = meta["best_iteration"].get<int>();
  EXPECT_GE(best, 1);
  EXPECT_LT(reported, 300);
  // LightGBM stops `early_stopping_round` iterations after the best and keeps up to the best.
  EXPECT_EQ(reported, best + 5);
  EXPECT_EQ(meta["num_iterations"].get<int>(), best);
  EXPECT_EQ(gbdt_of(*model).data().trees.size(), static_cast<size_t>(best));
}

TEST(LightgbmTrainer, EarlyStoppingWithoutValidationSetIsAConfigError) {
  Status st = train_error(threshold_rule(100, 23), nullptr,
                          classification(2, {{"early_stopping_round", 3}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(st.message().find("early_stopping_round"), std::string::npos) << st.message();
}

TEST(LightgbmTrainer, ScikitLearnStyleAliasesReachTheEngine) {
  Dataset train = threshold_rule(300, 24);
  auto model = train_or_die(train, nullptr,
                            classification(2, {{"n_estimators", 7},
                                               {"reg_lambda", 3.5},
                                               {"colsample_bytree", 0.5},
                                               {"random_state", 42},
                                               {"min_child_samples", 11},
                                               {"subsample", 0.8},
                                               {"subsample_freq", 1}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->metadata()["num_iterations"], 7);
  EXPECT_EQ(gbdt_of(*model).data().trees.size(), 7u);
  const std::string text = model_text(*model);
  for (const char* line :
       {"[num_iterations: 7]", "[lambda_l2: 3.5]", "[feature_fraction: 0.5]", "[seed: 42]",
        "[min_data_in_leaf: 11]", "[bagging_fraction: 0.8]", "[bagging_freq: 1]",
        // seed 42 derives LightGBM's other seeds (spec A.2 test vector).
        "[bagging_seed: 400]", "[feature_fraction_seed: 30056]"}) {
    EXPECT_NE(text.find(std::string(line) + "\n"), std::string::npos) << line;
  }
}

TEST(LightgbmTrainer, UnknownHyperparameterIsAConfigError) {
  Status st =
      train_error(threshold_rule(100, 25), nullptr, classification(2, {{"num_leaf_nodes", 3}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
}

TEST(LightgbmTrainer, NumLeavesBelowTwoIsAConfigError) {
  Status st = train_error(threshold_rule(100, 26), nullptr, classification(2, {{"num_leaves", 1}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
}

int max_leaves(const Model& model) {
  int most = 0;
  for (const auto& tree : gbdt_of(model).data().trees) most = std::max(most, tree.num_leaves);
  return most;
}

TEST(LightgbmTrainer, MaxDepthWithoutNumLeavesGivesMinOf31AndTwoToTheDepth) {
  Dataset train = smooth_target(2000, 27);
  const auto leaves_with = [&](nlohmann::json hp) {
    hp["num_iterations"] = 5;
    hp["min_data_in_leaf"] = 1;
    auto model = train_or_die(train, nullptr, regression(hp));
    return model ? std::make_pair(max_leaves(*model), model_text(*model))
                 : std::make_pair(0, std::string());
  };
  auto [depth2, text2] = leaves_with({{"max_depth", 2}});
  EXPECT_EQ(depth2, 4);
  EXPECT_NE(text2.find("[num_leaves: 4]\n"), std::string::npos);
  auto [depth3, text3] = leaves_with({{"max_depth", 3}});
  EXPECT_EQ(depth3, 8);
  auto [depth6, text6] = leaves_with({{"max_depth", 6}});
  EXPECT_EQ(depth6, 31);
  EXPECT_NE(text6.find("[num_leaves: 31]\n"), std::string::npos);
  auto [unlimited, text_unlimited] = leaves_with({});
  EXPECT_EQ(unlimited, 31);
  // An explicit num_leaves wins over the depth rule (LightGBM only fills it when unset).
  auto [explicit_leaves, text_explicit] = leaves_with({{"max_depth", 3}, {"num_leaves", 5}});
  EXPECT_EQ(explicit_leaves, 5);
}

TEST(LightgbmTrainer, ObjectiveThatDoesNotFitTheTaskIsAClearConfigError) {
  struct Case {
    TrainOptions options;
    Dataset data;
  };
  const Dataset binary = threshold_rule(100, 28);
  const Dataset bands = three_bands(100, 29);
  const Dataset numeric = smooth_target(100, 30);
  const std::vector<Case> cases = {
      {classification(2, {{"objective", "regression"}}), binary},
      {classification(2, {{"objective", "multiclass"}}), binary},
      {classification(3, {{"objective", "binary"}}), bands},
      {classification(3, {{"objective", "huber"}}), bands},
      {regression({{"objective", "binary"}}), numeric},
      {regression({{"objective", "softmax"}}), numeric},
  };
  for (const Case& c : cases) {
    Status st = train_error(c.data, nullptr, c.options);
    ASSERT_FALSE(st.is_ok()) << c.options.hyperparameters.dump();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig) << st.to_string();
    EXPECT_NE(st.message().find("objective"), std::string::npos) << st.message();
  }
  // The right objective given explicitly is fine, by its name or an alias.
  EXPECT_TRUE(train_error(binary, nullptr,
                          classification(2, {{"objective", "binary"}, {"num_iterations", 2}}))
                  .is_ok());
  EXPECT_TRUE(train_error(bands, nullptr,
                          classification(3, {{"objective", "softmax"}, {"num_iterations", 2}}))
                  .is_ok());
}

TEST(LightgbmTrainer, SplitAndGainImportanceFavourTheRuleColumn) {
  Dataset train = threshold_rule(1000, 31);
  // Column 2 is constant: no tree can split on it.
  for (size_t r = 0; r < train.x.rows; ++r) train.x.values[r * 3 + 2] = 0.5f;
  auto split = train_or_die(train, nullptr, classification(2, {{"num_iterations", 10}}));
  auto gain = train_or_die(
      train, nullptr, classification(2, {{"num_iterations", 10}, {"importance_type", "gain"}}));
  ASSERT_NE(split, nullptr);
  ASSERT_NE(gain, nullptr);
  EXPECT_EQ(split->importance_type(), "split");
  EXPECT_EQ(gain->importance_type(), "gain");
  const std::vector<double> s = split->feature_importance(), g = gain->feature_importance();
  ASSERT_EQ(s.size(), 3u);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(s[2], 0.0);
  EXPECT_EQ(g[2], 0.0);
  EXPECT_GT(s[0], 0.0);
  EXPECT_EQ(s[0], std::round(s[0]));  // split counts are whole numbers
  EXPECT_GT(g[0], 10.0 * g[1]);
  // The same trees either way; only the measure differs.
  EXPECT_EQ(s, gbdt_of(*gain).feature_importance(engines::trees::GbdtImportanceType::kSplit));
}

TEST(LightgbmTrainer, PermutationImportanceIsLargestForTheRuleAndNearZeroForNoise) {
  auto rule = [](const float* x, std::mt19937&) { return x[1] > 0.0f ? 1.0f : 0.0f; };
  Dataset train = make_dataset(1500, 3, 32, rule);
  Dataset test = make_dataset(600, 3, 33, rule);
  TrainOptions o = classification(2, {{"num_iterations", 30}, {"importance_type", "permutation"}});
  o.seed = 5;
  auto model = train_or_die(train, &test, o);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->importance_type(), "permutation_accuracy");
  const std::vector<double> imp = model->feature_importance();
  ASSERT_EQ(imp.size(), 3u);
  // Shuffling the rule's column halves accuracy; the noise columns hardly matter.
  EXPECT_GT(imp[1], 0.3);
  EXPECT_LT(imp[0], 0.02);
  EXPECT_LT(imp[2], 0.02);
  for (double v : imp) EXPECT_GE(v, 0.0);

  TrainOptions r = regression({{"num_iterations", 30}, {"importance_type", "permutation"}});
  auto reg = train_or_die(smooth_target(800, 34), nullptr, r);
  ASSERT_NE(reg, nullptr);
  // Without a held-out part there is nothing to permute on: split counts instead.
  EXPECT_EQ(reg->importance_type(), "split");
  Dataset reg_test = smooth_target(300, 35);
  auto reg_perm = train_or_die(smooth_target(800, 34), &reg_test, r);
  ASSERT_NE(reg_perm, nullptr);
  EXPECT_EQ(reg_perm->importance_type(), "permutation_r2");
  const std::vector<double> ri = reg_perm->feature_importance();
  EXPECT_GT(ri[0], ri[1]);
  EXPECT_GT(ri[1], ri[2]);
  EXPECT_LT(ri[2], 0.02);
}

TEST(LightgbmTrainer, SameSeedGivesIdenticalModelTextForOneAndTwoThreads) {
  Dataset train = three_bands(800, 36);
  train.x.values[5] = NAN;
  const nlohmann::json hp = {{"num_iterations", 10},    {"seed", 7},
                             {"feature_fraction", 0.5}, {"bagging_fraction", 0.7},
                             {"bagging_freq", 1},       {"num_leaves", 7}};
  std::vector<std::string> texts;
  for (int threads : {1, 2, 1}) {
    TrainOptions o = classification(3, hp);
    o.threads = threads;
    auto model = train_or_die(train, nullptr, o);
    ASSERT_NE(model, nullptr);
    TempDir dir;
    ASSERT_TRUE(model->save(dir.path()).is_ok());
    std::ifstream in(dir.path() + "/model.txt", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  EXPECT_EQ(texts[0], texts[2]);  // byte-identical, run to run
  EXPECT_EQ(without_num_threads_line(texts[0]), without_num_threads_line(texts[1]));
  // A different seed draws other bags and features.
  TrainOptions other = classification(3, hp);
  other.hyperparameters["seed"] = 8;
  auto model = train_or_die(train, nullptr, other);
  ASSERT_NE(model, nullptr);
  EXPECT_NE(without_num_threads_line(model_text(*model)), without_num_threads_line(texts[0]));
}

TEST(LightgbmTrainer, ZeroRowsAndBadLabelsAreDataErrors) {
  Dataset empty;
  empty.x.cols = 3;
  empty.feature_names = {"a", "b", "c"};
  Status st = train_error(empty, nullptr, classification(2));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kDataError);
  Dataset train = threshold_rule(50, 37);
  train.y[3] = 2.0f;
  st = train_error(train, nullptr, classification(2));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kDataError);
}

TEST(LightgbmTrainer, PredictRefusesWrongColumnCount) {
  auto model =
      train_or_die(threshold_rule(100, 38), nullptr, classification(2, {{"num_iterations", 2}}));
  ASSERT_NE(model, nullptr);
  Matrix two_columns{.values = {0.1f, 0.2f}, .rows = 1, .cols = 2};
  EXPECT_FALSE(model->predict(two_columns).is_ok());
}

}  // namespace
}  // namespace traind::algorithms
