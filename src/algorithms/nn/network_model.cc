// NetworkModel: TorchScript export, model.pt bundle, prediction through the jit module.
#include "algorithms/nn/network_model.h"

// GCC 12 reports a false -Warray-bounds in c10's IValue and intrusive_ptr once they are
// inlined here (a known GCC problem with libtorch's type pointers).
#pragma GCC diagnostic ignored "-Warray-bounds"

#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>

#include "algorithms/nn/network.h"
#include "algorithms/nn/torch_errors.h"

namespace traind::algorithms::nn {
namespace {

constexpr char kPreprocessFile[] = "traind/preprocess.json";
constexpr char kNetworkFile[] = "traind/network.json";

std::string tokenizer_file(const std::string& column) {
  return "traind/tokenizer/" + column + ".model";
}

// Rows per forward call: bounds the memory of a large prediction (attention holds
// rows x heads x length^2 scores).
int64_t rows_per_chunk(const NetworkArchitecture& a) {
  if (a.texts.empty()) return 65536;
  if (!a.transformer()) return 4096;
  const int64_t per_row = static_cast<int64_t>(a.num_heads) * a.max_length * a.max_length +
                          8LL * a.embedding_dim * a.max_length;
  return std::clamp<int64_t>((int64_t{1} << 26) / std::max<int64_t>(per_row, 1), 16, 4096);
}

}  // namespace

NetworkModel::NetworkModel(std::unique_ptr<torch::jit::Module> module,
                           NetworkArchitecture architecture, std::vector<TextTokenizer> tokenizers,
                           TrainingSummary summary, nlohmann::json preprocessing)
    : module_(std::move(module)),
      architecture_(std::move(architecture)),
      tokenizers_(std::move(tokenizers)),
      summary_(std::move(summary)),
      preprocessing_(std::move(preprocessing)) {}

NetworkModel::~NetworkModel() = default;

Result<std::unique_ptr<NetworkModel>> NetworkModel::from_network(
    const Network& network, std::vector<TextTokenizer> tokenizers, TrainingSummary summary,
    nlohmann::json preprocessing) {
  return guarded("neural_network: exporting the trained network to TorchScript",
                 ErrorCode::kInternal, [&]() -> Result<std::unique_ptr<NetworkModel>> {
                   auto module = std::make_unique<torch::jit::Module>("TraindNetwork");
                   for (const Network::NamedTensor& t : network.tensors()) {
                     module->register_parameter(t.name, t.tensor.detach().clone(), t.buffer);
                   }
                   module->define(torchscript_source(network.architecture()));
                   module->eval();
                   return std::unique_ptr<NetworkModel>(new NetworkModel(
                       std::move(module), network.architecture(), std::move(tokenizers),
                       std::move(summary), std::move(preprocessing)));
                 });
}

Result<std::vector<double>> NetworkModel::predict(const Matrix& x) const {
  return guarded("neural_network: predicting", ErrorCode::kInternal,
                 [&] { return predict_unguarded(x); });
}

Result<std::vector<double>> NetworkModel::predict_unguarded(const Matrix& x) const {
  const NetworkArchitecture& a = architecture_;
  if (static_cast<int>(x.cols) != a.n_features || x.values.size() != x.rows * x.cols) {
    return Status(ErrorCode::kDataError, "neural_network: the model takes " +
                                             std::to_string(a.n_features) + " features, got " +
                                             std::to_string(x.cols));
  }
  if (!a.texts.empty()) TRAIND_RETURN_IF_ERROR(encode_texts(x, 0, 0, nullptr));
  const int64_t rows = static_cast<int64_t>(x.rows);
  const int64_t outputs = a.task == Task::kClassification ? a.outputs : 1;
  std::vector<double> result(static_cast<size_t>(rows * outputs));
  if (rows == 0) return result;

  c10::InferenceMode inference;
  const int64_t chunk = rows_per_chunk(a);
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t n = std::min(chunk, rows - start);
    // The jit module never writes to its inputs: no copy of x.
    at::Tensor xs = at::from_blob(const_cast<float*>(x.row(static_cast<size_t>(start))),
                                  {n, static_cast<int64_t>(x.cols)}, at::kFloat);
    std::vector<c10::IValue> inputs{xs};
    if (!a.texts.empty()) {
      at::Tensor tokens =
          at::empty({n, static_cast<int64_t>(a.texts.size()), a.max_length}, at::kLong);
      TRAIND_RETURN_IF_ERROR(encode_texts(x, static_cast<size_t>(start), static_cast<size_t>(n),
                                          tokens.data_ptr<int64_t>()));
      inputs.emplace_back(tokens);
    }
    const at::Tensor out = module_->forward(inputs).toTensor().contiguous();
    if (out.numel() != n * outputs) {
      return Status(ErrorCode::kInternal, "neural_network: the network's output has " +
                                              std::to_string(out.numel()) + " values, expected " +
                                              std::to_string(n * outputs));
    }
    const float* values = out.data_ptr<float>();
    std::copy(values, values + n * outputs, result.begin() + start * outputs);
  }
  return result;
}

Status NetworkModel::encode_texts(const Matrix& x, size_t start, size_t count, int64_t* out) const {
  const NetworkArchitecture& a = architecture_;
  const size_t n_texts = a.texts.size();
  const size_t length = static_cast<size_t>(a.max_length);
  std::vector<int64_t> column;
  for (size_t t = 0; t < n_texts; ++t) {
    const auto it = std::find_if(x.texts.begin(), x.texts.end(),
                                 [&](const TextColumn& c) { return c.name == a.texts[t].name; });
    if (it == x.texts.end() || it->values.size() != x.rows) {
      return Status(ErrorCode::kDataError,
                    "neural_network: the text column \"" + a.texts[t].name + "\" is missing");
    }
    if (count == 0) continue;
    if (n_texts == 1) {
      tokenizers_[t].encode(it->values.data() + start, count, out);
      continue;
    }
    column.resize(count * length);
    tokenizers_[t].encode(it->values.data() + start, count, column.data());
    for (size_t r = 0; r < count; ++r) {
      std::copy_n(column.data() + r * length, length, out + (r * n_texts + t) * length);
    }
  }
  return Status::ok();
}

