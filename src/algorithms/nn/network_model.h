// NetworkModel: a trained or loaded traind network behind the Model interface.
//
// The model is a TorchScript module ("TraindNetwork": the trained tensors as attributes,
// forward defined from torchscript_source()), so a freshly trained model and one reloaded
// from model.pt predict through the same code and give identical outputs. Text columns
// are tokenised by the model's own tokenizers. predict() may be called from several
// threads at once.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "algorithms/nn/network_architecture.h"
#include "algorithms/nn/text_tokenizer.h"
#include "algorithms/trainer.h"

namespace torch::jit {
struct Module;
}

namespace traind::algorithms::nn {

class Network;

inline constexpr char kNetworkArtifactFile[] = "model.pt";

// How training went, for metadata() and traind/network.json.
struct TrainingSummary {
  int epochs_trained = 0;
  int best_epoch = 0;  // 1-based epoch whose weights the model holds (0: none)
  bool stopped_early = false;
  bool cancelled = false;
  double final_learning_rate = 0.0;
  nlohmann::json hyperparameters;
};

class NetworkModel final : public Model {
 public:
  // Exports `network` (its current tensors, copied) as the model's TorchScript module.
  // tokenizers: one per architecture text column, in the same order.
  static Result<std::unique_ptr<NetworkModel>> from_network(const Network& network,
                                                            std::vector<TextTokenizer> tokenizers,
                                                            TrainingSummary summary,
                                                            nlohmann::json preprocessing);
  // Loads <dir>/model.pt as save() wrote it.
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  ~NetworkModel() override;

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override { return {}; }
  std::string importance_type() const override { return "permutation"; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kNetworkArtifactFile; }
  nlohmann::json metadata() const override;

  // The token ids forward() takes for rows [start, start + count) of x's text columns:
  // count x text columns x max_length int64 values, row-major, 0 = padding.
  // kDataError when one of the model's text columns is missing.
  Status encode_texts(const Matrix& x, size_t start, size_t count, int64_t* out) const;

  const NetworkArchitecture& architecture() const { return architecture_; }
  const TrainingSummary& summary() const { return summary_; }

 private:
  NetworkModel(std::unique_ptr<torch::jit::Module> module, NetworkArchitecture architecture,
               std::vector<TextTokenizer> tokenizers, TrainingSummary summary,
               nlohmann::json preprocessing);
  Result<std::vector<double>> predict_unguarded(const Matrix& x) const;
  nlohmann::json network_json() const;

  std::unique_ptr<torch::jit::Module> module_;
  NetworkArchitecture architecture_;
  std::vector<TextTokenizer> tokenizers_;
  TrainingSummary summary_;
  nlohmann::json preprocessing_;
};

}  // namespace traind::algorithms::nn
