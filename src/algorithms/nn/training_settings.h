// TrainingSettings: the neural_network hyperparameters the training loop reads, parsed once
// from TrainOptions.hyperparameters (names and defaults as neural_network_spec.cc declares
// them; a missing name takes its default so the trainer also works when called directly).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::algorithms::nn {

struct TrainingSettings {
  std::vector<int> hidden_layer_sizes = {64, 32};
  std::string activation = "relu";
  double dropout = 0.0;
  bool batch_norm = false;
  std::string solver = "adam";  // adam, adamw, sgd
  double learning_rate = 0.001;
  double momentum = 0.9;
  bool nesterovs_momentum = true;
  double weight_decay = 0.0;
  int batch_size = 200;
  int epochs = 200;
  double tol = 1e-4;
  std::string lr_schedule = "constant";  // constant, cosine, adaptive
  bool early_stopping = false;
  double validation_fraction = 0.1;
  int n_iter_no_change = 10;
  bool balanced_class_weight = false;
  std::optional<uint64_t> random_state;
  bool categorical_embedding = false;
  std::string text_model = "bag_of_embeddings";  // or transformer
  int embedding_dim = 64;
  int num_layers = 2;
  int num_heads = 4;
  int max_length = 128;
  int vocab_size = 8000;
  std::string tokenizer = "unigram";  // or bpe

  // kInvalidConfig naming the hyperparameter that has the wrong type or value.
  static Result<TrainingSettings> from_hyperparameters(const nlohmann::json& hp);
};

}  // namespace traind::algorithms::nn
