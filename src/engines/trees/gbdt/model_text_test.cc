// The LightGBM text model reader and writer (trees.md §A.5, §A.7.7): byte-identical round
// trips of every fixture model, files without tree_sizes, single-leaf trees, malformed
// files, and the parameters section of trained models.
#include "engines/trees/gbdt/model_text.h"

#include <gtest/gtest.h>

#include <string>

#include "engines/trees/gbdt/fixture_csv_for_tests.h"

namespace traind::engines::trees::detail {
namespace {

using testing::lightgbm_fixture_path;

const char* const kFixtureModels[] = {
    "binary/defaults",      "binary/deterministic",      "binary/is_unbalance",
    "binary/max_depth4",    "multiclass5/defaults",      "multiclass5/deterministic",
    "regression/defaults",  "regression/deterministic",  "regression/regression_l1",
    "regression/huber",     "nan_zero/defaults",         "nan_zero/deterministic",
    "categorical/defaults", "categorical/deterministic",
};

std::string fixture_model(const std::string& config) {
  return testing::read_text_file(lightgbm_fixture_path(config + "/model.txt"));
}

// The text between "parameters:\n" and "end of parameters" of a model file.
std::string parameters_section(const std::string& model) {
  const std::string start = "\nparameters:\n";
  const size_t begin = model.find(start) + start.size();
  return model.substr(begin, model.find("end of parameters\n") - begin);
}

class RoundTripTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTripTest, RewritesLightGbmFileByteForByte) {
  const std::string text = fixture_model(GetParam());
  Result<GbdtModelData> data = parse_model_text(text);
  ASSERT_TRUE(data.is_ok()) << data.status().to_string();
  EXPECT_TRUE(data->has_pandas_categorical_line);
  EXPECT_FALSE(data->parameters.empty());
  const std::string written = write_model_text(*data);
  EXPECT_EQ(written.size(), text.size());
  EXPECT_TRUE(written == text)
      << "first difference at byte "
      << std::mismatch(written.begin(), written.end(), text.begin(), text.end()).first -
             written.begin();
}

TEST_P(RoundTripTest, ModelApiRoundTripIsStable) {
  Result<GbdtModel> model = GbdtModel::from_text(fixture_model(GetParam()));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const std::string once = model->to_text();
  Result<GbdtModel> again = GbdtModel::from_text(once);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->to_text(), once);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RoundTripTest, ::testing::ValuesIn(kFixtureModels),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '/') c = '_';
                           }
                           return name;
                         });

TEST(ModelTextTest, ReadsFileWithoutTreeSizes) {
  const std::string text = fixture_model("categorical/deterministic");
  const size_t begin = text.find("tree_sizes=");
  const size_t end = text.find('\n', begin) + 1;
  const std::string without = text.substr(0, begin) + text.substr(end);
  Result<GbdtModelData> data = parse_model_text(without);
  ASSERT_TRUE(data.is_ok()) << data.status().to_string();
  Result<GbdtModelData> reference = parse_model_text(text);
  ASSERT_TRUE(reference.is_ok());
  ASSERT_EQ(data->trees.size(), reference->trees.size());
  // Written back, the file is LightGBM's again, tree_sizes included.
  EXPECT_EQ(write_model_text(*data), text);
}

TEST(ModelTextTest, ReadsCrLfLineEnds) {
  const std::string text = fixture_model("regression/deterministic");
  Result<GbdtModelData> reference = parse_model_text(text);
  ASSERT_TRUE(reference.is_ok());
  // Without tree_sizes (sizes would count the extra bytes), with \r\n everywhere.
  std::string crlf;
  const size_t sizes_begin = text.find("tree_sizes=");
  const std::string stripped =
      text.substr(0, sizes_begin) + text.substr(text.find('\n', sizes_begin) + 1);
  for (char c : stripped) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Result<GbdtModelData> data = parse_model_text(crlf);
  ASSERT_TRUE(data.is_ok()) << data.status().to_string();
  ASSERT_EQ(data->trees.size(), reference->trees.size());
  EXPECT_EQ(data->trees.back().leaf_value, reference->trees.back().leaf_value);
}

GbdtModelData single_leaf_model() {
  GbdtModelData data;
  data.max_feature_idx = 1;
  data.objective = "regression";
  data.feature_names = {"a", "b"};
  data.feature_infos = {"[0:1]", "none"};
  Tree tree;
  tree.num_leaves = 1;
  tree.leaf_value = {0.25};
  tree.leaf_weight = {10.0};
  tree.leaf_count = {10};
  tree.shrinkage = 1.0;
  data.trees.push_back(tree);
  return data;
}

TEST(ModelTextTest, WritesAndReadsSingleLeafTree) {
  const std::string text = write_model_text(single_leaf_model());
  const std::string block =
      "Tree=0\nnum_leaves=1\nnum_cat=0\nsplit_feature=\nsplit_gain=\nthreshold=\n"
      "decision_type=\nleft_child=\nright_child=\nleaf_value=0.25\nleaf_weight=10\n"
      "leaf_count=10\ninternal_value=\ninternal_weight=\ninternal_count=\nis_linear=0\n"
      "shrinkage=1\n\n\n";
  EXPECT_NE(text.find("tree_sizes=" + std::to_string(block.size()) + "\n\n" + block +
                      "end of trees\n\nfeature_importances:\n"),
            std::string::npos)
      << text;
  // No parameters section without parameters, no pandas line unless it was read.
  EXPECT_EQ(text.find("parameters:"), std::string::npos);
  EXPECT_EQ(text.find("pandas_categorical"), std::string::npos);
  Result<GbdtModel> model = GbdtModel::from_text(text);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  EXPECT_EQ(model->to_text(), text);
  const std::vector<double> x{0.5, 7.0};
  std::vector<double> out(1);
  model->predict(FeatureMatrix{x.data(), 1, 2}, out);
  EXPECT_EQ(out[0], 0.25);
  EXPECT_EQ(model->feature_importance(GbdtImportanceType::kSplit), (std::vector<double>{0.0, 0.0}));
}

