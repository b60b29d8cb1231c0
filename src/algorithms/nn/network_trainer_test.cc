// The tabular network learns what it should, stops when it should, and repeats itself.
#include <gtest/gtest.h>

#include <cstdio>

#include "algorithms/nn/network_test_support.h"

namespace traind::algorithms::nn {
namespace {

using testing::accuracy;
using testing::options_for;
using testing::r_squared;

std::vector<double> predict_or_die(const Model& model, const Matrix& x) {
  auto p = model.predict(x);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  return p.is_ok() ? p.value() : std::vector<double>();
}

TEST(NetworkTrainer, LearnsXorQuadrants) {
  const Dataset train = testing::xor_quadrants(2000, 1);
  const Dataset test = testing::xor_quadrants(1000, 2);
  auto model = testing::train(train, options_for(Task::kClassification, 2,
                                                 {{"hidden_layer_sizes", {32, 16}},
                                                  {"learning_rate", 0.01},
                                                  {"batch_size", 64},
                                                  {"epochs", 150}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const double acc = accuracy(predict_or_die(**model, test.x), test.y, 2);
  std::printf("xor: test accuracy %.4f, epochs %d\n", acc,
              (*model)->metadata()["epochs_trained"].get<int>());
  EXPECT_GE(acc, 0.95);
  EXPECT_EQ((*model)->metadata()["type"], "MLPClassifier");
  EXPECT_EQ((*model)->metadata()["architecture"], "mlp[32,16]");
}

TEST(NetworkTrainer, LearnsThreeArmSpiral) {
  const Dataset train = testing::spiral(600, 3, 3);
  const Dataset test = testing::spiral(300, 3, 4);
  auto model = testing::train(train, options_for(Task::kClassification, 3,
                                                 {{"hidden_layer_sizes", {64, 64}},
                                                  {"learning_rate", 0.01},
                                                  {"batch_size", 64},
                                                  {"epochs", 300},
                                                  {"n_iter_no_change", 30}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const double acc = accuracy(predict_or_die(**model, test.x), test.y, 3);
  std::printf("spiral: test accuracy %.4f, epochs %d\n", acc,
              (*model)->metadata()["epochs_trained"].get<int>());
  EXPECT_GE(acc, 0.95);
}

TEST(NetworkTrainer, RegressesSmoothFunction) {
  const Dataset train = testing::smooth_function(3000, 5);
  const Dataset test = testing::smooth_function(1000, 6);
  auto model = testing::train(train, options_for(Task::kRegression, 0,
                                                 {{"hidden_layer_sizes", {64, 32}},
                                                  {"learning_rate", 0.005},
                                                  {"batch_size", 64},
                                                  {"epochs", 150},
                                                  {"activation", "tanh"},
                                                  {"lr_schedule", "cosine"}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const double r2 = r_squared(predict_or_die(**model, test.x), test.y);
  std::printf("smooth function: test R^2 %.4f, epochs %d\n", r2,
              (*model)->metadata()["epochs_trained"].get<int>());
  EXPECT_GE(r2, 0.95);
  EXPECT_EQ((*model)->metadata()["type"], "MLPRegressor");
}

TEST(NetworkTrainer, EarlyStoppingStopsAndKeepsTheBestEpoch) {
  // Labels are mostly noise: the held-out loss soon stops improving.
  Dataset train = testing::xor_quadrants(600, 8);
  std::mt19937 rng(3);
  for (float& y : train.y) y = (rng() % 4 == 0) ? y : static_cast<float>(rng() % 2);
  nlohmann::json hp = {{"hidden_layer_sizes", {64, 64}},
                       {"learning_rate", 0.01},
                       {"batch_size", 32},
                       {"epochs", 300},
                       {"early_stopping", true},
                       {"n_iter_no_change", 5},
                       {"validation_fraction", 0.2}};
  auto stopped = testing::train(train, options_for(Task::kClassification, 2, hp));
  ASSERT_TRUE(stopped.is_ok()) << stopped.status().to_string();
  const nlohmann::json meta = (*stopped)->metadata();
  const int epochs_trained = meta["epochs_trained"];
  const int best_epoch = meta["best_epoch"];
  std::printf("early stopping: %d epochs, best %d\n", epochs_trained, best_epoch);
  EXPECT_LT(epochs_trained, 300);
  EXPECT_TRUE(meta["stopped_early"].get<bool>());
  EXPECT_GE(best_epoch, 1);
  EXPECT_LT(best_epoch, epochs_trained);

  // The same run cut at the best epoch ends on the weights the stopped run restored.
  hp["epochs"] = best_epoch;
  auto cut = testing::train(train, options_for(Task::kClassification, 2, hp));
  ASSERT_TRUE(cut.is_ok()) << cut.status().to_string();
  EXPECT_EQ((*cut)->metadata()["best_epoch"], best_epoch);
  EXPECT_EQ(predict_or_die(**stopped, train.x), predict_or_die(**cut, train.x));
}

TEST(NetworkTrainer, StopsWhenTrainingLossStalls) {
  const Dataset train = testing::xor_quadrants(400, 9);
  auto model = testing::train(
      train,
      options_for(
          Task::kClassification, 2,
          {{"epochs", 1000}, {"tol", 0.05}, {"n_iter_no_change", 3}, {"lr_schedule", "adaptive"}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_LT((*model)->metadata()["epochs_trained"].get<int>(), 1000);
  EXPECT_TRUE((*model)->metadata()["stopped_early"].get<bool>());
}

TEST(NetworkTrainer, SameSeedSameWeightsOtherSeedOtherWeights) {
  const Dataset train = testing::spiral(200, 3, 10);
  nlohmann::json hp = {{"hidden_layer_sizes", {32, 32}},
                       {"epochs", 15},
                       {"dropout", 0.2},
                       {"batch_norm", true},
                       {"batch_size", 50}};
  for (int threads : {1, 2}) {
    TrainOptions o = options_for(Task::kClassification, 3, hp);
    o.threads = threads;
    auto a = testing::train(train, o);
    auto b = testing::train(train, o);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(predict_or_die(**a, train.x), predict_or_die(**b, train.x)) << threads;
    o.hyperparameters["random_state"] = 99;
    auto c = testing::train(train, o);
    ASSERT_TRUE(c.is_ok());
    EXPECT_NE(predict_or_die(**a, train.x), predict_or_die(**c, train.x)) << threads;
  }
}

TEST(NetworkTrainer, ReportsEveryEpochWithValidationMetrics) {
  const Dataset train = testing::smooth_function(500, 11);
  const Dataset valid = testing::smooth_function(200, 12);
  TrainOptions o = options_for(Task::kRegression, 0,
                               {{"epochs", 4}, {"solver", "sgd"}, {"learning_rate", 0.01}});
  std::vector<IterationReport> reports;
  o.on_iteration = [&](const IterationReport& r) {
    reports.push_back(r);
    return true;
  };
  auto model = testing::train(train, o, &valid);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ASSERT_EQ(reports.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(reports[i].iteration, i + 1);
    EXPECT_EQ(reports[i].total_iterations, 4);
    EXPECT_TRUE(reports[i].metrics.count("train_loss"));
    EXPECT_TRUE(reports[i].metrics.count("valid_loss"));
    EXPECT_TRUE(reports[i].metrics.count("valid_rmse"));
  }
  EXPECT_LT(reports[3].metrics["train_loss"], reports[0].metrics["train_loss"]);
}

TEST(NetworkTrainer, CancellationReturnsTheModelSoFar) {
  const Dataset train = testing::xor_quadrants(300, 13);
  TrainOptions o = options_for(Task::kClassification, 2,
                               {{"epochs", 100}, {"solver", "adamw"}, {"weight_decay", 0.01}});
  int calls = 0;
  o.on_iteration = [&](const IterationReport&) { return ++calls < 3; };
  auto model = testing::train(train, o);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(calls, 3);
  EXPECT_EQ((*model)->metadata()["epochs_trained"], 3);
  EXPECT_TRUE((*model)->metadata()["cancelled"].get<bool>());
}

TEST(NetworkTrainer, EmbedsCategoryCodesAndWeighsClasses) {
  // The class is the category (6 of them, one rare), read through its embedding.
  std::mt19937 rng(14);
  Dataset train = testing::empty_dataset(2);
  for (int r = 0; r < 1200; ++r) {
    const int code = (r % 20 == 0) ? 5 : static_cast<int>(rng() % 5);
    testing::add_row(train, {static_cast<float>(code), static_cast<float>(rng() % 100) / 100},
                     code % 3 == 0 ? 1.0f : 0.0f);
  }
  train.categorical_features = {0};
  auto model = testing::train(train, options_for(Task::kClassification, 2,
                                                 {{"categorical_encoding", "embedding"},
                                                  {"class_weight", "balanced"},
                                                  {"epochs", 40},
                                                  {"learning_rate", 0.01}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  Dataset probe = testing::empty_dataset(2);
  testing::add_row(probe, {3.0f, 0.5f}, 1);
  testing::add_row(probe, {4.0f, 0.5f}, 0);
  testing::add_row(probe, {NAN, 0.5f}, 0);    // missing code: the "missing" row
  testing::add_row(probe, {17.0f, 0.5f}, 0);  // unseen code: the same row
  const std::vector<double> p = predict_or_die(**model, probe.x);
  ASSERT_EQ(p.size(), 8u);
  EXPECT_GT(p[1], 0.9);
  EXPECT_LT(p[3], 0.1);
  EXPECT_EQ(p[4], p[6]);
  EXPECT_EQ(p[5], p[7]);
}

TEST(NetworkTrainer, RejectsBadInputs) {
  Dataset train = testing::xor_quadrants(50, 15);
  train.x.values[3] = NAN;
  auto model = testing::train(train, options_for(Task::kClassification, 2, {{"epochs", 2}}));
  ASSERT_FALSE(model.is_ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kDataError);
  auto bad = testing::train(testing::xor_quadrants(50, 15),
                            options_for(Task::kClassification, 2, {{"solver", "lbfgs"}}));
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidConfig);
}

}  // namespace
}  // namespace traind::algorithms::nn
