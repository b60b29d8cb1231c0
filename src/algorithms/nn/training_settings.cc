// Parses and checks the neural_network hyperparameters.
#include "algorithms/nn/training_settings.h"

#include <exception>

namespace traind::algorithms::nn {
namespace {

// hp[name] when present and not null, else `fallback`.
template <typename T>
T value_or(const nlohmann::json& hp, const char* name, T fallback) {
  if (!hp.is_object()) return fallback;
  const auto it = hp.find(name);
  if (it == hp.end() || it->is_null()) return fallback;
  return it->get<T>();
}

bool one_of(const std::string& v, std::initializer_list<const char*> choices) {
  for (const char* c : choices) {
    if (v == c) return true;
  }
  return false;
}

}  // namespace

Result<TrainingSettings> TrainingSettings::from_hyperparameters(const nlohmann::json& hp) {
  TrainingSettings s;
  try {
    s.hidden_layer_sizes = value_or(hp, "hidden_layer_sizes", s.hidden_layer_sizes);
    s.activation = value_or(hp, "activation", s.activation);
    s.dropout = value_or(hp, "dropout", s.dropout);
    s.batch_norm = value_or(hp, "batch_norm", s.batch_norm);
    s.solver = value_or(hp, "solver", s.solver);
    s.learning_rate = value_or(hp, "learning_rate", s.learning_rate);
    s.momentum = value_or(hp, "momentum", s.momentum);
    s.nesterovs_momentum = value_or(hp, "nesterovs_momentum", s.nesterovs_momentum);
    s.weight_decay = value_or(hp, "weight_decay", s.weight_decay);
    s.batch_size = value_or(hp, "batch_size", s.batch_size);
    s.epochs = value_or(hp, "epochs", s.epochs);
    s.tol = value_or(hp, "tol", s.tol);
    s.lr_schedule = value_or(hp, "lr_schedule", s.lr_schedule);
    s.early_stopping = value_or(hp, "early_stopping", s.early_stopping);
    s.validation_fraction = value_or(hp, "validation_fraction", s.validation_fraction);
    s.n_iter_no_change = value_or(hp, "n_iter_no_change", s.n_iter_no_change);
    s.balanced_class_weight = value_or<std::string>(hp, "class_weight", "") == "balanced";
    if (hp.is_object() && hp.contains("random_state") && !hp["random_state"].is_null()) {
      s.random_state = hp["random_state"].get<uint64_t>();
    }
    s.categorical_embedding =
        value_or<std::string>(hp, "categorical_encoding", "one_hot") == "embedding";
    s.text_model = value_or(hp, "text_model", s.text_model);
    s.embedding_dim = value_or(hp, "embedding_dim", s.embedding_dim);
    s.num_layers = value_or(hp, "num_layers", s.num_layers);
    s.num_heads = value_or(hp, "num_heads", s.num_heads);
    s.max_length = value_or(hp, "max_length", s.max_length);
    s.vocab_size = value_or(hp, "vocab_size", s.vocab_size);
    s.tokenizer = value_or(hp, "tokenizer", s.tokenizer);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInvalidConfig,
                  std::string("neural_network: a hyperparameter has the wrong type: ") + e.what());
  }
  auto bad = [](const std::string& name, const std::string& why) {
    return Status(ErrorCode::kInvalidConfig, "neural_network: " + name + " " + why,
                  {{"/hyperparameters/" + name, why}});
  };
  for (int width : s.hidden_layer_sizes) {
    if (width < 1) return bad("hidden_layer_sizes", "must hold positive widths");
  }
  if (!one_of(s.activation, {"relu", "tanh", "logistic", "identity", "gelu"})) {
    return bad("activation", "must be relu, tanh, logistic, identity or gelu");
  }
  if (!(s.dropout >= 0.0 && s.dropout < 1.0)) return bad("dropout", "must be in [0, 1)");
  if (!one_of(s.solver, {"adam", "adamw", "sgd"}))
    return bad("solver", "must be adam, adamw or sgd");
  if (!(s.learning_rate > 0.0)) return bad("learning_rate", "must be positive");
  if (!(s.momentum >= 0.0 && s.momentum <= 1.0)) return bad("momentum", "must be in [0, 1]");
  if (!(s.weight_decay >= 0.0)) return bad("weight_decay", "must not be negative");
  if (s.batch_size < 1) return bad("batch_size", "must be at least 1");
  if (s.epochs < 1) return bad("epochs", "must be at least 1");
  if (!(s.tol >= 0.0)) return bad("tol", "must not be negative");
  if (!one_of(s.lr_schedule, {"constant", "cosine", "adaptive"})) {
    return bad("lr_schedule", "must be constant, cosine or adaptive");
  }
  if (!(s.validation_fraction > 0.0 && s.validation_fraction < 1.0)) {
    return bad("validation_fraction", "must be in (0, 1)");
  }
  if (s.n_iter_no_change < 1) return bad("n_iter_no_change", "must be at least 1");
  if (!one_of(s.text_model, {"bag_of_embeddings", "transformer"})) {
    return bad("text_model", "must be bag_of_embeddings or transformer");
  }
  if (s.embedding_dim < 1) return bad("embedding_dim", "must be positive");
  if (s.num_layers < 1) return bad("num_layers", "must be at least 1");
  if (s.num_heads < 1 || (s.text_model == "transformer" && s.embedding_dim % s.num_heads != 0)) {
    return bad("num_heads", "must divide embedding_dim");
  }
  if (s.max_length < 1) return bad("max_length", "must be at least 1");
  if (s.vocab_size < 16) return bad("vocab_size", "must be at least 16");
  if (!one_of(s.tokenizer, {"unigram", "bpe"})) return bad("tokenizer", "must be unigram or bpe");
  return s;
}

}  // namespace traind::algorithms::nn