nlohmann::json NetworkModel::network_json() const {
  nlohmann::json j = architecture_.to_json();
  j["training"] = {{"epochs_trained", summary_.epochs_trained},
                   {"best_epoch", summary_.best_epoch},
                   {"stopped_early", summary_.stopped_early},
                   {"cancelled", summary_.cancelled},
                   {"final_learning_rate", summary_.final_learning_rate}};
  j["hyperparameters"] = summary_.hyperparameters;
  j["forward"] = architecture_.texts.empty()
                     ? "forward(x: float32 [n, n_features]) -> "
                     : "forward(x: float32 [n, n_features], tokens: int64 [n, text_columns, "
                       "max_length], 0 = padding) -> ";
  j["forward"] =
      j["forward"].get<std::string>() + (architecture_.task == Task::kClassification
                                             ? "float32 [n, outputs] class probabilities"
                                             : "float32 [n] predictions in target units");
  return j;
}

Status NetworkModel::save(const std::string& dir) const {
  return guarded("neural_network: saving the model", ErrorCode::kInternal, [&]() -> Status {
    torch::jit::ExtraFilesMap extra;
    extra[kPreprocessFile] = preprocessing_.dump(2);
    extra[kNetworkFile] = network_json().dump(2);
    for (size_t t = 0; t < tokenizers_.size(); ++t) {
      extra[tokenizer_file(architecture_.texts[t].name)] = tokenizers_[t].serialized();
    }
    module_->save((std::filesystem::path(dir) / kNetworkArtifactFile).string(), extra);
    return Status::ok();
  });
}

nlohmann::json NetworkModel::metadata() const {
  const bool text = !architecture_.texts.empty();
  const bool classification = architecture_.task == Task::kClassification;
  nlohmann::json text_columns = nlohmann::json::array();
  for (const TextInput& t : architecture_.texts) text_columns.push_back(t.name);
  return {{"type", text ? (classification ? "TextClassifier" : "TextRegressor")
                        : (classification ? "MLPClassifier" : "MLPRegressor")},
          {"architecture", architecture_.describe()},
          {"format", "torchscript"},
          {"task", classification ? "classification" : "regression"},
          {"outputs", architecture_.outputs},
          {"n_features", architecture_.n_features},
          {"text_columns", text_columns},
          {"epochs_trained", summary_.epochs_trained},
          {"best_epoch", summary_.best_epoch},
          {"stopped_early", summary_.stopped_early},
          {"cancelled", summary_.cancelled}};
}

Result<std::unique_ptr<Model>> NetworkModel::load(const std::string& dir,
                                                  const nlohmann::json& /*meta*/) {
  const std::string path = (std::filesystem::path(dir) / kNetworkArtifactFile).string();
  return guarded(
      "neural_network: loading " + path, ErrorCode::kInternal,
      [&]() -> Result<std::unique_ptr<Model>> {
        if (!std::filesystem::exists(path)) {
          return Status(ErrorCode::kNotFound, "neural_network: " + path + " does not exist");
        }
        torch::jit::ExtraFilesMap extra{{kPreprocessFile, ""}, {kNetworkFile, ""}};
        auto module = std::make_unique<torch::jit::Module>(torch::jit::load(path, at::kCPU, extra));
        module->eval();
        nlohmann::json network = nlohmann::json::parse(extra[kNetworkFile]);
        auto architecture = NetworkArchitecture::from_json(network);
        if (!architecture) return architecture.status();
        nlohmann::json preprocessing = extra[kPreprocessFile].empty()
                                           ? nlohmann::json()
                                           : nlohmann::json::parse(extra[kPreprocessFile]);
        // Tokenizers are named by column: read them straight from the archive.
        std::vector<TextTokenizer> tokenizers;
        if (!architecture->texts.empty()) {
          caffe2::serialize::PyTorchStreamReader reader(path);
          for (const TextInput& t : architecture->texts) {
            const std::string record = "extra/" + tokenizer_file(t.name);
            if (!reader.hasRecord(record)) {
              return Status(ErrorCode::kInternal,
                            "neural_network: " + path + " lacks " + tokenizer_file(t.name));
            }
            auto [data, size] = reader.getRecord(record);
            auto tokenizer = TextTokenizer::from_serialized(
                std::string(static_cast<const char*>(data.get()), size), architecture->max_length);
            if (!tokenizer) return tokenizer.status();
            tokenizers.push_back(std::move(tokenizer.value()));
          }
        }
        TrainingSummary summary;
        if (const auto it = network.find("training"); it != network.end()) {
          summary.epochs_trained = it->value("epochs_trained", 0);
          summary.best_epoch = it->value("best_epoch", 0);
          summary.stopped_early = it->value("stopped_early", false);
          summary.cancelled = it->value("cancelled", false);
          summary.final_learning_rate = it->value("final_learning_rate", 0.0);
        }
        summary.hyperparameters = network.value("hyperparameters", nlohmann::json());
        return std::unique_ptr<Model>(
            new NetworkModel(std::move(module), std::move(architecture.value()),
                             std::move(tokenizers), std::move(summary), std::move(preprocessing)));
      });
}

}  // namespace traind::algorithms::nn
