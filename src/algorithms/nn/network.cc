// The network's forward pass in ATen ops, and the same pass as TorchScript source.
//
// Keep Network::forward and torchscript_source() in step: the exported model must compute
// what the trained one did. Text encoders trim the token matrix to the longest text of the
// batch (pads sit at the right, and pads never reach a non-pad position through the
// attention's key mask or the masked mean), which spares most of the work on short texts.
#include "algorithms/nn/network.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace traind::algorithms::nn {
namespace {

constexpr double kNormEpsilon = 1e-5;       // PyTorch's LayerNorm and BatchNorm1d default
constexpr double kBatchNormMomentum = 0.1;  // PyTorch's default
constexpr double kMaskedScore = -1e9;       // attention score of a padding key
// dtypes in the TorchScript source: define()'s resolver knows no torch.<dtype> names, so
// the ScalarType codes stand in (as TorchScript itself represents dtypes).
constexpr char kInt64[] = "4";
constexpr char kFloat32[] = "6";

// A double as a TorchScript float literal (always with a '.' or an exponent).
std::string float_literal(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  std::string s = buffer;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

int head_dim(const NetworkArchitecture& a) { return a.embedding_dim / std::max(a.num_heads, 1); }

// 1/sqrt(head dimension), the attention's score scale.
double attention_scale(const NetworkArchitecture& a) {
  return 1.0 / std::sqrt(static_cast<double>(head_dim(a)));
}

}  // namespace

at::Tensor Network::add(const std::string& name, at::Tensor t, bool buffer) {
  if (!buffer) t.set_requires_grad(true);
  tensors_.push_back({name, t, buffer});
  return t;
}

// PyTorch's nn.Linear initialisation: weight and bias uniform in +-1/sqrt(fan_in).
Network::Linear Network::add_linear(const std::string& name, int in, int out) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(std::max(in, 1)));
  Linear l;
  l.weight = add(name + "_weight", at::empty({out, in}).uniform_(-bound, bound));
  l.bias = add(name + "_bias", at::empty({out}).uniform_(-bound, bound));
  return l;
}

Network Network::initialise(const NetworkArchitecture& architecture) {
  Network net(architecture);
  const NetworkArchitecture& a = net.architecture_;
  if (!a.categorical.empty()) {
    std::vector<int64_t> columns(a.numeric_columns.begin(), a.numeric_columns.end());
    net.numeric_columns_ = net.add("numeric_columns", at::tensor(columns, at::kLong), true);
    for (size_t i = 0; i < a.categorical.size(); ++i) {
      const CategoricalInput& c = a.categorical[i];
      net.category_embeddings_.push_back(
          net.add("category" + std::to_string(i) + "_embedding", at::randn({c.table_size, c.dim})));
    }
  }
  const int d = a.embedding_dim;
  for (size_t t = 0; t < a.texts.size(); ++t) {
    const std::string prefix = "text" + std::to_string(t);
    TextEncoder e;
    at::Tensor tokens = at::randn({a.texts[t].vocab_size, d});
    tokens[0].zero_();  // the pad row, as nn.Embedding(padding_idx=0) has it
    e.token_embedding = net.add(prefix + "_token_embedding", tokens);
    if (a.transformer()) {
      e.position_embedding = net.add(prefix + "_position_embedding", at::randn({a.max_length, d}));
      for (int l = 0; l < a.num_layers; ++l) {
        const std::string lp = prefix + "_layer" + std::to_string(l);
        EncoderLayer layer;
        // nn.MultiheadAttention: xavier-uniform in_proj, zero biases.
        const double xavier = std::sqrt(6.0 / (d + 3.0 * d));
        layer.in_proj.weight =
            net.add(lp + "_in_proj_weight", at::empty({3 * d, d}).uniform_(-xavier, xavier));
        layer.in_proj.bias = net.add(lp + "_in_proj_bias", at::zeros({3 * d}));
        layer.out_proj = net.add_linear(lp + "_out_proj", d, d);
        layer.out_proj.bias.detach().zero_();
        layer.norm1_weight = net.add(lp + "_norm1_weight", at::ones({d}));
        layer.norm1_bias = net.add(lp + "_norm1_bias", at::zeros({d}));
        layer.ff1 = net.add_linear(lp + "_ff1", d, 4 * d);
        layer.ff2 = net.add_linear(lp + "_ff2", 4 * d, d);
        layer.norm2_weight = net.add(lp + "_norm2_weight", at::ones({d}));
        layer.norm2_bias = net.add(lp + "_norm2_bias", at::zeros({d}));
        e.layers.push_back(std::move(layer));
      }
    }
    net.text_encoders_.push_back(std::move(e));
  }
  int width = a.head_input_width();
  for (size_t i = 0; i < a.hidden_layer_sizes.size(); ++i) {
    const std::string prefix = "hidden" + std::to_string(i);
    const int out = a.hidden_layer_sizes[i];
    HiddenLayer h;
    h.linear = net.add_linear(prefix, width, out);
    if (a.batch_norm) {
      h.bn_weight = net.add(prefix + "_bn_weight", at::ones({out}));
      h.bn_bias = net.add(prefix + "_bn_bias", at::zeros({out}));
      h.bn_running_mean = net.add(prefix + "_bn_running_mean", at::zeros({out}), true);
      h.bn_running_var = net.add(prefix + "_bn_running_var", at::ones({out}), true);
    }
    net.hidden_.push_back(std::move(h));
    width = out;
  }
  net.output_ = net.add_linear("output", width, a.outputs);
  return net;
}

