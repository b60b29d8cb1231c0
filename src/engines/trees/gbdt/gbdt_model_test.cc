// GbdtModel on LightGBM-written models (trees.md §A.7.1, §A.6): raw and transformed
// predictions on every fixture's test set, and feature importances.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/fixture_csv_for_tests.h"
#include "engines/trees/gbdt/gbdt_model_data.h"

namespace traind::engines::trees {
namespace {

using testing::lightgbm_fixture_path;

const char* const kFixtureModels[] = {
    "binary/defaults",      "binary/deterministic",      "binary/is_unbalance",
    "binary/max_depth4",    "multiclass5/defaults",      "multiclass5/deterministic",
    "regression/defaults",  "regression/deterministic",  "regression/regression_l1",
    "regression/huber",     "nan_zero/defaults",         "nan_zero/deterministic",
    "categorical/defaults", "categorical/deterministic",
};

std::string dataset_of(const std::string& config_path) {
  return config_path.substr(0, config_path.find('/'));
}

GbdtModel load_fixture_model(const std::string& config_path) {
  Result<GbdtModel> model = GbdtModel::from_text(
      testing::read_text_file(lightgbm_fixture_path(config_path + "/model.txt")));
  if (!model.is_ok()) {
    ADD_FAILURE() << config_path << ": " << model.status().to_string();
    return GbdtModel(std::make_shared<detail::GbdtModelData>());
  }
  return std::move(model).value();
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

// Compares predictions with a fixture CSV: every value within 1e-12 relative; returns how
// many are not bit-identical.
int compare_with_csv(const std::vector<double>& got, const std::string& csv_path,
                     int expected_columns) {
  int num_columns = 0;
  const std::vector<double> want = testing::read_numeric_csv(csv_path, &num_columns);
  EXPECT_EQ(num_columns, expected_columns) << csv_path;
  EXPECT_EQ(got.size(), want.size()) << csv_path;
  int not_bit_exact = 0;
  int reported = 0;
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    if (same_bits(got[i], want[i])) continue;
    ++not_bit_exact;
    const double tolerance = 1e-12 * std::max(std::fabs(want[i]), 1e-300);
    if (!(std::fabs(got[i] - want[i]) <= tolerance) && ++reported <= 5) {
      ADD_FAILURE() << csv_path << " value " << i << ": got " << got[i] << " want " << want[i];
    }
  }
  return not_bit_exact;
}

class LoaderParityTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LoaderParityTest, RawPredictionsMatchLightGbmBitForBit) {
  const std::string config = GetParam();
  const GbdtModel model = load_fixture_model(config);
  const testing::FixtureData test =
      testing::read_fixture_data(lightgbm_fixture_path(dataset_of(config) + "/test.csv"));
  ASSERT_EQ(model.num_features(), static_cast<int>(test.feature_names.size()));
  std::vector<double> raw(test.num_rows * model.num_tree_per_iteration());
  model.predict_raw(test.matrix(), raw);
  EXPECT_EQ(compare_with_csv(raw, lightgbm_fixture_path(config + "/pred_raw.csv"),
                             model.num_tree_per_iteration()),
            0);
}

TEST_P(LoaderParityTest, TransformedPredictionsMatchLightGbm) {
  const std::string config = GetParam();
  const GbdtModel model = load_fixture_model(config);
  const testing::FixtureData test =
      testing::read_fixture_data(lightgbm_fixture_path(dataset_of(config) + "/test.csv"));
  std::vector<double> pred(test.num_rows * model.num_tree_per_iteration());
  model.predict(test.matrix(), pred);
  EXPECT_EQ(compare_with_csv(pred, lightgbm_fixture_path(config + "/pred.csv"),
                             model.num_tree_per_iteration()),
            0);
}

TEST_P(LoaderParityTest, SplitAndLoadedGainImportancesMatchLightGbm) {
  const std::string config = GetParam();
  const GbdtModel model = load_fixture_model(config);
  const testing::CsvTable table =
      testing::read_csv(lightgbm_fixture_path(config + "/importance.csv"));
  const std::vector<double> split = model.feature_importance(GbdtImportanceType::kSplit);
  const std::vector<double> gain = model.feature_importance(GbdtImportanceType::kGain);
  ASSERT_EQ(split.size(), table.rows.size());
  for (size_t f = 0; f < table.rows.size(); ++f) {
    SCOPED_TRACE(config + " feature " + std::to_string(f));
    EXPECT_EQ(table.rows[f][table.column("feature")], std::to_string(f));
    EXPECT_EQ(split[f], table.number(f, table.column("split")));
    const double want_gain = table.number(f, table.column("gain_loaded"));
    EXPECT_EQ(gain[f], want_gain);  // float gains summed in double: exact
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LoaderParityTest, ::testing::ValuesIn(kFixtureModels),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '/') c = '_';
                           }
                           return name;
                         });

