// NetworkArchitecture: the shape of a traind network and the layout of its inputs.
//
// Everything needed to rebuild the network's forward pass (and to turn a Matrix into its
// inputs) without the weights: which columns of x are numbers and which are category codes
// with their embedding tables, which text columns feed which encoder, the MLP head, and the
// target's standardisation. It is saved as "traind/network.json" inside model.pt.
// A value type: copy it freely between threads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "algorithms/trainer.h"
#include "core/status.h"

namespace traind::algorithms::nn {

// A categorical code column of x fed through an embedding table: row 0 is "missing or
// unseen", code c is row c + 1.
struct CategoricalInput {
  int column = 0;      // column of x holding the code
  int table_size = 0;  // max code seen in training + 2
  int dim = 0;         // min(50, (categories + 1) / 2), at least 1
};

// A free-text column, tokenised to max_length ids (0 = padding) by its own tokenizer.
struct TextInput {
  std::string name;
  int vocab_size = 0;
};

struct NetworkArchitecture {
  Task task = Task::kClassification;
  int outputs = 2;  // classes (>= 2) for classification, 1 for regression

  int n_features = 0;                // columns of x
  std::vector<int> numeric_columns;  // columns of x fed as numbers: all but `categorical`
  std::vector<CategoricalInput> categorical;

  std::vector<TextInput> texts;
  std::string text_model = "bag_of_embeddings";  // or "transformer"
  int embedding_dim = 64;
  int num_layers = 2;
  int num_heads = 4;
  int max_length = 128;

  std::vector<int> hidden_layer_sizes = {64, 32};
  std::string activation = "relu";  // relu, tanh, logistic, identity, gelu
  bool batch_norm = false;
  double dropout = 0.0;

  // Regression: the network learns (y - target_mean) / target_std; forward undoes it.
  double target_mean = 0.0;
  double target_std = 1.0;

  bool transformer() const { return text_model == "transformer"; }
  // Width of the MLP head's input: numbers, category embeddings, one vector per text.
  int head_input_width() const;
  // "mlp[64,32]", "bag_of_embeddings[dim=64]+mlp[64,32]", ...
  std::string describe() const;

  nlohmann::json to_json() const;
  // kInternal naming what is missing or inconsistent.
  static Result<NetworkArchitecture> from_json(const nlohmann::json& j);
};

}  // namespace traind::algorithms::nn