std::vector<at::Tensor> Network::parameters() const {
  std::vector<at::Tensor> p;
  for (const NamedTensor& t : tensors_) {
    if (!t.buffer) p.push_back(t.tensor);
  }
  return p;
}

std::vector<at::Tensor> Network::snapshot() const {
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> copies;
  copies.reserve(tensors_.size());
  for (const NamedTensor& t : tensors_) copies.push_back(t.tensor.detach().clone());
  return copies;
}

void Network::restore(const std::vector<at::Tensor>& snapshot) {
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < tensors_.size() && i < snapshot.size(); ++i) {
    tensors_[i].tensor.detach().copy_(snapshot[i]);
  }
}

at::Tensor Network::activate(const at::Tensor& h) const {
  const std::string& f = architecture_.activation;
  if (f == "relu") return at::relu(h);
  if (f == "tanh") return at::tanh(h);
  if (f == "logistic") return at::sigmoid(h);
  if (f == "gelu") return at::gelu(h);
  return h;  // identity
}

at::Tensor Network::encode_text(const TextEncoder& e, const at::Tensor& all_tokens,
                                bool training) const {
  const NetworkArchitecture& a = architecture_;
  at::Tensor mask = all_tokens.ne(0);
  const int64_t length = std::max<int64_t>(mask.sum(1).max().item<int64_t>(), 1);
  const at::Tensor tokens = all_tokens.narrow(1, 0, length);
  mask = mask.narrow(1, 0, length);
  const at::Tensor weights = mask.to(at::kFloat).unsqueeze(2);
  at::Tensor h = at::embedding(e.token_embedding, tokens);
  if (a.transformer()) {
    const int64_t n = tokens.size(0);
    const int64_t d = a.embedding_dim;
    const int64_t heads = a.num_heads;
    const double scale = attention_scale(a);
    const bool gelu = a.activation == "gelu";
    const bool drop = training && a.dropout > 0.0;
    h = h + e.position_embedding.narrow(0, 0, length);
    // Attention on contiguous [n * heads, length, head_dim] batches, q scaled before the
    // product and the padding mask added inside baddbmm, as PyTorch's own attention does:
    // one full score tensor per layer instead of three.
    const at::Tensor key_bias = ((mask.to(at::kFloat) - 1.0) * -kMaskedScore)
                                    .view({n, 1, 1, length})
                                    .expand({n, heads, 1, length})
                                    .reshape({n * heads, 1, length});
    const int64_t head_size = d / heads;
    for (const EncoderLayer& l : e.layers) {
      const at::Tensor qkv = at::linear(h, l.in_proj.weight, l.in_proj.bias)
                                 .view({n, length, 3, heads, head_size})
                                 .permute({2, 0, 3, 1, 4});
      const at::Tensor q = (qkv.select(0, 0) * scale).reshape({n * heads, length, head_size});
      const at::Tensor k = qkv.select(0, 1).reshape({n * heads, length, head_size});
      const at::Tensor v = qkv.select(0, 2).reshape({n * heads, length, head_size});
      const at::Tensor attention = at::softmax(at::baddbmm(key_bias, q, k.transpose(1, 2)), -1);
      at::Tensor o = at::bmm(attention, v)
                         .view({n, heads, length, head_size})
                         .transpose(1, 2)
                         .reshape({n, length, d});
      o = at::linear(o, l.out_proj.weight, l.out_proj.bias);
      if (drop) o = at::dropout(o, a.dropout, true);
      h = at::layer_norm(h + o, {d}, l.norm1_weight, l.norm1_bias, kNormEpsilon);
      at::Tensor f = at::linear(h, l.ff1.weight, l.ff1.bias);
      f = gelu ? at::gelu(f) : at::relu(f);
      f = at::linear(f, l.ff2.weight, l.ff2.bias);
      if (drop) f = at::dropout(f, a.dropout, true);
      h = at::layer_norm(h + f, {d}, l.norm2_weight, l.norm2_bias, kNormEpsilon);
    }
  }
  return (h * weights).sum(1) / weights.sum(1).clamp_min(1.0);
}

