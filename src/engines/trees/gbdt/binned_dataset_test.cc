// Binning parity with LightGBM 4.6 (trees.md §A.7.2): mappers, bounds, categories and every
// row's bin on the fixtures' train and test sets, plus value_to_bin edge cases.
#include "engines/trees/gbdt/binned_dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "engines/trees/gbdt/double_sort.h"
#include "engines/trees/gbdt/fixture_csv_for_tests.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees::detail {
namespace {

using testing::lightgbm_fixture_path;

const char* missing_type_name(MissingType type) {
  switch (type) {
    case MissingType::kNone:
      return "None";
    case MissingType::kZero:
      return "Zero";
    case MissingType::kNaN:
      return "NaN";
  }
  return "?";
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

std::vector<std::string> model_feature_infos(const std::string& dataset) {
  const std::string model =
      testing::read_text_file(lightgbm_fixture_path(dataset + "/defaults/model.txt"));
  const std::string key = "\nfeature_infos=";
  const size_t start = model.find(key) + key.size();
  const std::string line = model.substr(start, model.find('\n', start) - start);
  std::vector<std::string> infos;
  size_t pos = 0;
  while (true) {
    const size_t space = line.find(' ', pos);
    infos.push_back(line.substr(pos, space == std::string::npos ? std::string::npos : space - pos));
    if (space == std::string::npos) break;
    pos = space + 1;
  }
  return infos;
}

struct Binned {
  testing::FixtureData train;
  BinnedDataset dataset;
};

Binned bin_fixture_train(const std::string& dataset) {
  Binned out;
  out.train = testing::read_fixture_data(lightgbm_fixture_path(dataset + "/train.csv"));
  BinningOptions options;
  options.categorical_features = testing::categorical_features_from_json(
      testing::read_params_json(lightgbm_fixture_path(dataset + "/defaults/params.json")));
  Result<BinnedDataset> built = build_binned_dataset(out.train.matrix(), options);
  EXPECT_TRUE(built.is_ok()) << built.status().to_string();
  if (built.is_ok()) out.dataset = std::move(built).value();
  return out;
}

// Compares every row's bin with bins_<split>.csv (-1 = unused feature).
void expect_bins_equal(const BinnedDataset& dataset, const std::string& csv_path) {
  int num_columns = 0;
  const std::vector<double> expected = testing::read_numeric_csv(csv_path, &num_columns);
  ASSERT_EQ(num_columns, static_cast<int>(dataset.mappers.size()));
  ASSERT_EQ(static_cast<int64_t>(expected.size()), dataset.num_rows * num_columns);
  std::vector<int> used_index(num_columns, -1);
  for (int j = 0; j < dataset.num_used(); ++j) used_index[dataset.used_features[j]] = j;
  int mismatches = 0;
  for (int64_t row = 0; row < dataset.num_rows; ++row) {
    for (int c = 0; c < num_columns; ++c) {
      const int want = static_cast<int>(expected[row * num_columns + c]);
      const int got = used_index[c] < 0 ? -1 : static_cast<int>(dataset.bin(row, used_index[c]));
      if (want != got && ++mismatches <= 5) {
        ADD_FAILURE() << csv_path << " row " << row << " feature " << c << ": want " << want
                      << " got " << got;
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

class BinningParityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BinningParityTest, MappersMatchLightGbm) {
  const std::string name = GetParam();
  const Binned binned = bin_fixture_train(name);
  const testing::CsvTable table =
      testing::read_csv(lightgbm_fixture_path(name + "/defaults/bin_mappers.csv"));
  const std::vector<std::string> infos = model_feature_infos(name);
  ASSERT_EQ(table.rows.size(), binned.dataset.mappers.size());
  ASSERT_EQ(infos.size(), binned.dataset.mappers.size());
  for (size_t f = 0; f < table.rows.size(); ++f) {
    SCOPED_TRACE(name + " feature " + std::to_string(f));
    const BinMapper& mapper = binned.dataset.mappers[f];
    const auto& row = table.rows[f];
    const bool used = row[table.column("used")] == "1";
    EXPECT_EQ(!mapper.is_trivial(), used);
    EXPECT_EQ(mapper.feature_info(), row[table.column("feature_info")]);
    EXPECT_EQ(mapper.feature_info(), infos[f]);
    if (!used) continue;
    EXPECT_EQ(mapper.num_bins(), std::stoi(row[table.column("num_bin")]));
    EXPECT_EQ(mapper.bin_type() == BinType::kCategorical ? "categorical" : "numerical",
              row[table.column("bin_type")]);
    EXPECT_EQ(missing_type_name(mapper.missing_type()), row[table.column("missing_type")]);
    EXPECT_EQ(mapper.default_bin(), std::stoul(row[table.column("default_bin")]));
    EXPECT_EQ(mapper.most_freq_bin(), std::stoul(row[table.column("most_freq_bin")]));
    EXPECT_TRUE(same_bits(mapper.min_value(), table.number(f, table.column("min_val"))));
    EXPECT_TRUE(same_bits(mapper.max_value(), table.number(f, table.column("max_val"))));
  }
}

TEST_P(BinningParityTest, NumericalUpperBoundsAreBitExact) {
  const std::string name = GetParam();
  const Binned binned = bin_fixture_train(name);
  const testing::CsvTable table =
      testing::read_csv(lightgbm_fixture_path(name + "/defaults/bin_upper_bounds.csv"));
  std::map<int, std::vector<double>> expected;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    expected[std::stoi(table.rows[r][0])].push_back(table.number(r, 2));
  }
  int numerical_used = 0;
  for (size_t f = 0; f < binned.dataset.mappers.size(); ++f) {
    const BinMapper& mapper = binned.dataset.mappers[f];
    if (mapper.is_trivial() || mapper.bin_type() != BinType::kNumerical) continue;
    ++numerical_used;
    SCOPED_TRACE(name + " feature " + std::to_string(f));
    const std::vector<double>& want = expected[static_cast<int>(f)];
    ASSERT_EQ(mapper.bin_upper_bounds().size(), want.size());
    for (size_t b = 0; b < want.size(); ++b) {
      EXPECT_TRUE(same_bits(mapper.bin_upper_bound(static_cast<uint32_t>(b)), want[b]))
          << "bin " << b << ": " << mapper.bin_upper_bound(static_cast<uint32_t>(b)) << " vs "
          << want[b];
    }
  }
  EXPECT_EQ(numerical_used, static_cast<int>(expected.size()));
}

TEST_P(BinningParityTest, TrainRowsGetLightGbmBins) {
  const std::string name = GetParam();
  const Binned binned = bin_fixture_train(name);
  expect_bins_equal(binned.dataset, lightgbm_fixture_path(name + "/defaults/bins_train.csv"));
}

TEST_P(BinningParityTest, TestRowsBinnedLikeTrainGetLightGbmBins) {
  const std::string name = GetParam();
  const Binned binned = bin_fixture_train(name);
  const testing::FixtureData test =
      testing::read_fixture_data(lightgbm_fixture_path(name + "/test.csv"));
  const BinnedDataset test_bins = bin_like(test.matrix(), binned.dataset);
  EXPECT_EQ(test_bins.num_rows, test.num_rows);
  EXPECT_EQ(test_bins.used_features, binned.dataset.used_features);
  expect_bins_equal(test_bins, lightgbm_fixture_path(name + "/defaults/bins_test.csv"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BinningParityTest,
                         ::testing::Values("binary", "multiclass5", "regression", "nan_zero",
                                           "categorical"));

TEST(BinningTest, CategoricalBinsHoldLightGbmCategories) {
  const Binned binned = bin_fixture_train("categorical");
  const testing::CsvTable table =
      testing::read_csv(lightgbm_fixture_path("categorical/defaults/bin_categories.csv"));
  std::map<int, std::vector<int>> expected;
  for (const auto& row : table.rows) expected[std::stoi(row[0])].push_back(std::stoi(row[2]));
  ASSERT_EQ(expected.size(), 3u);
  for (const auto& [feature, categories] : expected) {
    SCOPED_TRACE(feature);
    const BinMapper& mapper = binned.dataset.mappers[feature];
    EXPECT_EQ(mapper.bin_type(), BinType::kCategorical);
    EXPECT_EQ(mapper.bin_categories(), categories);
    for (size_t bin = 0; bin < categories.size(); ++bin) {
      EXPECT_EQ(mapper.bin_to_category(static_cast<uint32_t>(bin)), categories[bin]);
    }
  }
}

TEST(BinningTest, NanBinStoresLightGbmsEnumBoundAndTakesNan) {
  const Binned binned = bin_fixture_train("nan_zero");
  const BinMapper& f0 = binned.dataset.mappers[0];
  ASSERT_EQ(f0.missing_type(), MissingType::kNaN);
  EXPECT_EQ(f0.bin_upper_bounds().back(), 2.0);
  EXPECT_TRUE(std::isinf(f0.bin_upper_bounds()[f0.num_bins() - 2]));
  EXPECT_EQ(f0.value_to_bin(std::numeric_limits<double>::quiet_NaN()),
            static_cast<uint32_t>(f0.num_bins() - 1));
  EXPECT_EQ(f0.value_to_bin(1e300), static_cast<uint32_t>(f0.num_bins() - 2));
  // Tiny values are zero for LightGBM: they land in the zero bin.
  EXPECT_EQ(f0.value_to_bin(1e-300), f0.default_bin());
  EXPECT_EQ(f0.value_to_bin(-1e-36), f0.default_bin());
}

TEST(BinningTest, UnusableFeaturesAreTrivialAndLeftOut) {
  const Binned binned = bin_fixture_train("nan_zero");
  for (int f : {14, 15, 16}) {
    EXPECT_TRUE(binned.dataset.mappers[f].is_trivial()) << f;
    EXPECT_EQ(binned.dataset.mappers[f].feature_info(), "none");
  }
  EXPECT_EQ(binned.dataset.num_used(), 15);
  EXPECT_FALSE(binned.dataset.bins8.empty());
  EXPECT_TRUE(binned.dataset.bins16.empty());
}

TEST(BinningTest, CategoricalUnseenNegativeAndNanGoToBinZero) {
  const Binned binned = bin_fixture_train("categorical");
  const BinMapper& f11 = binned.dataset.mappers[11];
  EXPECT_EQ(f11.value_to_bin(std::numeric_limits<double>::quiet_NaN()), 0u);
  EXPECT_EQ(f11.value_to_bin(-1.0), 0u);
  EXPECT_EQ(f11.value_to_bin(205.0), 0u);
  EXPECT_EQ(f11.value_to_bin(3e10), 0u);
  EXPECT_EQ(f11.value_to_bin(128.0), 1u);  // the most frequent category holds bin 1
  EXPECT_EQ(f11.value_to_bin(128.9), 1u);  // truncation, as static_cast<int>
}

TEST(BinningTest, RejectsCategoricalIndexOutsideTheData) {
  const std::vector<double> values{1, 2, 3, 4};
  BinningOptions options;
  options.categorical_features = {3};
  const Result<BinnedDataset> built =
      build_binned_dataset(FeatureMatrix{values.data(), 4, 1}, options);
  EXPECT_FALSE(built.is_ok());
}

TEST(BinningTest, SameBinsForAnyThreadCount) {
  const testing::FixtureData train =
      testing::read_fixture_data(lightgbm_fixture_path("nan_zero/train.csv"));
  BinningOptions one;
  one.num_threads = 1;
  BinningOptions three;
  three.num_threads = 3;
  const Result<BinnedDataset> a = build_binned_dataset(train.matrix(), one);
  const Result<BinnedDataset> b = build_binned_dataset(train.matrix(), three);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->bins8, b->bins8);
  EXPECT_EQ(a->used_features, b->used_features);
}

TEST(BinningTest, SampledBinningEqualsBinningTheSampledRows) {
  // With bin_construct_sample_cnt < N the mappers come from the rows LightGBM's Sample(N, K)
  // picks with data_random_seed; the pre-filter scales min_data_in_leaf by K/N (20 -> 5).
  const testing::FixtureData train =
      testing::read_fixture_data(lightgbm_fixture_path("nan_zero/train.csv"));
  BinningOptions sampled;
  sampled.bin_construct_sample_cnt = 1000;
  sampled.data_random_seed = 7;
  const Result<BinnedDataset> from_sample = build_binned_dataset(train.matrix(), sampled);
  ASSERT_TRUE(from_sample.is_ok());
  LcgRandom random(7);
  const std::vector<int> rows = random.sample(static_cast<int>(train.num_rows), 1000);
  std::vector<double> subset(rows.size() * train.feature_names.size());
  for (size_t c = 0; c < train.feature_names.size(); ++c) {
    for (size_t i = 0; i < rows.size(); ++i) {
      subset[c * rows.size() + i] = train.values[c * train.num_rows + rows[i]];
    }
  }
  BinningOptions whole;
  whole.min_data_in_leaf = 5;
  const Result<BinnedDataset> from_subset =
      build_binned_dataset(FeatureMatrix{subset.data(), static_cast<int64_t>(rows.size()),
                                         static_cast<int>(train.feature_names.size())},
                           whole);
  ASSERT_TRUE(from_subset.is_ok());
  EXPECT_EQ(from_sample->used_features, from_subset->used_features);
  for (size_t f = 0; f < train.feature_names.size(); ++f) {
    EXPECT_EQ(from_sample->mappers[f].bin_upper_bounds(),
              from_subset->mappers[f].bin_upper_bounds())
        << f;
    EXPECT_EQ(from_sample->mappers[f].feature_info(), from_subset->mappers[f].feature_info());
  }
  EXPECT_EQ(from_sample->num_rows, train.num_rows);
}

TEST(BinningTest, ManyBinsUseSixteenBitEntries) {
  const testing::FixtureData train =
      testing::read_fixture_data(lightgbm_fixture_path("regression/train.csv"));
  BinningOptions options;
  options.max_bin = 1000;
  const Result<BinnedDataset> built = build_binned_dataset(train.matrix(), options);
  ASSERT_TRUE(built.is_ok());
  EXPECT_TRUE(built->bins8.empty());
  ASSERT_EQ(built->bins16.size(), static_cast<size_t>(train.num_rows * built->num_used()));
  const BinMapper& f0 = built->mappers[built->used_features[0]];
  EXPECT_GT(f0.num_bins(), 256);
  EXPECT_LE(f0.num_bins(), 1000);
  for (int64_t row = 0; row < train.num_rows; ++row) {
    ASSERT_EQ(built->bin(row, 0), f0.value_to_bin(train.matrix().at(row, built->used_features[0])));
  }
}

TEST(BinningTest, ZeroAsMissingAndUseMissingFalseFollowLightGbm) {
  // Values -2..3 with many zeros and a few NaN.
  std::vector<double> values;
  for (int i = 0; i < 300; ++i) values.push_back(i % 3 == 0 ? 0.0 : (i % 7) - 2.0);
  values[5] = std::numeric_limits<double>::quiet_NaN();
  values[11] = std::numeric_limits<double>::quiet_NaN();
  const FeatureMatrix x{values.data(), static_cast<int64_t>(values.size()), 1};
  BinningOptions zero_missing;
  zero_missing.zero_as_missing = true;
  const Result<BinnedDataset> zero = build_binned_dataset(x, zero_missing);
  ASSERT_TRUE(zero.is_ok());
  const BinMapper& z = zero->mappers[0];
  EXPECT_EQ(z.missing_type(), MissingType::kZero);
  // NaN is read as zero: it shares the zero bin.
  EXPECT_EQ(z.value_to_bin(std::numeric_limits<double>::quiet_NaN()), z.default_bin());
  EXPECT_EQ(z.value_to_bin(0.0), z.default_bin());
  EXPECT_NE(z.value_to_bin(1.0), z.default_bin());
  BinningOptions no_missing;
  no_missing.use_missing = false;
  const Result<BinnedDataset> none = build_binned_dataset(x, no_missing);
  ASSERT_TRUE(none.is_ok());
  const BinMapper& n = none->mappers[0];
  EXPECT_EQ(n.missing_type(), MissingType::kNone);
  EXPECT_EQ(n.value_to_bin(std::numeric_limits<double>::quiet_NaN()), n.default_bin());
  BinningOptions nan_missing;
  const Result<BinnedDataset> nan = build_binned_dataset(x, nan_missing);
  ASSERT_TRUE(nan.is_ok());
  EXPECT_EQ(nan->mappers[0].missing_type(), MissingType::kNaN);
  EXPECT_EQ(nan->mappers[0].value_to_bin(std::numeric_limits<double>::quiet_NaN()),
            static_cast<uint32_t>(nan->mappers[0].num_bins() - 1));
}

TEST(BinningTest, RadixSortOrdersDoublesLikeStdSort) {
  std::mt19937_64 generator(7);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::vector<double> values;
  for (int i = 0; i < 50000; ++i) values.push_back(normal(generator));
  for (int i = 0; i < 1000; ++i) values.push_back(std::floor(normal(generator)));  // duplicates
  values.push_back(std::numeric_limits<double>::infinity());
  values.push_back(-std::numeric_limits<double>::infinity());
  values.push_back(1e-300);
  values.push_back(-1e-300);
  values.push_back(std::numeric_limits<double>::denorm_min());
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  sort_doubles(&values);
  EXPECT_EQ(values, expected);
}

}  // namespace
}  // namespace traind::engines::trees::detail