TEST(ModelTextTest, RejectsWrongTreeSizes) {
  std::string text = fixture_model("binary/deterministic");
  const size_t at = text.find("tree_sizes=") + std::string("tree_sizes=").size();
  text.replace(at, 4, "3350");  // first size was 3352
  EXPECT_FALSE(parse_model_text(text).is_ok());
}

TEST(ModelTextTest, RejectsMalformedFiles) {
  EXPECT_FALSE(parse_model_text("").is_ok());
  EXPECT_FALSE(parse_model_text("tree\nversion=v4\nnum_class=1\n").is_ok());
  GbdtModelData data = single_leaf_model();
  data.trees[0].num_leaves = 2;
  data.trees[0].leaf_value = {1.0, 2.0};
  data.trees[0].leaf_weight = {1.0, 1.0};
  data.trees[0].leaf_count = {1, 1};
  data.trees[0].split_feature = {5};  // the model has 2 features
  data.trees[0].split_gain = {1.0f};
  data.trees[0].threshold = {0.5};
  data.trees[0].decision_type = {2};
  data.trees[0].left_child = {-1};
  data.trees[0].right_child = {-2};
  data.trees[0].internal_value = {0.0};
  data.trees[0].internal_weight = {2.0};
  data.trees[0].internal_count = {2};
  const Result<GbdtModelData> bad_feature = parse_model_text(write_model_text(data));
  ASSERT_FALSE(bad_feature.is_ok());
  EXPECT_NE(bad_feature.status().message().find("feature 5"), std::string::npos);
  data.trees[0].split_feature = {1};
  data.trees[0].right_child = {0};  // a cycle back to the root
  EXPECT_FALSE(parse_model_text(write_model_text(data)).is_ok());
  data.trees[0].right_child = {-2};
  EXPECT_TRUE(parse_model_text(write_model_text(data)).is_ok());
}

TEST(ModelTextTest, ParametersSectionOfDefaultBinaryConfigMatchesLightGbm) {
  GbdtConfig config;
  config.objective = "binary";
  config.verbosity = -1;
  EXPECT_EQ(format_gbdt_parameters(config), parameters_section(fixture_model("binary/defaults")));
}

TEST(ModelTextTest, ParametersSectionOfDeterministicConfigMatchesLightGbm) {
  // binary/deterministic: seed=42 derives the six seeds; sampling and early stopping on.
  GbdtConfig config;
  config.objective = "binary";
  config.num_iterations = 50;
  config.deterministic = true;
  config.num_threads = 1;
  config.force_col_wise = true;
  config.seed = 42;
  config.bagging_fraction = 0.8;
  config.bagging_freq = 1;
  config.feature_fraction = 0.8;
  config.early_stopping_round = 10;
  config.verbosity = -1;
  config.data_random_seed = 175;
  config.bagging_seed = 400;
  config.drop_seed = 17869;
  config.feature_fraction_seed = 30056;
  config.objective_seed = 16083;
  config.extra_seed = 12879;
  EXPECT_EQ(format_gbdt_parameters(config),
            parameters_section(fixture_model("binary/deterministic")));
}

TEST(ModelTextTest, ParametersSectionOfCategoricalMulticlassAndDepthConfigs) {
  GbdtConfig categorical;
  categorical.objective = "binary";
  categorical.verbosity = -1;
  categorical.categorical_feature = {2, 7, 11};
  EXPECT_EQ(format_gbdt_parameters(categorical),
            parameters_section(fixture_model("categorical/defaults")));
  GbdtConfig multiclass;
  multiclass.objective = "multiclass";
  multiclass.num_class = 5;
  multiclass.verbosity = -1;
  EXPECT_EQ(format_gbdt_parameters(multiclass),
            parameters_section(fixture_model("multiclass5/defaults")));
  GbdtConfig depth;
  depth.objective = "binary";
  depth.max_depth = 4;
  depth.num_leaves = 16;
  depth.verbosity = -1;
  EXPECT_EQ(format_gbdt_parameters(depth), parameters_section(fixture_model("binary/max_depth4")));
  GbdtConfig huber;
  huber.objective = "huber";
  huber.verbosity = -1;
  EXPECT_EQ(format_gbdt_parameters(huber), parameters_section(fixture_model("regression/huber")));
}

// Integration with parse_gbdt_config: every fixture's params.json resolves to a config whose
// parameters section is LightGBM's.
TEST_P(RoundTripTest, ParsedFixtureParamsWriteLightGbmsParametersSection) {
  const std::string config_path = GetParam();
  const auto params_file =
      testing::read_params_json(lightgbm_fixture_path(config_path + "/params.json"));
  GbdtParameterList parameters = testing::gbdt_parameters_from_json(params_file);
  const std::vector<int> categorical = testing::categorical_features_from_json(params_file);
  if (!categorical.empty()) {
    std::string joined;
    for (size_t i = 0; i < categorical.size(); ++i) {
      joined += (i > 0 ? "," : "") + std::to_string(categorical[i]);
    }
    parameters.emplace_back("categorical_feature", joined);
  }
  std::vector<std::string> warnings;
  Result<GbdtConfig> config = parse_gbdt_config(parameters, &warnings);
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ(format_gbdt_parameters(*config), parameters_section(fixture_model(config_path)));
}

}  // namespace
}  // namespace traind::engines::trees::detail
