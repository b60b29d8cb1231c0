// Quality (spec A.7.5): every fixture config retrained by traind scores on test.csv within the
// tolerances of LightGBM's metrics.json (|ΔAUC| <= 0.002, |Δaccuracy| <= 0.005, RMSE and
// log-loss within 1 % relative). Also reports how many trees equal LightGBM's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "engines/trees/gbdt/fixture_training_for_tests.h"
#include "engines/trees/gbdt/quality_metrics_for_tests.h"

namespace traind::engines::trees {
namespace {

using testing::lightgbm_fixture_path;
using testing::read_fixture_data;
using testing::read_text_file;
using testing::train_fixture;
using testing::tree_differences;

using testing::auc;

struct Metrics {
  double auc = 0, logloss = 0, accuracy = 0, rmse = 0;
};

Metrics evaluate(const GbdtModel& model, const std::string& dataset) {
  const auto test = read_fixture_data(lightgbm_fixture_path(dataset + "/test.csv"));
  const int k = model.num_tree_per_iteration();
  const size_t n = static_cast<size_t>(test.num_rows);
  std::vector<double> pred(n * k);
  model.predict(test.matrix(), pred);
  Metrics m;
  const std::string objective(model.objective());
  if (objective.rfind("binary", 0) == 0) {
    double loss = 0, correct = 0;
    for (size_t i = 0; i < n; ++i) {
      const double p = std::clamp(pred[i], 1e-15, 1 - 1e-15);
      loss += test.labels[i] > 0 ? -std::log(p) : -std::log(1 - p);
      correct += ((pred[i] > 0.5) == (test.labels[i] > 0)) ? 1 : 0;
    }
    m.auc = auc(pred, test.labels);
    m.logloss = loss / n;
    m.accuracy = correct / n;
  } else if (objective.rfind("multiclass", 0) == 0) {
    double loss = 0, correct = 0;
    for (size_t i = 0; i < n; ++i) {
      const double* row = pred.data() + i * k;
      const int label = static_cast<int>(test.labels[i]);
      loss += -std::log(std::max(row[label], 1e-15));
      correct += (std::max_element(row, row + k) - row) == label ? 1 : 0;
    }
    m.logloss = loss / n;
    m.accuracy = correct / n;
  } else {
    double se = 0;
    for (size_t i = 0; i < n; ++i) se += (pred[i] - test.labels[i]) * (pred[i] - test.labels[i]);
    m.rmse = std::sqrt(se / n);
  }
  return m;
}

void expect_quality(const std::string& dataset, const std::string& config) {
  const auto [trained, reference] = train_fixture(dataset, config);
  const auto expected = nlohmann::json::parse(
      read_text_file(lightgbm_fixture_path(dataset + "/" + config + "/metrics.json")))["metrics"];
  const Metrics got = evaluate(trained, dataset);
  if (expected.contains("auc")) {
    EXPECT_NEAR(got.auc, expected["auc"].get<double>(), 0.002) << dataset << "/" << config;
  }
  if (expected.contains("accuracy")) {
    EXPECT_NEAR(got.accuracy, expected["accuracy"].get<double>(), 0.005 + 1e-12)
        << dataset << "/" << config;
  }
  for (const char* name : {"binary_logloss", "multi_logloss"}) {
    if (expected.contains(name)) {
      const double want = expected[name].get<double>();
      EXPECT_NEAR(got.logloss, want, 0.01 * want) << dataset << "/" << config;
    }
  }
  if (expected.contains("rmse")) {
    const double want = expected["rmse"].get<double>();
    EXPECT_NEAR(got.rmse, want, 0.01 * want) << dataset << "/" << config;
  }
  const auto& ours = trained.data().trees;
  const auto& theirs = reference.data().trees;
  int matching = 0;
  for (size_t t = 0; t < std::min(ours.size(), theirs.size()); ++t) {
    matching += tree_differences(ours[t], theirs[t]).empty() ? 1 : 0;
  }
  const bool identical_file = trained.to_text() == testing::lightgbm_model_text(dataset, config);
  std::printf("[quality] %s/%s: %d of %zu trees equal LightGBM's (ours %zu), model file %s\n",
              dataset.c_str(), config.c_str(), matching, theirs.size(), ours.size(),
              identical_file ? "byte-identical" : "differs");
}

TEST(GbdtTrainingQuality, BinaryConfigsMatchLightGbmMetrics) {
  for (const char* config : {"defaults", "deterministic", "is_unbalance", "max_depth4"}) {
    expect_quality("binary", config);
  }
}

TEST(GbdtTrainingQuality, MulticlassConfigsMatchLightGbmMetrics) {
  for (const char* config : {"defaults", "deterministic"}) expect_quality("multiclass5", config);
}

TEST(GbdtTrainingQuality, RegressionConfigsMatchLightGbmMetrics) {
  for (const char* config : {"defaults", "deterministic", "regression_l1", "huber"}) {
    expect_quality("regression", config);
  }
}

TEST(GbdtTrainingQuality, NanZeroConfigsMatchLightGbmMetrics) {
  for (const char* config : {"defaults", "deterministic"}) expect_quality("nan_zero", config);
}

TEST(GbdtTrainingQuality, CategoricalConfigsMatchLightGbmMetrics) {
  for (const char* config : {"defaults", "deterministic"}) expect_quality("categorical", config);
}

}  // namespace
}  // namespace traind::engines::trees
