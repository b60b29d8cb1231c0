// Network: the traind network's tensors and its forward pass, written from primitive ATen
// ops (linear, embedding, layer_norm, softmax, batch_norm) so that torchscript_source()
// can state the very same math as TorchScript for the exported model.
//
// Inputs: x float32 [n, n_features] (numbers and category codes, as the architecture lays
// them out) and tokens int64 [n, text columns, max_length] (0 = padding; empty when there
// are no text columns). A Network is used from one thread at a time.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "algorithms/nn/network_architecture.h"

namespace traind::algorithms::nn {

class Network {
 public:
  struct NamedTensor {
    std::string name;  // TorchScript attribute name, stable across versions
    at::Tensor tensor;
    bool buffer = false;  // batch-norm running statistics: state, not trained
  };

  // Fresh weights from torch's default generator (seed it first), laid out as
  // PyTorch's own layers initialise them.
  static Network initialise(const NetworkArchitecture& architecture);

  const NetworkArchitecture& architecture() const { return architecture_; }

  // Classification: logits [n, outputs]; regression: standardised predictions [n].
  // training: dropout active and batch norm on batch statistics (updating the running
  // ones).
  at::Tensor forward(const at::Tensor& x, const at::Tensor& tokens, bool training) const;

  // Every tensor, parameters and buffers, in a fixed order.
  const std::vector<NamedTensor>& tensors() const { return tensors_; }
  std::vector<at::Tensor> parameters() const;

  // Copies of every tensor's values, and putting them back (early stopping's best epoch).
  std::vector<at::Tensor> snapshot() const;
  void restore(const std::vector<at::Tensor>& snapshot);

 private:
  struct Linear {
    at::Tensor weight, bias;
  };
  struct HiddenLayer {
    Linear linear;
    at::Tensor bn_weight, bn_bias, bn_running_mean, bn_running_var;  // batch_norm only
  };
  struct EncoderLayer {
    Linear in_proj, out_proj, ff1, ff2;
    at::Tensor norm1_weight, norm1_bias, norm2_weight, norm2_bias;
  };
  struct TextEncoder {
    at::Tensor token_embedding, position_embedding;  // position: transformer only
    std::vector<EncoderLayer> layers;
  };

  explicit Network(NetworkArchitecture architecture) : architecture_(std::move(architecture)) {}
  at::Tensor add(const std::string& name, at::Tensor t, bool buffer = false);
  Linear add_linear(const std::string& name, int in, int out);
  at::Tensor encode_text(const TextEncoder& encoder, const at::Tensor& tokens, bool training) const;
  at::Tensor activate(const at::Tensor& h) const;

  NetworkArchitecture architecture_;
  std::vector<NamedTensor> tensors_;
  at::Tensor numeric_columns_;  // int64 index of the numeric columns (when categorical exist)
  std::vector<at::Tensor> category_embeddings_;
  std::vector<TextEncoder> text_encoders_;
  std::vector<HiddenLayer> hidden_;
  Linear output_;
};

// The TorchScript source of the exported module's forward: the same math as
// Network::forward(training = false), then softmax (classification) or the target's
// standardisation undone (regression). Attribute names are NamedTensor::name.
std::string torchscript_source(const NetworkArchitecture& architecture);

}  // namespace traind::algorithms::nn
