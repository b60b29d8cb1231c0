// model.pt: reloads in C++ and in Python's torch.jit.load with the same predictions;
// several threads predict at once; running out of memory is an error, not a crash.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "algorithms/nn/network_test_support.h"
#include "algorithms/nn/sanitizer_skips_for_tests.h"

namespace traind::algorithms::nn {
namespace {

// Text, a category embedding, batch norm and a Transformer: every part of the forward.
Dataset mixed_dataset(size_t rows, uint32_t seed) {
  Dataset d = testing::topic_texts(rows, 3, seed);
  Dataset out = testing::empty_dataset(3);
  out.x.texts = d.x.texts;
  std::mt19937 rng(seed);
  for (size_t r = 0; r < d.x.rows; ++r) {
    testing::add_row(out,
                     {d.x.values[r], static_cast<float>(rng() % 4),
                      r % 7 == 0 ? NAN : static_cast<float>(rng() % 3)},
                     d.y[r]);
  }
  out.categorical_features = {1, 2};
  return out;
}

const nlohmann::json kMixedHyperparameters = {{"text_model", "transformer"},
                                              {"embedding_dim", 16},
                                              {"num_heads", 2},
                                              {"num_layers", 2},
                                              {"max_length", 24},
                                              {"vocab_size", 200},
                                              {"categorical_encoding", "embedding"},
                                              {"batch_norm", true},
                                              {"activation", "gelu"},
                                              {"dropout", 0.1},
                                              {"epochs", 3}};

template <typename T>
void write_file(const std::string& path, const std::vector<T>& values) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(values.data()),
          static_cast<std::streamsize>(values.size() * sizeof(T)));
}

TEST(NetworkModel, SavedModelReloadsWithIdenticalPredictions) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  for (Task task : {Task::kClassification, Task::kRegression}) {
    const Dataset train = mixed_dataset(400, 31);
    auto model = testing::train(train, testing::options_for(task, 3, kMixedHyperparameters));
    ASSERT_TRUE(model.is_ok()) << model.status().to_string();
    testing::TempDir dir;
    ASSERT_TRUE((*model)->save(dir.path()).is_ok());
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/" + (*model)->artifact_file()));
    auto loaded = NetworkModel::load(dir.path(), (*model)->metadata());
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
    auto before = (*model)->predict(train.x);
    auto after = (*loaded)->predict(train.x);
    ASSERT_TRUE(before.is_ok() && after.is_ok());
    EXPECT_EQ(*before, *after);
    EXPECT_EQ((*loaded)->metadata(), (*model)->metadata());
  }
}

TEST(NetworkModel, TabularModelReloads) {
  const Dataset train = testing::smooth_function(300, 32);
  auto model = testing::train(train, testing::options_for(Task::kRegression, 0, {{"epochs", 3}}));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  testing::TempDir dir;
  ASSERT_TRUE((*model)->save(dir.path()).is_ok());
  auto loaded = NetworkModel::load(dir.path(), (*model)->metadata());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(*(*model)->predict(train.x), *(*loaded)->predict(train.x));
  auto missing = NetworkModel::load(dir.path() + "/nothing", {});
  EXPECT_FALSE(missing.is_ok());
}

TEST(NetworkModel, PredictsFromSeveralThreads) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  const Dataset train = mixed_dataset(300, 33);
  auto model =
      testing::train(train, testing::options_for(Task::kClassification, 3, kMixedHyperparameters));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const std::vector<double> expected = *(*model)->predict(train.x);
  std::vector<std::vector<double>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) got[t] = *(*model)->predict(train.x);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

// Python's torch.jit.load runs model.pt and agrees with the C++ predictions.
TEST(NetworkModel, PythonTorchJitLoadAgrees) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  if (std::system("/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-torch is not installed";
  }
#ifdef TRAIND_NN_SOURCE_DIR
  const std::filesystem::path source_dir = TRAIND_NN_SOURCE_DIR;
#else
  const std::filesystem::path source_dir = std::filesystem::path(__FILE__).parent_path();
#endif
  const std::string script = (source_dir / "jit_load_check.py").string();
  ASSERT_TRUE(std::filesystem::exists(script)) << script;
  for (Task task : {Task::kClassification, Task::kRegression}) {
    const Dataset train = mixed_dataset(300, 34);
    auto trained = testing::train(train, testing::options_for(task, 3, kMixedHyperparameters));
    ASSERT_TRUE(trained.is_ok()) << trained.status().to_string();
    const auto* model = dynamic_cast<const NetworkModel*>(trained->get());
    ASSERT_NE(model, nullptr);
    testing::TempDir dir;
    ASSERT_TRUE(model->save(dir.path()).is_ok());
    const size_t rows = train.x.rows;
    std::vector<int64_t> tokens(rows * model->architecture().max_length);
    ASSERT_TRUE(model->encode_texts(train.x, 0, rows, tokens.data()).is_ok());
    write_file(dir.path() + "/x.f32", train.x.values);
    write_file(dir.path() + "/tokens.i64", tokens);
    write_file(dir.path() + "/expected.f64", *model->predict(train.x));
    std::ofstream(dir.path() + "/inputs.json") << nlohmann::json{
        {"rows", rows},
        {"cols", train.x.cols},
        {"text_columns", 1},
        {"max_length",
         model->architecture().max_length}}.dump();
    const std::string command = "/usr/bin/python3 " + script + " " + dir.path();
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
}

// The child of the test below: limits its memory, trains a ~16 GB network, and exits 0
// when that failed with kOutOfMemory.
[[noreturn]] void train_huge_network_under_memory_limit() {
  // Room for what the process holds now plus 256 MB.
  long data_kb = 0;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmData:", 0) == 0) data_kb = std::atol(line.c_str() + 7);
  }
  const rlim_t limit = (static_cast<rlim_t>(data_kb) + 256 * 1024) * 1024;
  const struct rlimit rl = {limit, limit};
  setrlimit(RLIMIT_DATA, &rl);
  const Dataset train = testing::xor_quadrants(100, 35);
  auto model = testing::train(
      train, testing::options_for(Task::kClassification, 2,
                                  {{"hidden_layer_sizes", {65536, 65536}}, {"epochs", 1}}));
  std::fprintf(stderr, "%s\n", model.status().to_string().c_str());
  _exit(!model.is_ok() && model.status().code() == ErrorCode::kOutOfMemory ? 0 : 1);
}

// Runs in a child process (gtest's threadsafe death-test style re-executes this binary),
// so the memory limit stays there.
TEST(NetworkModel, HugeNetworkUnderMemoryLimitIsOutOfMemory) {
  TRAIND_SKIP_UNDER_ASAN_ALLOCATOR();
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(train_huge_network_under_memory_limit(), ::testing::ExitedWithCode(0),
              "OUT_OF_MEMORY");
}

}  // namespace
}  // namespace traind::algorithms::nn
