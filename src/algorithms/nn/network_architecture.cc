// NetworkArchitecture <-> traind/network.json.
#include "algorithms/nn/network_architecture.h"

#include <exception>

namespace traind::algorithms::nn {

int NetworkArchitecture::head_input_width() const {
  int width = static_cast<int>(numeric_columns.size());
  for (const CategoricalInput& c : categorical) width += c.dim;
  width += static_cast<int>(texts.size()) * embedding_dim;
  return width;
}

std::string NetworkArchitecture::describe() const {
  std::string mlp = "mlp[";
  for (size_t i = 0; i < hidden_layer_sizes.size(); ++i) {
    mlp += (i ? "," : "") + std::to_string(hidden_layer_sizes[i]);
  }
  mlp += "]";
  if (texts.empty()) return mlp;
  if (transformer()) {
    return "transformer[layers=" + std::to_string(num_layers) +
           ",heads=" + std::to_string(num_heads) + ",dim=" + std::to_string(embedding_dim) + "]+" +
           mlp;
  }
  return "bag_of_embeddings[dim=" + std::to_string(embedding_dim) + "]+" + mlp;
}

nlohmann::json NetworkArchitecture::to_json() const {
  nlohmann::json categorical_json = nlohmann::json::array();
  for (const CategoricalInput& c : categorical) {
    categorical_json.push_back(
        {{"column", c.column}, {"table_size", c.table_size}, {"dim", c.dim}});
  }
  nlohmann::json texts_json = nlohmann::json::array();
  for (const TextInput& t : texts) {
    texts_json.push_back({{"name", t.name}, {"vocab_size", t.vocab_size}});
  }
  return {{"format_version", 1},
          {"task", task == Task::kClassification ? "classification" : "regression"},
          {"outputs", outputs},
          {"n_features", n_features},
          {"numeric_columns", numeric_columns},
          {"categorical", categorical_json},
          {"text_columns", texts_json},
          {"text_model", text_model},
          {"embedding_dim", embedding_dim},
          {"num_layers", num_layers},
          {"num_heads", num_heads},
          {"max_length", max_length},
          {"hidden_layer_sizes", hidden_layer_sizes},
          {"activation", activation},
          {"batch_norm", batch_norm},
          {"dropout", dropout},
          {"target_mean", target_mean},
          {"target_std", target_std},
          {"architecture", describe()}};
}

Result<NetworkArchitecture> NetworkArchitecture::from_json(const nlohmann::json& j) {
  try {
    NetworkArchitecture a;
    a.task = j.at("task").get<std::string>() == "classification" ? Task::kClassification
                                                                 : Task::kRegression;
    a.outputs = j.at("outputs").get<int>();
    a.n_features = j.at("n_features").get<int>();
    a.numeric_columns = j.at("numeric_columns").get<std::vector<int>>();
    for (const auto& c : j.at("categorical")) {
      a.categorical.push_back(
          {c.at("column").get<int>(), c.at("table_size").get<int>(), c.at("dim").get<int>()});
    }
    for (const auto& t : j.at("text_columns")) {
      a.texts.push_back({t.at("name").get<std::string>(), t.at("vocab_size").get<int>()});
    }
    a.text_model = j.at("text_model").get<std::string>();
    a.embedding_dim = j.at("embedding_dim").get<int>();
    a.num_layers = j.at("num_layers").get<int>();
    a.num_heads = j.at("num_heads").get<int>();
    a.max_length = j.at("max_length").get<int>();
    a.hidden_layer_sizes = j.at("hidden_layer_sizes").get<std::vector<int>>();
    a.activation = j.at("activation").get<std::string>();
    a.batch_norm = j.at("batch_norm").get<bool>();
    a.dropout = j.at("dropout").get<double>();
    a.target_mean = j.at("target_mean").get<double>();
    a.target_std = j.at("target_std").get<double>();
    if (a.outputs < 1 || a.n_features < 0 || a.head_input_width() < 1) {
      return Status(ErrorCode::kInternal, "neural network description is inconsistent");
    }
    return a;
  } catch (const std::exception& e) {
    return Status(
        ErrorCode::kInternal,
        std::string("neural network description (traind/network.json) is invalid: ") + e.what());
  }
}

}  // namespace traind::algorithms::nn
