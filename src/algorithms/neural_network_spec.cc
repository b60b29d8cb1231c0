// The neural_network algorithm: hyperparameters declared here, training and loading done
// by the libtorch module (neural_network_backend.h), opened on first use.
//
// Names follow scikit-learn's MLPClassifier/MLPRegressor where it has one
// (hidden_layer_sizes, activation, solver, batch_size, tol, early_stopping,
// validation_fraction, n_iter_no_change, momentum, nesterovs_momentum, random_state) and
// PyTorch's otherwise (dropout, weight_decay, epochs, lr_schedule). The same algorithm
// reads free-text columns: a sentencepiece tokenizer learnt on the training text feeds a
// bag-of-embeddings or a Transformer encoder per text column, joined with the tabular
// inputs before the MLP head.
#include <algorithm>

#include "algorithms/algorithm_specs.h"
#include "algorithms/neural_network_backend.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"

namespace traind::algorithms {
namespace {

std::vector<HyperParameter> neural_network_hyperparameters() {
  std::vector<HyperParameter> p;
  auto add = [&p](HyperParameter h) { p.push_back(std::move(h)); };
  add({.name = "hidden_layer_sizes",
       .type = ParamType::kIntegerArray,
       .default_value = {64, 32},
       .minimum = 1,
       .maximum = 65536,
       .help = "Width of each hidden layer of the MLP head, input side first; [] is a linear "
               "model on the inputs.",
       .aliases = {"hidden_layers", "layers"}});
  add({.name = "activation",
       .type = ParamType::kString,
       .default_value = "relu",
       .choices = {"relu", "tanh", "logistic", "identity", "gelu"},
       .help = "Activation after each hidden layer."});
  add({.name = "dropout",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_maximum = true,
       .help = "Dropout probability after each hidden layer's activation."});
  add({.name = "batch_norm",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Batch normalisation before each hidden layer's activation."});
  add({.name = "solver",
       .type = ParamType::kString,
       .default_value = "adam",
       .choices = {"adam", "adamw", "sgd"},
       .help = "Optimiser: Adam, AdamW (decoupled weight decay) or SGD with momentum.",
       .aliases = {"optimizer", "optimiser"}});
  add({.name = "learning_rate",
       .type = ParamType::kNumber,
       .default_value = 0.001,
       .minimum = 0.0,
       .maximum = 10.0,
       .exclusive_minimum = true,
       .help = "Initial learning rate.",
       .aliases = {"learning_rate_init", "lr"}});
  add({.name = "lr_schedule",
       .type = ParamType::kString,
       .default_value = "constant",
       .choices = {"constant", "cosine", "adaptive"},
       .help = "Learning-rate schedule: constant; cosine annealing to 0 over `epochs`; or "
               "scikit-learn's adaptive (divide by 5 whenever two epochs in a row fail to "
               "improve the monitored loss by tol).",
       .aliases = {"learning_rate_schedule", "scheduler"}});
  add({.name = "momentum",
       .type = ParamType::kNumber,
       .default_value = 0.9,
       .minimum = 0.0,
       .maximum = 1.0,
       .help = "SGD momentum (solver sgd only)."});
  add({.name = "nesterovs_momentum",
       .type = ParamType::kBoolean,
       .default_value = true,
       .help = "Nesterov momentum (solver sgd with momentum > 0 only)."});
  add({.name = "weight_decay",
       .type = ParamType::kNumber,
       .default_value = 0.0,
       .minimum = 0.0,
       .maximum = 10.0,
       .help = "L2 penalty: added to the gradient for adam and sgd (as torch.optim does), "
               "decoupled for adamw."});
  add({.name = "batch_size",
       .type = ParamType::kInteger,
       .default_value = 200,
       .minimum = 1,
       .maximum = 1048576,
       .help = "Rows per minibatch; capped at the number of training rows (scikit-learn's "
               "min(200, n_samples) by default)."});
  add({.name = "epochs",
       .type = ParamType::kInteger,
       .default_value = 200,
       .minimum = 1,
       .maximum = 100000,
       .help = "Maximum passes over the training rows.",
       .aliases = {"max_iter", "max_epochs", "num_epochs"}});
  add({.name = "tol",
       .type = ParamType::kNumber,
       .default_value = 1e-4,
       .minimum = 0.0,
       .help = "Minimum improvement of the monitored loss that counts as progress."});
  add({.name = "early_stopping",
       .type = ParamType::kBoolean,
       .default_value = false,
       .help = "Hold out validation_fraction of the training rows, stop when their loss has "
               "not improved by tol for n_iter_no_change epochs, and keep the best epoch's "
               "weights. Without it, training stops when the training loss stalls the same "
               "way (scikit-learn's rule)."});
  add({.name = "validation_fraction",
       .type = ParamType::kNumber,
       .default_value = 0.1,
       .minimum = 0.0,
       .maximum = 1.0,
       .exclusive_minimum = true,
       .exclusive_maximum = true,
       .help = "Share of the training rows held out for early stopping."});
  add({.name = "n_iter_no_change",
       .type = ParamType::kInteger,
       .default_value = 10,
       .minimum = 1,
       .maximum = 100000,
       .help = "Epochs without improvement before training stops.",
       .aliases = {"patience", "early_stopping_rounds"}});
  add({.name = "class_weight",
       .type = ParamType::kString,
       .default_value = nullptr,
       .choices = {"balanced"},
       .help = "Classification: \"balanced\" weighs each class's loss by n / (classes x "
               "count), for imbalanced targets; null weighs every row 1."});
  add({.name = "random_state",
       .type = ParamType::kInteger,
       .default_value = nullptr,
       .minimum = 0,
       .maximum = 9007199254740991.0,
       .help = "Seed of the initial weights, shuffling, dropout and the validation part; null "
               "uses the job's seed. Same seed and thread count give identical weights.",
       .aliases = {"seed", "random_seed"}});
  add({.name = "categorical_encoding",
       .type = ParamType::kString,
       .default_value = "one_hot",
       .choices = {"one_hot", "embedding"},
       .help = "Categorical columns as one-hot inputs, or as a learnt embedding per column "
               "(min(50, (categories + 1) / 2) wide)."});
  add({.name = "text_model",
       .type = ParamType::kString,
       .default_value = "bag_of_embeddings",
       .choices = {"bag_of_embeddings", "transformer"},
       .help = "Encoder of each text column: the mean of its token embeddings (fastText-like, "
               "fast), or a small Transformer encoder with learnt positions."});
  add({.name = "embedding_dim",
       .type = ParamType::kInteger,
       .default_value = 64,
       .minimum = 2,
       .maximum = 4096,
       .help = "Width of the token embeddings (and of the Transformer's layers)."});
  add({.name = "num_layers",
       .type = ParamType::kInteger,
       .default_value = 2,
       .minimum = 1,
       .maximum = 24,
       .help = "Transformer encoder layers (text_model transformer)."});
  add({.name = "num_heads",
       .type = ParamType::kInteger,
       .default_value = 4,
       .minimum = 1,
       .maximum = 64,
       .help = "Attention heads per Transformer layer; must divide embedding_dim."});
  add({.name = "max_length",
       .type = ParamType::kInteger,
       .default_value = 128,
       .minimum = 1,
       .maximum = 4096,
       .help = "Tokens kept per text (longer texts are truncated)."});
  add({.name = "vocab_size",
       .type = ParamType::kInteger,
       .default_value = 8000,
       .minimum = 16,
       .maximum = 1000000,
       .help = "Upper bound of the subword vocabulary learnt on the training text (smaller when "
               "the text has fewer distinct pieces)."});
  add({.name = "tokenizer",
       .type = ParamType::kString,
       .default_value = "unigram",
       .choices = {"unigram", "bpe"},
       .help = "sentencepiece model type of the subword tokenizer."});
  return p;
}

std::vector<ErrorDetail> check_for_task(const std::string& task, const nlohmann::json& resolved) {
  std::vector<ErrorDetail> problems;
  // Each width is bounded by the schema; the depth is bounded here.
  if (const auto layers = resolved.value("hidden_layer_sizes", nlohmann::json());
      layers.is_array() && layers.size() > 64) {
    problems.push_back({"/hyperparameters/hidden_layer_sizes", "at most 64 hidden layers"});
  }
  if (task != "classification" && resolved.value("class_weight", nlohmann::json()).is_string()) {
    problems.push_back(
        {"/hyperparameters/class_weight", "class_weight applies to classification only"});
  }
  const auto dim = resolved.value("embedding_dim", nlohmann::json());
  const auto heads = resolved.value("num_heads", nlohmann::json());
  if (resolved.value("text_model", "") == "transformer" && dim.is_number_integer() &&
      heads.is_number_integer() && heads.get<int64_t>() > 0 &&
      dim.get<int64_t>() % heads.get<int64_t>() != 0) {
    problems.push_back(
        {"/hyperparameters/num_heads",
         "num_heads (" + heads.dump() + ") must divide embedding_dim (" + dim.dump() + ")"});
  }
  return problems;
}

// Resolves the hyperparameters (so a Trainer called directly gets defaults too), then
// hands over to the module's trainer.
class NeuralNetworkTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override {
    auto resolved = resolve_hyperparameters(neural_network_spec(), options.hyperparameters);
    if (!resolved) return resolved.status();
    auto backend = load_neural_network_backend();
    if (!backend) return backend.status();
    TrainOptions resolved_options = options;
    resolved_options.hyperparameters = std::move(resolved.value());
    return (*backend)->make_trainer()->train(train, valid, resolved_options);
  }
};

}  // namespace

const AlgorithmSpec& neural_network_spec() {
  static const AlgorithmSpec kSpec = [] {
    AlgorithmSpec s;
    s.name = "neural_network";
    s.aliases = {"nn",    "mlp",           "neural_net",   "pytorch",
                 "torch", "MLPClassifier", "MLPRegressor", "text_classifier"};
    // "nlp" = text classification (train/config.cc resolves it to classification).
    s.tasks = {"classification", "regression", "nlp"};
    s.library = "libtorch 1.13 (C++ frontend), sentencepiece 0.1.97";
    s.model_format = "torchscript";
    s.description =
        "Neural network on libtorch: an MLP on the tabular features (standardised numbers, "
        "one-hot or embedded categories) and, for free-text columns, a sentencepiece "
        "tokenizer with a bag-of-embeddings or Transformer encoder. The model is TorchScript "
        "(torch.jit.load runs it) with its tokenizers and preprocessing inside.";
    s.hyperparameters = neural_network_hyperparameters();
    s.handles_missing = false;
    s.wants_standardized = true;
    s.reads_text = true;
    s.native_categorical_when = [](const nlohmann::json& resolved) {
      return resolved.value("categorical_encoding", "") == "embedding";
    };
    s.check_for_task = &check_for_task;
    s.make_trainer = []() -> std::unique_ptr<Trainer> {
      return std::make_unique<NeuralNetworkTrainer>();
    };
    s.load_model = [](const std::string& dir,
                      const nlohmann::json& meta) -> Result<std::unique_ptr<Model>> {
      auto backend = load_neural_network_backend();
      if (!backend) return backend.status();
      return (*backend)->load_model(dir, meta);
    };
    return s;
  }();
  return kSpec;
}

}  // namespace traind::algorithms