at::Tensor Network::forward(const at::Tensor& x, const at::Tensor& tokens, bool training) const {
  const NetworkArchitecture& a = architecture_;
  std::vector<at::Tensor> parts;
  if (a.categorical.empty()) {
    if (a.n_features > 0) parts.push_back(x);
  } else {
    if (!a.numeric_columns.empty()) parts.push_back(x.index_select(1, numeric_columns_));
    for (size_t i = 0; i < a.categorical.size(); ++i) {
      const CategoricalInput& c = a.categorical[i];
      at::Tensor rows =
          at::nan_to_num(x.select(1, c.column), -1.0).clamp(-1.0, 1.0e9).to(at::kLong) + 1;
      rows = rows * rows.lt(c.table_size).to(at::kLong);
      parts.push_back(at::embedding(category_embeddings_[i], rows));
    }
  }
  for (size_t t = 0; t < text_encoders_.size(); ++t) {
    parts.push_back(
        encode_text(text_encoders_[t], tokens.select(1, static_cast<int64_t>(t)), training));
  }
  at::Tensor h = parts.size() == 1 ? parts[0] : at::cat(parts, 1);
  for (const HiddenLayer& layer : hidden_) {
    h = at::linear(h, layer.linear.weight, layer.linear.bias);
    if (a.batch_norm) {
      h = at::batch_norm(h, layer.bn_weight, layer.bn_bias, layer.bn_running_mean,
                         layer.bn_running_var, training, kBatchNormMomentum, kNormEpsilon, false);
    }
    h = activate(h);
    if (training && a.dropout > 0.0) h = at::dropout(h, a.dropout, true);
  }
  at::Tensor out = at::linear(h, output_.weight, output_.bias);
  if (a.task == Task::kRegression) out = out.squeeze(1);
  return out;
}

