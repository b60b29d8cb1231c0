// Forests with default parameters agree with scikit-learn 1.2.1 in distribution over 10 seeds
// (trees.md §B.6.2/3): test metric and oob_score_ means, mean importances. The reference
// figures are in tests/fixtures/forest/distribution.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_test_data.h"

namespace traind::engines::trees {
namespace {

using nlohmann::json;

struct Summary {
  double mean = 0.0, sd = 0.0;
};

Summary summarize(const std::vector<double>& v) {
  Summary s;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(s.sd / (v.size() - 1));
  return s;
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<int> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size(); ++i) r[order[i]] = static_cast<double>(i);
  return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  double d2 = 0.0;
  for (size_t i = 0; i < a.size(); ++i) d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
  return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

std::vector<int> top3(const std::vector<double>& v) {
  std::vector<int> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return v[a] > v[b]; });
  order.resize(3);
  std::sort(order.begin(), order.end());
  return order;
}

// |mean difference| <= max(2 pooled SE, floor), the spec's rule (§B.6.2).
void expect_same_distribution(const Summary& ours, double ref_mean, double ref_sd, int seeds,
                              double floor, const std::string& what) {
  const double pooled_se = std::sqrt(ours.sd * ours.sd / seeds + ref_sd * ref_sd / seeds);
  const double allowed = std::max(2.0 * pooled_se, floor);
  EXPECT_LE(std::fabs(ours.mean - ref_mean), allowed)
      << what << ": ours " << ours.mean << " (sd " << ours.sd << "), scikit-learn " << ref_mean
      << " (sd " << ref_sd << ")";
  std::printf("  %-28s ours %.5f (sd %.5f)  sklearn %.5f (sd %.5f)  diff %+.5f  allowed %.5f\n",
              what.c_str(), ours.mean, ours.sd, ref_mean, ref_sd, ours.mean - ref_mean, allowed);
}

TEST(ForestDistribution, DefaultForestsMatchScikitLearnAveragedOverSeeds) {
  const json fixture = testing::read_fixture_json("distribution.json");
  ASSERT_TRUE(fixture.is_object());
  ASSERT_GE(fixture["cases"].size(), 4u);
  for (const json& c : fixture["cases"]) {
    const std::string name = c["name"].get<std::string>();
    SCOPED_TRACE(name);
    std::printf("%s\n", name.c_str());
    const testing::Table all = testing::read_fixture_csv(c["data"].get<std::string>());
    std::vector<char> is_test(all.rows, 0);
    std::vector<int64_t> test_rows, train_rows;
    for (const json& r : c["test_rows"]) is_test[r.get<int64_t>()] = 1;
    for (int64_t r = 0; r < all.rows; ++r) (is_test[r] ? test_rows : train_rows).push_back(r);
    const testing::Table train = all.select(train_rows);
    const testing::Table test = all.select(test_rows);
    const bool clf = c["task"] == "classification";
    const int seeds = c["seeds"].get<int>();

    std::vector<double> metric, rmse, oob;
    std::vector<double> importances(all.columns, 0.0);
    for (int seed = 0; seed < seeds; ++seed) {
      ForestConfig config =
          ForestConfig::defaults(clf ? ForestTask::kClassification : ForestTask::kRegression);
      config.oob_score = true;
      config.n_jobs = -1;
      config.random_state = 1000 + seed;
      auto model = train_forest(config, train.matrix(), train.y);
      ASSERT_TRUE(model) << model.status().to_string();
      auto pred = model->predict(test.matrix());
      ASSERT_TRUE(pred);
      if (clf) {
        int correct = 0;
        for (int64_t i = 0; i < test.rows; ++i) correct += (*pred)[i] == test.y[i];
        metric.push_back(static_cast<double>(correct) / test.rows);
      } else {
        double mean = std::accumulate(test.y.begin(), test.y.end(), 0.0) / test.rows;
        double sse = 0.0, sst = 0.0;
        for (int64_t i = 0; i < test.rows; ++i) {
          sse += ((*pred)[i] - test.y[i]) * ((*pred)[i] - test.y[i]);
          sst += (test.y[i] - mean) * (test.y[i] - mean);
        }
        metric.push_back(1.0 - sse / sst);
        rmse.push_back(std::sqrt(sse / test.rows));
      }
      ASSERT_TRUE(model->oob_score().has_value());
      oob.push_back(*model->oob_score());
      for (int f = 0; f < all.columns; ++f) importances[f] += model->feature_importances()[f];
    }
    for (double& v : importances) v /= seeds;

    // Spec floor: 0.3 pp accuracy; for R² the 0.005.
    const double floor = clf ? 0.003 : 0.005;
    const Summary m = summarize(metric);
    expect_same_distribution(m, c["metric_mean"].get<double>(), c["metric_sd"].get<double>(), seeds,
                             floor, clf ? "test accuracy" : "test R2");
    // The criterion (within 0.005 of scikit-learn's mean) wherever the seeds can
    // resolve it, i.e. 2 pooled SE <= 0.005: every case here (diabetes, 295 training rows,
    // needs its 40 seeds for that; with 10 its seed noise alone was larger).
    const double ref_sd = c["metric_sd"].get<double>();
    if (2.0 * std::sqrt((m.sd * m.sd + ref_sd * ref_sd) / seeds) <= 0.005) {
      EXPECT_LE(std::fabs(m.mean - c["metric_mean"].get<double>()), 0.005);
    }
    if (!clf) {
      const double ref_rmse = c["rmse_mean"].get<double>();
      expect_same_distribution(summarize(rmse), ref_rmse, c["rmse_sd"].get<double>(), seeds,
                               0.01 * ref_rmse, "test RMSE");
    }
    expect_same_distribution(summarize(oob), c["oob_mean"].get<double>(), c["oob_sd"].get<double>(),
                             seeds, floor, "oob_score");

    const std::vector<double> ref_importances = c["importances_mean"].get<std::vector<double>>();
    const double rho = spearman(importances, ref_importances);
    double max_difference = 0.0;
    for (int f = 0; f < all.columns; ++f) {
      max_difference = std::max(max_difference, std::fabs(importances[f] - ref_importances[f]));
    }
    std::printf("  importances Spearman %.4f, max |difference| %.5f\n", rho, max_difference);
    EXPECT_GE(rho, 0.9);
    // Not in the spec, but stronger than ranks where features tie (noise features): the mean
    // importances themselves agree to 0.02 (wine, 119 rows: 0.0135).
    EXPECT_LE(max_difference, 0.02);
    if (c.contains("dominant_features")) {
      EXPECT_EQ(top3(importances), c["dominant_features"].get<std::vector<int>>());
      EXPECT_EQ(top3(ref_importances), c["dominant_features"].get<std::vector<int>>());
    }
  }
}

}  // namespace
}  // namespace traind::engines::trees
