// Data generators and helpers for nn_test: small deterministic problems a network must
// learn, a temporary directory, and accuracy / R^2.
#pragma once

#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "algorithms/nn/network_model.h"
#include "algorithms/nn/network_trainer.h"
#include "algorithms/trainer.h"

namespace traind::algorithms::nn::testing {

inline Dataset empty_dataset(size_t cols) {
  Dataset d;
  d.x.cols = cols;
  for (size_t c = 0; c < cols; ++c) d.feature_names.push_back("x" + std::to_string(c));
  return d;
}

inline void add_row(Dataset& d, const std::vector<float>& x, float y) {
  d.x.values.insert(d.x.values.end(), x.begin(), x.end());
  d.x.rows += 1;
  d.y.push_back(y);
}

// Class 1 where x0 * x1 > 0: the four quadrants of the plane, in [-1, 1]^2.
inline Dataset xor_quadrants(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Dataset d = empty_dataset(2);
  for (size_t r = 0; r < rows; ++r) {
    const float a = u(rng), b = u(rng);
    add_row(d, {a, b}, a * b > 0 ? 1.0f : 0.0f);
  }
  return d;
}

// `arms` interleaved spiral arms (cs231n's spiral), class = arm.
inline Dataset spiral(size_t rows_per_arm, int arms, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Dataset d = empty_dataset(2);
  for (size_t i = 0; i < rows_per_arm * arms; ++i) {
    const int arm = static_cast<int>(i % arms);
    const float radius = u(rng);
    const float theta = arm * 4.0f + radius * 4.0f + noise(rng);
    add_row(d, {radius * std::sin(theta), radius * std::cos(theta)}, static_cast<float>(arm));
  }
  return d;
}

// y = sin(x0) + x1^2 + small noise, x uniform in [-2, 2]^2, plus one useless feature.
inline Dataset smooth_function(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  Dataset d = empty_dataset(3);
  for (size_t r = 0; r < rows; ++r) {
    const float a = u(rng), b = u(rng), c = u(rng);
    add_row(d, {a, b, c}, std::sin(a) + b * b + noise(rng));
  }
  return d;
}

// Support-ticket-like texts of `classes` topics: each text mixes 4-12 common words with
// 2-3 words of its topic's own vocabulary (words built from syllables, so subwords help);
// one numeric feature of noise rides along.
inline Dataset topic_texts(size_t rows, int classes, uint32_t seed) {
  const std::vector<std::string> syllables = {"ka",  "lo",  "mi",  "ter", "pon", "six", "ra",
                                              "dun", "vel", "qui", "sto", "bar", "nep", "zu"};
  std::mt19937 vocab_rng(12345);  // the same vocabulary for every dataset
  auto word = [&](std::mt19937& rng) {
    std::uniform_int_distribution<size_t> s(0, syllables.size() - 1);
    std::uniform_int_distribution<int> n(2, 3);
    std::string w;
    for (int i = n(rng); i > 0; --i) w += syllables[s(rng)];
    return w;
  };
  std::vector<std::string> common;
  for (int i = 0; i < 60; ++i) common.push_back(word(vocab_rng));
  std::vector<std::vector<std::string>> topic(classes);
  for (auto& t : topic) {
    for (int i = 0; i < 12; ++i) t.push_back(word(vocab_rng));
  }
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> common_count(4, 12), topic_count(2, 3), cls(0, classes - 1);
  std::uniform_int_distribution<size_t> pick_common(0, common.size() - 1), pick_topic(0, 11);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  Dataset d = empty_dataset(1);
  d.x.texts.push_back({"ticket", {}});
  for (size_t r = 0; r < rows; ++r) {
    const int c = cls(rng);
    std::vector<std::string> words;
    for (int i = common_count(rng); i > 0; --i) words.push_back(common[pick_common(rng)]);
    for (int i = topic_count(rng); i > 0; --i) {
      std::uniform_int_distribution<size_t> at(0, words.size());
      words.insert(words.begin() + static_cast<long>(at(rng)), topic[c][pick_topic(rng)]);
    }
    std::string text;
    for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
    d.x.texts[0].values.push_back(text);
    add_row(d, {noise(rng)}, static_cast<float>(c));
  }
  return d;
}

inline TrainOptions options_for(Task task, int num_classes, nlohmann::json hp) {
  TrainOptions o;
  o.task = task;
  o.num_classes = num_classes;
  o.hyperparameters = std::move(hp);
  o.threads = 1;
  o.seed = 7;
  o.preprocessing = {{"test", true}};
  return o;
}

inline Result<std::unique_ptr<Model>> train(const Dataset& d, const TrainOptions& o,
                                            const Dataset* valid = nullptr) {
  return make_network_trainer()->train(d, valid, o);
}

inline double accuracy(const std::vector<double>& proba, const std::vector<float>& y, int k) {
  size_t correct = 0;
  for (size_t r = 0; r < y.size(); ++r) {
    size_t best = 0;
    for (int c = 1; c < k; ++c) {
      if (proba[r * k + c] > proba[r * k + best]) best = static_cast<size_t>(c);
    }
    correct += best == static_cast<size_t>(y[r]);
  }
  return static_cast<double>(correct) / static_cast<double>(y.size());
}

inline double r_squared(const std::vector<double>& pred, const std::vector<float>& y) {
  double mean = 0;
  for (float v : y) mean += v;
  mean /= static_cast<double>(y.size());
  double residual = 0, total = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    residual += (y[i] - pred[i]) * (y[i] - pred[i]);
    total += (y[i] - mean) * (y[i] - mean);
  }
  return 1.0 - residual / total;
}

// A fresh directory, removed with everything in it at the end of the scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nn_test.XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace traind::algorithms::nn::testing
