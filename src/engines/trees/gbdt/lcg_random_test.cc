// LcgRandom and derive_seeds against LightGBM's numbers (trees.md §A.2, seed_vectors.json).
#include "engines/trees/gbdt/lcg_random.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engines/trees/gbdt/fixture_csv_for_tests.h"

namespace traind::engines::trees::detail {
namespace {

TEST(LcgRandomTest, DerivesSeedsOfSpecVectors) {
  const DerivedSeeds one = derive_seeds(1);
  EXPECT_EQ(one.data_random_seed, 41);
  EXPECT_EQ(one.bagging_seed, 18467);
  EXPECT_EQ(one.drop_seed, 6334);
  EXPECT_EQ(one.feature_fraction_seed, 26500);
  EXPECT_EQ(one.objective_seed, 19169);
  EXPECT_EQ(one.extra_seed, 15724);
  const DerivedSeeds forty_two = derive_seeds(42);
  EXPECT_EQ(forty_two.data_random_seed, 175);
  EXPECT_EQ(forty_two.bagging_seed, 400);
  EXPECT_EQ(forty_two.drop_seed, 17869);
  EXPECT_EQ(forty_two.feature_fraction_seed, 30056);
  EXPECT_EQ(forty_two.objective_seed, 16083);
  EXPECT_EQ(forty_two.extra_seed, 12879);
}

TEST(LcgRandomTest, DerivesSeedsOfLightGbmFixtureVectors) {
  const auto vectors =
      testing::read_params_json(testing::lightgbm_fixture_path("seed_vectors.json"))["vectors"];
  ASSERT_EQ(vectors.size(), 3u);
  for (const auto& v : vectors) {
    const DerivedSeeds seeds = derive_seeds(v["seed"].get<int>());
    SCOPED_TRACE(v["seed"].get<int>());
    EXPECT_EQ(seeds.data_random_seed, v["data_random_seed"].get<int>());
    EXPECT_EQ(seeds.bagging_seed, v["bagging_seed"].get<int>());
    EXPECT_EQ(seeds.drop_seed, v["drop_seed"].get<int>());
    EXPECT_EQ(seeds.feature_fraction_seed, v["feature_fraction_seed"].get<int>());
    EXPECT_EQ(seeds.objective_seed, v["objective_seed"].get<int>());
    EXPECT_EQ(seeds.extra_seed, v["extra_seed"].get<int>());
  }
}

TEST(LcgRandomTest, DrawsTheMsvcLcgSequence) {
  // x1 = 214013 * 1 + 2531011 = 2745024; (x1 >> 16) & 0x7FFF = 41, as derive_seeds(1) shows.
  LcgRandom a(1);
  EXPECT_EQ(a.next_short(0, 32768), 41);
  LcgRandom b(1);
  EXPECT_EQ(b.next_int(0, 1 << 30), 2745024);
  LcgRandom c(1);
  EXPECT_FLOAT_EQ(c.next_float(), 41.0f / 32768.0f);
}

TEST(LcgRandomTest, SampleReturnsAllRowsWhenKEqualsN) {
  LcgRandom random(7);
  const std::vector<int> all = random.sample(5, 5);
  EXPECT_EQ(all, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(random.sample(3, 4).empty());
  EXPECT_TRUE(random.sample(3, 0).empty());
}

TEST(LcgRandomTest, SampleIsSortedDistinctAndSizedInBothRegimes) {
  // K > N / log2(K): the Bernoulli pass (size is random but close to K); otherwise Floyd (exact).
  LcgRandom dense(3);
  const std::vector<int> bernoulli = dense.sample(1000, 900);
  EXPECT_TRUE(std::is_sorted(bernoulli.begin(), bernoulli.end()));
  EXPECT_EQ(std::adjacent_find(bernoulli.begin(), bernoulli.end()), bernoulli.end());
  EXPECT_LE(bernoulli.size(), 900u);
  EXPECT_GT(bernoulli.size(), 850u);
  LcgRandom sparse(3);
  const std::vector<int> floyd = sparse.sample(100000, 50);
  EXPECT_EQ(floyd.size(), 50u);
  EXPECT_TRUE(std::is_sorted(floyd.begin(), floyd.end()));
  EXPECT_EQ(std::adjacent_find(floyd.begin(), floyd.end()), floyd.end());
  EXPECT_LT(floyd.back(), 100000);
}

TEST(LcgRandomTest, FloydSampleMatchesHandComputedDraws) {
  // N=10, K=2 (2 <= 10/log2(2)=10): r=8 draws NextInt(0,9), r=9 draws NextInt(0,10).
  LcgRandom reference(5);
  const int first = reference.next_int(0, 9);
  int second = reference.next_int(0, 10);
  if (second == first) second = 9;
  LcgRandom random(5);
  const std::vector<int> got = random.sample(10, 2);
  std::vector<int> expected{first, second};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace traind::engines::trees::detail
