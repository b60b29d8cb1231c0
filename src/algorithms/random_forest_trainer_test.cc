// Tests of the "random_forest" adapter (scikit-learn parameter names and types, model.rf.json
// artifact, per-tree progress, seeds, importance) on top of the tree engine
// (engines/trees/forest.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "algorithms/random_forest_model.h"
#include "algorithms/registry.h"
#include "algorithms/synthetic_datasets_for_tests.h"
#include "algorithms/trainer.h"
#include "engines/trees/forest/forest_model_data.h"

namespace traind::algorithms {
namespace {

using testing::accuracy;
using testing::make_dataset;
using testing::TempDir;

const AlgorithmSpec& spec() { return *find_algorithm("random_forest"); }

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

const engines::trees::ForestModel& forest_of(const Model& model) {
  return dynamic_cast<const RandomForestModel&>(model).forest();
}

std::string saved_json(const Model& model) {
  TempDir dir;
  EXPECT_TRUE(model.save(dir.path()).is_ok());
  std::ifstream in(dir.path() + "/model.rf.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RandomForestTrainer, LearnsNoiseFreeThresholdRule) {
  Dataset train = threshold_rule(1000, 1);
  Dataset test = threshold_rule(500, 2);
  auto model = train_or_die(train, nullptr, classification(2, {{"n_estimators", 30}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 2);
  EXPECT_GT(accuracy(*p, test.y, 2), 0.97);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[2 * r] + (*p)[2 * r + 1], 1.0, 1e-12);
  }
  const nlohmann::json meta = model->metadata();
  EXPECT_EQ(meta["type"], "RandomForestClassifier");
  EXPECT_EQ(meta["architecture"], "ensemble_tree_based");
  EXPECT_EQ(meta["num_trees"], 30);
  EXPECT_TRUE(meta["oob_score"].is_null());
  EXPECT_EQ(model->importance_type(), "impurity_decrease");
  const std::vector<double> imp = model->feature_importance();
  ASSERT_EQ(imp.size(), 3u);
  EXPECT_NEAR(std::accumulate(imp.begin(), imp.end(), 0.0), 1.0, 1e-9);
  EXPECT_GT(imp[0], 0.5);
  EXPECT_GT(imp[0], imp[1] + imp[2]);
}

TEST(RandomForestTrainer, MulticlassProbabilitiesSumToOneInClassIndexOrder) {
  Dataset train = three_bands(900, 3);
  Dataset test = three_bands(300, 4);
  auto model = train_or_die(train, nullptr, classification(3, {{"n_estimators", 20}}));
  ASSERT_NE(model, nullptr);
  Result<std::vector<double>> p = model->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), test.x.rows * 3);
  for (size_t r = 0; r < test.x.rows; ++r) {
    EXPECT_NEAR((*p)[3 * r] + (*p)[3 * r + 1] + (*p)[3 * r + 2], 1.0, 1e-9);
  }
  EXPECT_GT(accuracy(*p, test.y, 3), 0.95);
  Matrix probes{.values = {0.0f, -0.9f, 0.0f, 0.0f, 0.0f, 0.9f}, .rows = 3, .cols = 2};
  Result<std::vector<double>> q = model->predict(probes);
  ASSERT_TRUE(q.is_ok());
  for (int k = 0; k < 3; ++k) EXPECT_GT((*q)[3 * k + k], 0.9) << "probe of class " << k;
}

// The split may leave a class out of the training part; its column must stay (all zero)
// and the others must not shift into it.
TEST(RandomForestTrainer, ProbabilityColumnsFollowClassIndicesWhenAClassIsAbsent) {
  Dataset train = make_dataset(600, 2, 5, [](const float* x, std::mt19937&) {
    return x[0] > 0.0f ? 3.0f : 1.0f;  // classes 1 and 3 of 0..3
  });
  auto model = train_or_die(train, nullptr, classification(4, {{"n_estimators", 10}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(forest_of(*model).classes(), (std::vector<double>{1.0, 3.0}));
  Matrix probes{.values = {-0.8f, 0.0f, 0.8f, 0.0f}, .rows = 2, .cols = 2};
  Result<std::vector<double>> p = model->predict(probes);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), 8u);
  EXPECT_EQ((*p)[0], 0.0);
  EXPECT_EQ((*p)[2], 0.0);
  EXPECT_GT((*p)[1], 0.9);  // x0 < 0 -> class 1
  EXPECT_GT((*p)[7], 0.9);  // x0 > 0 -> class 3
  EXPECT_NEAR((*p)[4] + (*p)[5] + (*p)[6] + (*p)[7], 1.0, 1e-12);

  // Saved and loaded, the mapping holds.
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  auto loaded = spec().load_model(dir.path(), nlohmann::json::parse(model->metadata().dump()));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(*(*loaded)->predict(probes), *p);
}

TEST(RandomForestTrainer, RegressionBeatsTheMeanPredictor) {
  Dataset train = smooth_target(800, 6);
  Dataset test = smooth_target(300, 7);
  auto model = train_or_die(train, nullptr, regression({{"n_estimators", 30}}));
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
  EXPECT_EQ(meta["type"], "RandomForestRegressor");
  EXPECT_EQ(meta["task"], "regression");
  EXPECT_EQ(meta["num_classes"], 0);
  // Regression's default max_features is 1.0: every feature at every split.
  EXPECT_EQ(forest_of(*model).data().resolved.max_features, 3);
  EXPECT_EQ(forest_of(*model).data().config.criterion, "squared_error");
}

// scikit-learn 1.2 forests refuse NaN; the pipeline imputes before this algorithm.
TEST(RandomForestTrainer, MissingValuesAreADataError) {
  Dataset train = threshold_rule(200, 8);
  train.x.values[4] = NAN;
  Status st = train_error(train, nullptr, classification(2, {{"n_estimators", 3}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kDataError) << st.to_string();
  EXPECT_FALSE(spec().handles_missing);

  auto model =
      train_or_die(threshold_rule(200, 9), nullptr, classification(2, {{"n_estimators", 3}}));
  ASSERT_NE(model, nullptr);
  Matrix row{.values = {NAN, 0.1f, 0.2f}, .rows = 1, .cols = 3};
  EXPECT_FALSE(model->predict(row).is_ok());
}

TEST(RandomForestTrainer, SavedModelLoadsWithIdenticalPredictions) {
  Dataset train = three_bands(500, 10);
  Dataset valid = three_bands(200, 11);
  auto model =
      train_or_die(train, &valid, classification(3, {{"n_estimators", 15}, {"oob_score", true}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  EXPECT_EQ(model->artifact_file(), "model.rf.json");
  std::ifstream artifact(dir.path() + "/model.rf.json");
  const nlohmann::json doc = nlohmann::json::parse(artifact);
  EXPECT_EQ(doc["format"], "traind-rf");
  EXPECT_EQ(doc["format_version"], 1);
  EXPECT_EQ(doc["task"], "classification");
  EXPECT_EQ(doc["feature_names"], nlohmann::json({"x0", "x1"}));
  EXPECT_EQ(doc["classes"], nlohmann::json({0, 1, 2}));
  EXPECT_EQ(doc["trees"].size(), 15u);
  EXPECT_TRUE(doc["oob_score"].is_number());

  const nlohmann::json meta = nlohmann::json::parse(model->metadata().dump());
  Result<std::unique_ptr<Model>> loaded = spec().load_model(dir.path(), meta);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Result<std::vector<double>> before = model->predict(valid.x);
  Result<std::vector<double>> after = (*loaded)->predict(valid.x);
  ASSERT_TRUE(before.is_ok());
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(*before, *after);
  EXPECT_EQ((*loaded)->feature_importance(), model->feature_importance());
  EXPECT_EQ((*loaded)->importance_type(), model->importance_type());
  EXPECT_EQ((*loaded)->metadata(), model->metadata());
  EXPECT_EQ(saved_json(**loaded), saved_json(*model));
}

TEST(RandomForestTrainer, RegressionModelRoundTrips) {
  Dataset train = smooth_target(300, 12);
  auto model = train_or_die(train, nullptr, regression({{"n_estimators", 5}}));
  ASSERT_NE(model, nullptr);
  TempDir dir;
  ASSERT_TRUE(model->save(dir.path()).is_ok());
  auto loaded = spec().load_model(dir.path(), nlohmann::json::parse(model->metadata().dump()));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(*(*loaded)->predict(train.x), *model->predict(train.x));
  EXPECT_EQ((*loaded)->metadata()["type"], "RandomForestRegressor");
}

TEST(RandomForestTrainer, LoadWithoutModelFileIsNotFound) {
  TempDir dir;
  auto loaded = spec().load_model(dir.path(), {{"task", "classification"}, {"num_classes", 2}});
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kNotFound);
}

TEST(RandomForestTrainer, ReportsEveryTreeInOrder) {
  Dataset train = threshold_rule(300, 13);
  for (int threads : {1, 2}) {
    TrainOptions o = classification(2, {{"n_estimators", 12}});
    o.threads = threads;
    std::vector<IterationReport> reports;
    o.on_iteration = [&](const IterationReport& r) {
      reports.push_back(r);
      return true;
    };
    ASSERT_NE(train_or_die(train, nullptr, o), nullptr);
    ASSERT_EQ(reports.size(), 12u) << threads << " threads";
    for (size_t i = 0; i < reports.size(); ++i) {
      EXPECT_EQ(reports[i].iteration, static_cast<int>(i) + 1);
      EXPECT_EQ(reports[i].total_iterations, 12);
    }
  }
}

TEST(RandomForestTrainer, ProgressCarriesTheValidationMetricOfTheTreesSoFar) {
  const Dataset train = threshold_rule(400, 21);
  const Dataset valid = threshold_rule(200, 22);
  TrainOptions o = classification(2, {{"n_estimators", 10}});
  std::vector<IterationReport> reports;
  o.on_iteration = [&](const IterationReport& r) {
    reports.push_back(r);
    return true;
  };
  auto model = train_or_die(train, &valid, o);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(reports.size(), 10u);
  for (const IterationReport& r : reports) {
    ASSERT_EQ(r.metrics.count("valid_logloss"), 1u);
    ASSERT_EQ(r.metrics.count("valid_accuracy"), 1u);
    EXPECT_GE(r.metrics.at("valid_accuracy"), 0.0);
    EXPECT_LE(r.metrics.at("valid_accuracy"), 1.0);
  }
  // The last report is the whole forest: its accuracy is the model's on the same rows.
  auto proba = model->predict(valid.x);
  ASSERT_TRUE(proba.is_ok());
  EXPECT_DOUBLE_EQ(reports.back().metrics.at("valid_accuracy"), accuracy(*proba, valid.y, 2));

  const Dataset smooth = smooth_target(400, 23);
  const Dataset smooth_valid = smooth_target(200, 24);
  TrainOptions reg = regression({{"n_estimators", 30}});
  std::vector<double> rmse;
  reg.on_iteration = [&](const IterationReport& r) {
    rmse.push_back(r.metrics.at("valid_rmse"));
    return true;
  };
  ASSERT_NE(train_or_die(smooth, &smooth_valid, reg), nullptr);
  ASSERT_EQ(rmse.size(), 30u);
  // Averaging trees lowers the error: the full forest beats its first tree.
  EXPECT_LT(rmse.back(), rmse.front());
}

TEST(RandomForestTrainer, StopRequestEndsTrainingAsCancelled) {
  Dataset train = threshold_rule(300, 14);
  for (int threads : {1, 2}) {
    TrainOptions o = classification(2, {{"n_estimators", 200}});
    o.threads = threads;
    int calls = 0;
    o.on_iteration = [&](const IterationReport& r) {
      ++calls;
      return r.iteration < 3;
    };
    Status st = train_error(train, nullptr, o);
    ASSERT_FALSE(st.is_ok());
    EXPECT_EQ(st.code(), ErrorCode::kCancelled) << st.to_string();
    EXPECT_LT(calls, 200);
    EXPECT_GE(calls, 3);
  }
}

int resolved_max_features(const nlohmann::json& max_features, size_t cols,
                          Task task = Task::kClassification) {
  Dataset train = threshold_rule(200, 15, cols);
  nlohmann::json hp = {{"n_estimators", 2}};
  if (!max_features.is_null()) hp["max_features"] = max_features;
  TrainOptions o = task == Task::kClassification ? classification(2, hp) : regression(hp);
  auto model = train_or_die(train, nullptr, o);
  return model ? forest_of(*model).data().resolved.max_features : -1;
}

TEST(RandomForestTrainer, MaxFeaturesTakesNamesCountsAndFractions) {
  EXPECT_EQ(resolved_max_features(nullptr, 9), 3);  // classification default "sqrt"
  EXPECT_EQ(resolved_max_features("sqrt", 10), 3);
  EXPECT_EQ(resolved_max_features("log2", 9), 3);
  EXPECT_EQ(resolved_max_features(0.5, 9), 4);  // max(1, int(0.5 * 9))
  EXPECT_EQ(resolved_max_features(3, 9), 3);
  // scikit-learn tells count from fraction by type: 1 is one feature, 1.0 is all of them.
  EXPECT_EQ(resolved_max_features(1, 9), 1);
  EXPECT_EQ(resolved_max_features(1.0, 9), 9);
  EXPECT_EQ(resolved_max_features(nullptr, 9, Task::kRegression), 9);
}

TEST(RandomForestTrainer, BadMaxFeaturesIsAConfigError) {
  Dataset train = threshold_rule(100, 16);
  for (const nlohmann::json& bad :
       {nlohmann::json("cube"), nlohmann::json(0), nlohmann::json(-1), nlohmann::json(true)}) {
    Status st = train_error(train, nullptr, classification(2, {{"max_features", bad}}));
    ASSERT_FALSE(st.is_ok()) << bad.dump();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig) << bad.dump();
    EXPECT_NE(st.message().find("max_features"), std::string::npos) << st.message();
  }
  // More features than there are columns: scikit-learn raises too.
  Status st = train_error(train, nullptr, classification(2, {{"max_features", 4}}));
  EXPECT_FALSE(st.is_ok());
}

int64_t smallest_leaf(const Model& model) {
  int64_t smallest = INT64_MAX;
  for (const auto& tree : forest_of(model).data().trees) {
    for (int node = 0; node < tree.node_count(); ++node) {
      if (tree.is_leaf(node)) smallest = std::min(smallest, tree.n_node_samples[node]);
    }
  }
  return smallest;
}

TEST(RandomForestTrainer, MinSamplesLeafIsAFractionWhenAFloatAndACountWhenAnInteger) {
  Dataset train = smooth_target(500, 17);
  auto fraction = train_or_die(
      train, nullptr,
      regression({{"n_estimators", 3}, {"min_samples_leaf", 0.1}, {"bootstrap", false}}));
  auto count = train_or_die(
      train, nullptr,
      regression({{"n_estimators", 3}, {"min_samples_leaf", 1}, {"bootstrap", false}}));
  auto forty = train_or_die(
      train, nullptr,
      regression({{"n_estimators", 3}, {"min_samples_leaf", 40}, {"bootstrap", false}}));
  ASSERT_NE(fraction, nullptr);
  ASSERT_NE(count, nullptr);
  ASSERT_NE(forty, nullptr);
  EXPECT_EQ(forest_of(*fraction).data().resolved.min_samples_leaf, 50);  // ceil(0.1 * 500)
  EXPECT_GE(smallest_leaf(*fraction), 50);
  EXPECT_EQ(forest_of(*count).data().resolved.min_samples_leaf, 1);
  EXPECT_EQ(smallest_leaf(*count), 1);
  EXPECT_EQ(forest_of(*forty).data().resolved.min_samples_leaf, 40);
  EXPECT_GE(smallest_leaf(*forty), 40);

  Status st = train_error(train, nullptr, regression({{"min_samples_split", "x"}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(st.message().find("min_samples_split"), std::string::npos) << st.message();
}

TEST(RandomForestTrainer, MinSamplesSplitFractionResolvesAgainstTheRows) {
  Dataset train = smooth_target(400, 18);
  auto model = train_or_die(
      train, nullptr,
      regression({{"n_estimators", 2}, {"min_samples_split", 0.25}, {"bootstrap", false}}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(forest_of(*model).data().resolved.min_samples_split, 100);  // ceil(0.25 * 400)
  for (const auto& tree : forest_of(*model).data().trees) {
    for (int node = 0; node < tree.node_count(); ++node) {
      if (!tree.is_leaf(node)) {
        EXPECT_GE(tree.n_node_samples[node], 100);
      }
    }
  }
}

TEST(RandomForestTrainer, ClassWeightBalancedEqualisesTheClasses) {
  // About 10 % positives.
  Dataset train = make_dataset(
      1000, 3, 19, [](const float* x, std::mt19937&) { return x[0] > 0.8f ? 1.0f : 0.0f; });
  const double positives = std::accumulate(train.y.begin(), train.y.end(), 0.0);
  ASSERT_GT(positives, 50);
  ASSERT_LT(positives, 150);
  auto model = train_or_die(
      train, nullptr,
      classification(2, {{"n_estimators", 2}, {"class_weight", "balanced"}, {"bootstrap", false}}));
  ASSERT_NE(model, nullptr);
  // n / (k * count): each class weighs n / 2 in total at the root.
  const auto& root = forest_of(*model).data().trees[0];
  EXPECT_NEAR(root.node_value(0)[0], 500.0, 1e-6);
  EXPECT_NEAR(root.node_value(0)[1], 500.0, 1e-6);
  auto plain =
      train_or_die(train, nullptr, classification(2, {{"n_estimators", 2}, {"bootstrap", false}}));
  ASSERT_NE(plain, nullptr);
  EXPECT_NEAR(forest_of(*plain).data().trees[0].node_value(0)[1], positives, 1e-9);

  Status st =
      train_error(smooth_target(100, 20), nullptr, regression({{"class_weight", "balanced"}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
}

TEST(RandomForestTrainer, MaxSamplesBoundsEachBootstrap) {
  Dataset train = threshold_rule(400, 21);
  auto fraction =
      train_or_die(train, nullptr, classification(2, {{"n_estimators", 4}, {"max_samples", 0.25}}));
  auto count =
      train_or_die(train, nullptr, classification(2, {{"n_estimators", 4}, {"max_samples", 30}}));
  ASSERT_NE(fraction, nullptr);
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(forest_of(*fraction).data().resolved.n_samples_bootstrap, 100);
  EXPECT_EQ(forest_of(*count).data().resolved.n_samples_bootstrap, 30);
  // Bootstrap counts are the weights: each root holds exactly the drawn rows.
  for (const auto& tree : forest_of(*fraction).data().trees) {
    EXPECT_DOUBLE_EQ(tree.weighted_n_node_samples[0], 100.0);
    EXPECT_LE(tree.n_node_samples[0], 100);
  }
  for (const auto& tree : forest_of(*count).data().trees) {
    EXPECT_DOUBLE_EQ(tree.weighted_n_node_samples[0], 30.0);
  }
}

TEST(RandomForestTrainer, LearningRateIsAcceptedAndIgnored) {
  Dataset train = threshold_rule(300, 22);
  TrainOptions with = classification(2, {{"n_estimators", 5}, {"learning_rate", 0.1}});
  TrainOptions without = classification(2, {{"n_estimators", 5}});
  with.seed = without.seed = 3;
  auto a = train_or_die(train, nullptr, with);
  auto b = train_or_die(train, nullptr, without);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(saved_json(*a), saved_json(*b));
}

TEST(RandomForestTrainer, OobScoreShowsInMetadata) {
  Dataset train = threshold_rule(600, 23);
  auto model =
      train_or_die(train, nullptr, classification(2, {{"n_estimators", 25}, {"oob_score", true}}));
  ASSERT_NE(model, nullptr);
  const nlohmann::json meta = model->metadata();
  ASSERT_TRUE(meta["oob_score"].is_number()) << meta.dump();
  EXPECT_GT(meta["oob_score"].get<double>(), 0.9);
  EXPECT_LE(meta["oob_score"].get<double>(), 1.0);

  auto reg = train_or_die(smooth_target(500, 24), nullptr,
                          regression({{"n_estimators", 25}, {"oob_score", true}}));
  ASSERT_NE(reg, nullptr);
  ASSERT_TRUE(reg->metadata()["oob_score"].is_number());
  EXPECT_GT(reg->metadata()["oob_score"].get<double>(), 0.8);  // R²

  // scikit-learn: "Out of bag estimation only available if bootstrap=True".
  Status st =
      train_error(train, nullptr, classification(2, {{"oob_score", true}, {"bootstrap", false}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
}

TEST(RandomForestTrainer, NullRandomStateUsesTheJobSeed) {
  Dataset train = threshold_rule(300, 25);
  auto json_for = [&](uint64_t job_seed, nlohmann::json hp) {
    hp["n_estimators"] = 5;
    TrainOptions o = classification(2, hp);
    o.seed = job_seed;
    auto model = train_or_die(train, nullptr, o);
    return model ? saved_json(*model) : std::string();
  };
  const std::string a = json_for(11, nlohmann::json::object());
  EXPECT_EQ(a, json_for(11, nlohmann::json::object()));
  EXPECT_EQ(a, json_for(11, {{"random_state", nullptr}}));
  EXPECT_NE(a, json_for(12, nlohmann::json::object()));
  EXPECT_EQ(nlohmann::json::parse(a)["resolved"]["random_state"], 11);
  // An explicit random_state wins over the job's seed.
  EXPECT_EQ(json_for(1, {{"random_state", 5}}), json_for(2, {{"random_state", 5}}));
  EXPECT_EQ(json_for(1, {{"seed", 5}}), json_for(2, {{"random_state", 5}}));
  EXPECT_NE(json_for(1, {{"random_state", 5}}), json_for(1, {{"random_state", 6}}));
  // A 64-bit job seed still gives a valid, repeatable random_state.
  const uint64_t big = 0xFEDCBA9876543210ULL;
  EXPECT_EQ(json_for(big, nlohmann::json::object()), json_for(big, nlohmann::json::object()));
}

// numpy's RandomState takes seeds below 2^32; larger ones are refused before training, so
// the API rejects them with the parameter's path instead of failing the job.
TEST(RandomForestTrainer, RandomStateAboveTheSeedRangeIsAConfigError) {
  const Dataset train = threshold_rule(100, 32);
  const auto& declared = spec().hyperparameters;
  const auto random_state = std::find_if(declared.begin(), declared.end(),
                                         [](const auto& p) { return p.name == "random_state"; });
  ASSERT_NE(random_state, declared.end());
  ASSERT_TRUE(random_state->maximum.has_value());
  EXPECT_EQ(*random_state->maximum, 4294967295.0);
  Status st = train_error(train, nullptr, classification(2, {{"random_state", int64_t{1} << 32}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
  EXPECT_TRUE(
      train_error(train, nullptr,
                  classification(2, {{"n_estimators", 2}, {"random_state", int64_t{4294967295}}}))
          .is_ok());
}

TEST(RandomForestTrainer, OneAndTwoThreadsGiveIdenticalJson) {
  Dataset train = three_bands(600, 26);
  std::vector<std::string> texts;
  for (int threads : {1, 2}) {
    TrainOptions o = classification(3, {{"n_estimators", 9}, {"max_features", 1}});
    o.threads = threads;
    o.seed = 77;
    auto model = train_or_die(train, nullptr, o);
    ASSERT_NE(model, nullptr);
    texts.push_back(saved_json(*model));
  }
  EXPECT_EQ(texts[0], texts[1]);
}

TEST(RandomForestTrainer, PermutationImportanceIsLargestForTheRuleAndNearZeroForNoise) {
  auto rule = [](const float* x, std::mt19937&) { return x[1] > 0.0f ? 1.0f : 0.0f; };
  Dataset train = make_dataset(1000, 3, 27, rule);
  Dataset test = make_dataset(500, 3, 28, rule);
  TrainOptions o = classification(2, {{"n_estimators", 20}, {"importance_type", "permutation"}});
  auto model = train_or_die(train, &test, o);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->importance_type(), "permutation_accuracy");
  const std::vector<double> imp = model->feature_importance();
  ASSERT_EQ(imp.size(), 3u);
  EXPECT_GT(imp[1], 0.3);
  EXPECT_LT(imp[0], 0.02);
  EXPECT_LT(imp[2], 0.02);
  // Without held-out rows: the impurity importance.
  auto plain = train_or_die(train, nullptr, o);
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->importance_type(), "impurity_decrease");
}

TEST(RandomForestTrainer, UnknownHyperparameterIsAConfigError) {
  Status st = train_error(threshold_rule(100, 29), nullptr, classification(2, {{"num_leaves", 3}}));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
}

TEST(RandomForestTrainer, ZeroRowsAndBadLabelsAreDataErrors) {
  Dataset empty;
  empty.x.cols = 3;
  empty.feature_names = {"a", "b", "c"};
  Status st = train_error(empty, nullptr, classification(2));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kDataError);
  Dataset train = threshold_rule(50, 30);
  train.y[3] = 2.0f;
  st = train_error(train, nullptr, classification(2));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), ErrorCode::kDataError);
}

TEST(RandomForestTrainer, PredictRefusesWrongColumnCount) {
  auto model =
      train_or_die(threshold_rule(100, 31), nullptr, classification(2, {{"n_estimators", 2}}));
  ASSERT_NE(model, nullptr);
  Matrix two_columns{.values = {0.1f, 0.2f}, .rows = 1, .cols = 2};
  EXPECT_FALSE(model->predict(two_columns).is_ok());
}

}  // namespace
}  // namespace traind::algorithms
