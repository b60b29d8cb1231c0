// Training parity with LightGBM 4.6 (spec A.7.4): each `deterministic` fixture config is
// retrained from train.csv with its params.json (test.csv as validation set); tree 0 must equal
// LightGBM's tree 0, and the test reports how many of all trees match.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/fixture_training_for_tests.h"

namespace traind::engines::trees {
namespace {

using testing::lightgbm_fixture_path;
using testing::read_text_file;
using testing::train_fixture;
using testing::tree_differences;

nlohmann::json reference_metrics(const std::string& dataset) {
  return nlohmann::json::parse(
      read_text_file(lightgbm_fixture_path(dataset + "/deterministic/metrics.json")));
}

void expect_parity(const std::string& dataset) {
  const auto [trained, reference] = train_fixture(dataset, "deterministic");
  const auto& ours = trained.data().trees;
  const auto& theirs = reference.data().trees;
  ASSERT_FALSE(ours.empty());
  ASSERT_FALSE(theirs.empty());
  const int k = reference.num_tree_per_iteration();
  for (int c = 0; c < k; ++c) {
    EXPECT_EQ(tree_differences(ours[c], theirs[c]), "") << dataset << " tree " << c;
  }
  int matching = 0;
  int first_mismatch = -1;
  const size_t common = std::min(ours.size(), theirs.size());
  for (size_t t = 0; t < common; ++t) {
    if (tree_differences(ours[t], theirs[t]).empty()) {
      ++matching;
    } else if (first_mismatch < 0) {
      first_mismatch = static_cast<int>(t);
    }
  }
  std::printf(
      "[parity] %s: %d of %zu trees match (ours %zu), first mismatch %d; best_iteration "
      "ours %d\n",
      dataset.c_str(), matching, theirs.size(), ours.size(), first_mismatch,
      trained.best_iteration());
  EXPECT_EQ(ours.size(), theirs.size()) << dataset;
  const auto metrics = reference_metrics(dataset);
  EXPECT_EQ(trained.best_iteration(), metrics["best_iteration"].get<int>()) << dataset;
  EXPECT_EQ(trained.data().iterations_trained, metrics["iterations_trained"].get<int>()) << dataset;
  // The whole file is byte-identical to LightGBM's save_model output (gains, weights, internal
  // values, tree_sizes, feature_infos, importances, parameters), except the Python package's
  // trailing pandas_categorical line.
  const std::string expected = testing::lightgbm_model_text(dataset, "deterministic");
  EXPECT_TRUE(trained.to_text() == expected) << dataset;
}

TEST(GbdtTrainingParity, BinaryDeterministicTreeZeroMatchesLightGbm) { expect_parity("binary"); }
TEST(GbdtTrainingParity, MulticlassDeterministicTreeZeroMatchesLightGbm) {
  expect_parity("multiclass5");
}
TEST(GbdtTrainingParity, RegressionDeterministicTreeZeroMatchesLightGbm) {
  expect_parity("regression");
}
TEST(GbdtTrainingParity, NanZeroDeterministicTreeZeroMatchesLightGbm) { expect_parity("nan_zero"); }
TEST(GbdtTrainingParity, CategoricalDeterministicTreeZeroMatchesLightGbm) {
  expect_parity("categorical");
}

}  // namespace
}  // namespace traind::engines::trees
