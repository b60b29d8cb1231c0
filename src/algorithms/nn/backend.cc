// The module's entry point: the NeuralNetworkBackend that neural_network_backend.cc finds
// with dlsym. Everything else in libtraind_nn.so is hidden.
#include <torch/csrc/jit/python/update_graph_executor_opt.h>
#include <torch/version.h>

#include <string>

#include "algorithms/neural_network_backend.h"
#include "algorithms/nn/network_model.h"
#include "algorithms/nn/network_trainer.h"
#include "algorithms/nn/torch_errors.h"

namespace traind::algorithms::nn {
namespace {

class TorchBackend final : public NeuralNetworkBackend {
 public:
  TorchBackend() {
    // The jit executor's optimising passes would make a model's first predictions and
    // later ones take different code paths; the plain one computes exactly the ops the
    // TorchScript source names, every time.
    torch::jit::setGraphExecutorOptimize(false);
  }

  std::unique_ptr<Trainer> make_trainer() const override { return make_network_trainer(); }

  Result<std::unique_ptr<Model>> load_model(const std::string& dir,
                                            const nlohmann::json& meta) const override {
    return NetworkModel::load(dir, meta);
  }

  std::string library_versions() const override {
    return std::string("libtorch ") + TORCH_VERSION + ", sentencepiece 0.1.97";
  }
};

}  // namespace
}  // namespace traind::algorithms::nn

extern "C" __attribute__((visibility("default"))) const traind::algorithms::NeuralNetworkBackend*
traind_neural_network_backend() {
  try {
    static const traind::algorithms::nn::TorchBackend backend;
    return &backend;
  } catch (...) {
    return nullptr;
  }
}
