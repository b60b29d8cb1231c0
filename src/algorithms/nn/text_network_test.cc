// The text encoders separate topics of synthetic support tickets.
#include <gtest/gtest.h>

#include <cstdio>

#include "algorithms/nn/network_test_support.h"
#include "algorithms/nn/sanitizer_skips_for_tests.h"

namespace traind::algorithms::nn {
namespace {

class TextNetwork : public ::testing::TestWithParam<const char*> {};

TEST_P(TextNetwork, SeparatesTopics) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  const Dataset train = testing::topic_texts(1600, 4, 21);
  const Dataset test = testing::topic_texts(400, 4, 22);
  const std::string text_model = GetParam();
  nlohmann::json hp = {{"text_model", text_model},
                       {"embedding_dim", 32},
                       {"num_heads", 4},
                       {"num_layers", 1},
                       {"max_length", 48},
                       {"vocab_size", 300},
                       {"hidden_layer_sizes", {32}},
                       {"batch_size", 32},
                       {"epochs", 12},
                       {"learning_rate", 0.003}};
  std::vector<double> valid_accuracy;
  TrainOptions o = testing::options_for(Task::kClassification, 4, hp);
  o.on_iteration = [&](const IterationReport& r) {
    valid_accuracy.push_back(r.metrics.at("valid_accuracy"));
    return true;
  };
  auto model = testing::train(train, o, &test);
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  auto p = (*model)->predict(test.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  const double acc = testing::accuracy(*p, test.y, 4);
  std::printf("%s: test accuracy %.4f after %zu epochs\n", text_model.c_str(), acc,
              valid_accuracy.size());
  EXPECT_GE(acc, 0.90);
  ASSERT_FALSE(valid_accuracy.empty());
  EXPECT_NEAR(valid_accuracy.back(), acc, 1e-6);
  const nlohmann::json meta = (*model)->metadata();
  EXPECT_EQ(meta["type"], "TextClassifier");
  EXPECT_EQ(meta["architecture"], text_model == "transformer"
                                      ? "transformer[layers=1,heads=4,dim=32]+mlp[32]"
                                      : "bag_of_embeddings[dim=32]+mlp[32]");
}

INSTANTIATE_TEST_SUITE_P(BothEncoders, TextNetwork,
                         ::testing::Values("bag_of_embeddings", "transformer"));

TEST(TextNetworkInputs, EmptyTextsAndMissingColumn) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  const Dataset train = testing::topic_texts(300, 3, 23);
  auto model = testing::train(
      train,
      testing::options_for(
          Task::kClassification, 3,
          {{"text_model", "transformer"}, {"embedding_dim", 16}, {"num_heads", 2}, {"epochs", 2}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  Dataset probe = testing::empty_dataset(1);
  probe.x.texts.push_back({"ticket", {"", "kalo"}});
  testing::add_row(probe, {0.0f}, 0);
  testing::add_row(probe, {0.0f}, 0);
  auto p = (*model)->predict(probe.x);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  for (double v : *p) EXPECT_TRUE(std::isfinite(v));
  probe.x.texts[0].name = "other";
  auto missing = (*model)->predict(probe.x);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kDataError);
}

}  // namespace
}  // namespace traind::algorithms::nn