std::string torchscript_source(const NetworkArchitecture& a) {
  // define() wants the def at column 0 and its body indented.
  std::string s = a.texts.empty() ? "def forward(self, x: Tensor) -> Tensor:\n"
                                  : "def forward(self, x: Tensor, tokens: Tensor) -> Tensor:\n";
  auto body = [&s](const std::string& text) { s += "    " + text + "\n"; };
  std::vector<std::string> parts;
  if (a.categorical.empty()) {
    if (a.n_features > 0) parts.push_back("x");
  } else {
    if (!a.numeric_columns.empty()) {
      body("numeric = torch.index_select(x, 1, self.numeric_columns)");
      parts.push_back("numeric");
    }
    for (size_t i = 0; i < a.categorical.size(); ++i) {
      const std::string c = "category" + std::to_string(i);
      const CategoricalInput& in = a.categorical[i];
      body(c + "_rows = torch.clamp(torch.nan_to_num(torch.select(x, 1, " +
           std::to_string(in.column) + "), -1.0), -1.0, 1.0e9).to(" + kInt64 + ") + 1");
      body(c + "_rows = " + c + "_rows * torch.lt(" + c + "_rows, " +
           std::to_string(in.table_size) + ").to(" + kInt64 + ")");
      body(c + " = torch.embedding(self." + c + "_embedding, " + c + "_rows)");
      parts.push_back(c);
    }
  }
  const std::string d = std::to_string(a.embedding_dim);
  for (size_t t = 0; t < a.texts.size(); ++t) {
    const std::string p = "text" + std::to_string(t);
    body(p + "_all = torch.select(tokens, 1, " + std::to_string(t) + ")");
    body(p + "_mask = torch.ne(" + p + "_all, 0)");
    body(p + "_length = max(int(torch.max(torch.sum(" + p + "_mask, 1))), 1)");
    body(p + "_tokens = torch.narrow(" + p + "_all, 1, 0, " + p + "_length)");
    body(p + "_mask = torch.narrow(" + p + "_mask, 1, 0, " + p + "_length)");
    body(p + "_weights = torch.unsqueeze(" + p + "_mask.to(" + kFloat32 + "), 2)");
    body("h = torch.embedding(self." + p + "_token_embedding, " + p + "_tokens)");
    if (a.transformer()) {
      const std::string n = p + "_n";
      body(n + " = " + p + "_tokens.size(0)");
      body("h = h + torch.narrow(self." + p + "_position_embedding, 0, 0, " + p + "_length)");
      const std::string heads = std::to_string(a.num_heads);
      const std::string hd = std::to_string(head_dim(a));
      const std::string batch = n + " * " + heads;
      body(p + "_key_bias = ((" + p + "_mask.to(" + kFloat32 + ") - 1.0) * " +
           float_literal(-kMaskedScore) + ").view([" + n + ", 1, 1, " + p + "_length]).expand([" +
           n + ", " + heads + ", 1, " + p + "_length]).reshape([" + batch + ", 1, " + p +
           "_length])");
      for (int l = 0; l < a.num_layers; ++l) {
        const std::string w = "self." + p + "_layer" + std::to_string(l);
        body("qkv = torch.linear(h, " + w + "_in_proj_weight, " + w + "_in_proj_bias).view([" + n +
             ", " + p + "_length, 3, " + std::to_string(a.num_heads) + ", " +
             std::to_string(head_dim(a)) + "]).permute([2, 0, 3, 1, 4])");
        const std::string shape = "[" + batch + ", " + p + "_length, " + hd + "]";
        body("q = torch.reshape(torch.select(qkv, 0, 0) * " + float_literal(attention_scale(a)) +
             ", " + shape + ")");
        body("k = torch.reshape(torch.select(qkv, 0, 1), " + shape + ")");
        body("v = torch.reshape(torch.select(qkv, 0, 2), " + shape + ")");
        body("attention = torch.softmax(torch.baddbmm(" + p +
             "_key_bias, q, torch.transpose(k, 1, 2)), -1)");
        body("o = torch.reshape(torch.transpose(torch.bmm(attention, v).view([" + n + ", " + heads +
             ", " + p + "_length, " + hd + "]), 1, 2), [" + n + ", " + p + "_length, " + d + "])");
        body("o = torch.linear(o, " + w + "_out_proj_weight, " + w + "_out_proj_bias)");
        body("h = torch.layer_norm(h + o, [" + d + "], " + w + "_norm1_weight, " + w +
             "_norm1_bias, " + float_literal(kNormEpsilon) + ", False)");
        body("f = torch.linear(h, " + w + "_ff1_weight, " + w + "_ff1_bias)");
        body(std::string("f = ") + (a.activation == "gelu" ? "torch.gelu(f)" : "torch.relu(f)"));
        body("f = torch.linear(f, " + w + "_ff2_weight, " + w + "_ff2_bias)");
        body("h = torch.layer_norm(h + f, [" + d + "], " + w + "_norm2_weight, " + w +
             "_norm2_bias, " + float_literal(kNormEpsilon) + ", False)");
      }
    }
    body(p + " = torch.div(torch.sum(h * " + p + "_weights, 1), torch.clamp_min(torch.sum(" + p +
         "_weights, 1), 1.0))");
    parts.push_back(p);
  }
  if (parts.size() == 1) {
    body("h = " + parts[0]);
  } else {
    std::string joined;
    for (const std::string& part : parts) joined += (joined.empty() ? "" : ", ") + part;
    body("h = torch.cat([" + joined + "], 1)");
  }
  for (size_t i = 0; i < a.hidden_layer_sizes.size(); ++i) {
    const std::string w = "self.hidden" + std::to_string(i);
    body("h = torch.linear(h, " + w + "_weight, " + w + "_bias)");
    if (a.batch_norm) {
      body("h = torch.batch_norm(h, " + w + "_bn_weight, " + w + "_bn_bias, " + w +
           "_bn_running_mean, " + w + "_bn_running_var, False, " +
           float_literal(kBatchNormMomentum) + ", " + float_literal(kNormEpsilon) + ", False)");
    }
    const std::string& f = a.activation;
    if (f == "relu") body("h = torch.relu(h)");
    if (f == "tanh") body("h = torch.tanh(h)");
    if (f == "logistic") body("h = torch.sigmoid(h)");
    if (f == "gelu") body("h = torch.gelu(h)");
  }
  body("out = torch.linear(h, self.output_weight, self.output_bias)");
  if (a.task == Task::kClassification) {
    body("return torch.softmax(out, 1)");
  } else {
    body("return torch.squeeze(out, 1) * " + float_literal(a.target_std) + " + " +
         float_literal(a.target_mean));
  }
  return s;
}

}  // namespace traind::algorithms::nn