TEST(GbdtModelTest, ReportsShapeOfLoadedModel) {
  const GbdtModel multiclass = load_fixture_model("multiclass5/deterministic");
  EXPECT_EQ(multiclass.num_class(), 5);
  EXPECT_EQ(multiclass.num_tree_per_iteration(), 5);
  EXPECT_EQ(multiclass.num_iterations(), 34);  // cut to the best iteration (README)
  EXPECT_EQ(multiclass.num_features(), 14);
  EXPECT_EQ(multiclass.objective(), "multiclass num_class:5");
  EXPECT_EQ(multiclass.best_iteration(), 0);
  const GbdtModel binary = load_fixture_model("binary/deterministic");
  EXPECT_EQ(binary.num_iterations(), 38);
  EXPECT_EQ(binary.num_class(), 1);
  EXPECT_EQ(binary.feature_names().front(), "f0");
}

TEST(GbdtModelTest, FewerIterationsPredictThePrefixSum) {
  const GbdtModel model = load_fixture_model("regression/defaults");
  const testing::FixtureData test =
      testing::read_fixture_data(lightgbm_fixture_path("regression/test.csv"));
  std::vector<double> first(test.num_rows);
  model.predict_raw(test.matrix(), first, 1);
  // One iteration = tree 0 alone (it carries the initial score).
  for (int64_t row = 0; row < test.num_rows; ++row) {
    EXPECT_EQ(first[row], model.data().trees[0].predict(test.matrix(), row));
  }
  std::vector<double> all(test.num_rows);
  std::vector<double> too_many(test.num_rows);
  model.predict_raw(test.matrix(), all);
  model.predict_raw(test.matrix(), too_many, 100000);
  EXPECT_EQ(all, too_many);
  EXPECT_NE(all, first);
  const std::vector<double> split_one = model.feature_importance(GbdtImportanceType::kSplit, 1);
  double splits = 0;
  for (double s : split_one) splits += s;
  EXPECT_EQ(splits, model.data().trees[0].num_leaves - 1);
}

TEST(GbdtModelTest, TooFewColumnsGiveNanInsteadOfReadingPastTheMatrix) {
  const GbdtModel model = load_fixture_model("binary/max_depth4");
  const std::vector<double> x(3, 0.0);  // 3 rows of 1 column; the model has 16 features
  std::vector<double> out(3, 0.0);
  model.predict(FeatureMatrix{x.data(), 3, 1}, out);
  for (double v : out) EXPECT_TRUE(std::isnan(v));
}

// A hand-made model using every decision type, including missing type Zero (which the
// fixtures lack): the block predictor must route every row like Tree::leaf_index.
std::shared_ptr<detail::GbdtModelData> all_decision_types_model() {
  auto data = std::make_shared<detail::GbdtModelData>();
  data->max_feature_idx = 2;
  data->objective = "regression";
  data->feature_names = {"a", "b", "c"};
  data->feature_infos = {"[-1:1]", "[-1:1]", "-1:0:3:40"};
  const int8_t kTypes[] = {0, 2, 4, 6, 8, 10};  // None/Zero/NaN, default right/left
  for (int8_t root_type : kTypes) {
    for (int8_t child_type : kTypes) {
      detail::Tree tree;
      tree.num_leaves = 4;
      tree.split_feature = {0, 1, 2};
      tree.split_gain = {1.0f, 1.0f, 1.0f};
      tree.threshold = {0.0, -0.25, 0.0};
      tree.decision_type = {root_type, child_type, 1};  // node 2: categorical
      tree.left_child = {1, -1, -3};
      tree.right_child = {2, -2, -4};
      tree.internal_value = {0, 0, 0};
      tree.internal_weight = {0, 0, 0};
      tree.internal_count = {0, 0, 0};
      tree.leaf_value = {1.0, 10.0, 100.0, 1000.0};
      tree.leaf_weight = {1, 1, 1, 1};
      tree.leaf_count = {1, 1, 1, 1};
      tree.num_cat = 1;
      tree.cat_boundaries = {0, 2};
      tree.cat_threshold = {(1u << 0) | (1u << 3), 1u << (40 - 32)};  // categories 0, 3, 40
      data->trees.push_back(tree);
    }
  }
  // The same numerical trees without the categorical node take the fast numerical path.
  const size_t mixed = data->trees.size();
  for (size_t t = 0; t < mixed; ++t) {
    detail::Tree tree = data->trees[t];
    tree.decision_type[2] = tree.decision_type[0];
    tree.num_cat = 0;
    tree.cat_boundaries.clear();
    tree.cat_threshold.clear();
    data->trees.push_back(tree);
  }
  return data;
}

TEST(GbdtModelTest, BlockPredictionRoutesLikeTreeWalkForEveryDecisionType) {
  const GbdtModel model(all_decision_types_model());
  const double kSpecial[] = {std::numeric_limits<double>::quiet_NaN(),
                             0.0,
                             -0.0,
                             1e-36,
                             -1e-300,
                             -0.25,
                             -0.2500001,
                             0.5,
                             -1.0,
                             3.0,
                             3.7,
                             40.0,
                             -3.0,
                             1e12};
  std::mt19937 generator(11);
  const int64_t rows = 3000;
  std::vector<double> values(rows * 3);
  for (double& v : values) v = kSpecial[generator() % std::size(kSpecial)];
  const FeatureMatrix x{values.data(), rows, 3};
  std::vector<double> got(rows);
  model.predict_raw(x, got);
  // A few rows take the direct tree walk; it must give the same sums.
  const FeatureMatrix small{values.data(), 5, 3};
  std::vector<double> few(5);
  model.predict_raw(small, few);
  for (int64_t row = 0; row < 5; ++row) {
    double want = 0.0;
    for (const detail::Tree& tree : model.data().trees) want += tree.predict(small, row);
    EXPECT_EQ(few[row], want);
  }
  for (int64_t row = 0; row < rows; ++row) {
    double want = 0.0;
    for (const detail::Tree& tree : model.data().trees) want += tree.predict(x, row);
    ASSERT_EQ(got[row], want) << "row " << row << ": " << x.at(row, 0) << " " << x.at(row, 1) << " "
                              << x.at(row, 2);
  }
}

TEST(GbdtModelTest, TreeWalkFollowsLightGbmMissingRules) {
  const auto data = all_decision_types_model();
  detail::Tree tree = data->trees[0];
  tree.decision_type = {10, 0, 1};  // root: NaN missing, default left
  auto at = [&](double a, double b, double c) {
    const std::vector<double> v{a, b, c};
    return tree.predict(FeatureMatrix{v.data(), 1, 3}, 0);
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(at(nan, 0.0, 0.0), 10.0);      // NaN follows default_left; 0 > -0.25 goes right
  EXPECT_EQ(at(0.5, 0.0, 3.0), 100.0);     // category 3 is in the set: left
  EXPECT_EQ(at(0.5, 0.0, 3.9), 100.0);     // truncated to 3
  EXPECT_EQ(at(0.5, 0.0, 4.0), 1000.0);    // not in the set
  EXPECT_EQ(at(0.5, 0.0, -3.0), 1000.0);   // negative: right
  EXPECT_EQ(at(0.5, 0.0, nan), 1000.0);    // NaN: right
  EXPECT_EQ(at(0.5, 0.0, 40.0), 100.0);    // second bitset word
  EXPECT_EQ(at(0.5, 0.0, 64.0), 1000.0);   // beyond the bitset
  tree.decision_type = {4, 0, 1};          // root: Zero missing, default right
  EXPECT_EQ(at(1e-36, 0.0, 4.0), 1000.0);  // tiny = zero = missing: right
  EXPECT_EQ(at(nan, 0.0, 4.0), 1000.0);    // NaN read as 0, missing: right
  EXPECT_EQ(at(-0.5, nan, 0.0), 10.0);     // None type: NaN read as 0 > -0.25: right
}

}  // namespace
}  // namespace traind::engines::trees
