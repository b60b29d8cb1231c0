// The neural_network training loop on libtorch.
//
// Minibatch training as PyTorch's usual loop does it (shuffle, forward, loss, backward,
// step), with scikit-learn's MLP stopping rules. Batches are gathered with index_select
// into buffers allocated once; evaluation runs without autograd in large chunks.
// Repeatability: the weights, dropout masks and the validation split and shuffles all
// follow from one seed (torch's generator for the tensors, our own for the orders), so
// the same seed and thread count give bit-identical weights.
#include "algorithms/nn/network_trainer.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <malloc.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>

#include "algorithms/nn/network.h"
#include "algorithms/nn/network_model.h"
#include "algorithms/nn/text_tokenizer.h"
#include "algorithms/nn/torch_errors.h"
#include "algorithms/nn/training_settings.h"

namespace traind::algorithms::nn {
namespace {

constexpr int64_t kEvaluationChunk = 4096;
// A report within an epoch when this long has passed since the last one.
constexpr double kReportIntervalSeconds = 2.0;
// scikit-learn's adaptive schedule divides the rate by this after two stalled epochs.
constexpr double kAdaptiveDivisor = 5.0;
constexpr int kAdaptiveStalledEpochs = 2;
constexpr int kKeptAllocationBytes = 64 << 20;

// Interop threads can be set once per process, before any parallel work; libtorch throws
// otherwise (a second trainer in the same process keeps the first setting).
void configure_threads(int threads) {
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      at::set_num_interop_threads(1);
    } catch (const std::exception&) {
    }
    // A training step frees and reallocates the same large temporaries (attention scores
    // of megabytes) every batch. glibc would hand each back to the kernel and fault it in
    // again, zero-filled, next time (a fifth of a Transformer epoch, perf); keep them.
    mallopt(M_MMAP_THRESHOLD, kKeptAllocationBytes);
    mallopt(M_TRIM_THRESHOLD, 2 * kKeptAllocationBytes);
  });
  at::set_num_threads(std::max(1, threads));
}

// Our own generator for shuffles and the validation split (std::shuffle's algorithm is
// the library's choice; this one is ours).
void shuffle(std::vector<int64_t>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

Status check_dataset(const Dataset& d, const TrainOptions& options, const char* what) {
  const std::string name = std::string("neural_network: the ") + what + " data";
  if (d.x.values.size() != d.x.rows * d.x.cols || d.y.size() != d.x.rows) {
    return Status(ErrorCode::kDataError, name + " has inconsistent sizes");
  }
  for (const TextColumn& t : d.x.texts) {
    if (t.values.size() != d.x.rows) {
      return Status(ErrorCode::kDataError, name + ": text column \"" + t.name + "\" has " +
                                               std::to_string(t.values.size()) + " rows, not " +
                                               std::to_string(d.x.rows));
    }
  }
  for (float y : d.y) {
    if (!std::isfinite(y)) return Status(ErrorCode::kDataError, name + " has a missing target");
    if (options.task == Task::kClassification &&
        (y < 0 || y >= options.num_classes || y != std::floor(y))) {
      return Status(ErrorCode::kDataError, name + " has a class index outside 0.." +
                                               std::to_string(options.num_classes - 1));
    }
  }
  return Status::ok();
}

// Numbers must be imputed; category codes may be NaN (missing: embedding row 0).
Status check_numbers(const Dataset& d, const std::vector<int>& numeric_columns, const char* what) {
  for (size_t r = 0; r < d.x.rows; ++r) {
    const float* row = d.x.row(r);
    for (int c : numeric_columns) {
      if (!std::isfinite(row[c])) {
        return Status(ErrorCode::kDataError,
                      std::string("neural_network: the ") + what + " feature " +
                          (c < static_cast<int>(d.feature_names.size()) ? d.feature_names[c]
                                                                        : std::to_string(c)) +
                          " has a missing or infinite value; the network needs imputed inputs");
      }
    }
  }
  return Status::ok();
}

Result<NetworkArchitecture> build_architecture(const Dataset& train, const TrainOptions& options,
                                               const TrainingSettings& s) {
  NetworkArchitecture a;
  a.task = options.task;
  a.outputs = options.task == Task::kClassification ? std::max(2, options.num_classes) : 1;
  a.n_features = static_cast<int>(train.x.cols);
  std::vector<bool> is_code(train.x.cols, false);
  if (s.categorical_embedding) {
    for (int c : train.categorical_features) {
      if (c < 0 || c >= a.n_features || is_code[c]) continue;
      is_code[c] = true;
      int max_code = -1;
      for (size_t r = 0; r < train.x.rows; ++r) {
        const float v = train.x.row(r)[c];
        if (std::isfinite(v) && v >= 0) max_code = std::max(max_code, static_cast<int>(v));
      }
      const int categories = max_code + 1;
      a.categorical.push_back({c, max_code + 2, std::max(1, std::min(50, (categories + 1) / 2))});
    }
  }
  for (int c = 0; c < a.n_features; ++c) {
    if (!is_code[c]) a.numeric_columns.push_back(c);
  }
  a.text_model = s.text_model;
  a.embedding_dim = s.embedding_dim;
  a.num_layers = s.num_layers;
  a.num_heads = s.num_heads;
  a.max_length = s.max_length;
  a.hidden_layer_sizes = s.hidden_layer_sizes;
  a.activation = s.activation;
  a.batch_norm = s.batch_norm;
  a.dropout = s.dropout;
  if (options.task == Task::kRegression && !train.y.empty()) {
    double sum = 0;
    for (float y : train.y) sum += y;
    const double mean = sum / static_cast<double>(train.y.size());
    double squares = 0;
    for (float y : train.y) squares += (y - mean) * (y - mean);
    const double sd = std::sqrt(squares / static_cast<double>(train.y.size()));
    a.target_mean = mean;
    a.target_std = sd > 1e-12 ? sd : 1.0;
  }
  for (const TextColumn& t : train.x.texts) a.texts.push_back({t.name, 0});
  return a;
}

// The model inputs of a dataset as tensors: x [n, cols], tokens [n, texts, max_length]
// (undefined without text), y (int64 classes or float standardised targets).
struct Tensors {
  at::Tensor x, tokens, y;
};

Result<Tensors> to_tensors(const Dataset& d, const NetworkArchitecture& a,
                           const std::vector<TextTokenizer>& tokenizers) {
  Tensors t;
  const int64_t n = static_cast<int64_t>(d.x.rows);
  t.x = at::from_blob(const_cast<float*>(d.x.values.data()), {n, static_cast<int64_t>(d.x.cols)},
                      at::kFloat)
            .clone();
  if (!a.texts.empty()) {
    t.tokens = at::empty({n, static_cast<int64_t>(a.texts.size()), a.max_length}, at::kLong);
    std::vector<int64_t> column(static_cast<size_t>(n * a.max_length));
    for (size_t i = 0; i < a.texts.size(); ++i) {
      const auto it = std::find_if(d.x.texts.begin(), d.x.texts.end(),
                                   [&](const TextColumn& c) { return c.name == a.texts[i].name; });
      if (it == d.x.texts.end()) {
        return Status(ErrorCode::kDataError,
                      "neural_network: the text column \"" + a.texts[i].name + "\" is missing");
      }
      tokenizers[i].encode(it->values, column.data());
      t.tokens.select(1, static_cast<int64_t>(i))
          .copy_(at::from_blob(column.data(), {n, a.max_length}, at::kLong));
    }
  }
  if (a.task == Task::kClassification) {
    std::vector<int64_t> y(d.y.begin(), d.y.end());
    t.y = at::tensor(y, at::kLong);
  } else {
    std::vector<float> y(d.y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      y[i] = static_cast<float>((d.y[i] - a.target_mean) / a.target_std);
    }
    t.y = at::tensor(y, at::kFloat);
  }
  return t;
}

Tensors rows_of(const Tensors& t, const std::vector<int64_t>& rows) {
  const at::Tensor index = at::tensor(rows, at::kLong);
  Tensors out;
  out.x = t.x.index_select(0, index);
  if (t.tokens.defined()) out.tokens = t.tokens.index_select(0, index);
  out.y = t.y.index_select(0, index);
  return out;
}

// The training rows and the held-out rows for early stopping (stratified by class), both
// in ascending order.
std::pair<std::vector<int64_t>, std::vector<int64_t>> split_rows(const Dataset& d,
                                                                 const TrainOptions& options,
                                                                 double fraction,
                                                                 std::mt19937_64& rng) {
  const size_t n = d.x.rows;
  std::vector<std::vector<int64_t>> groups(
      options.task == Task::kClassification ? std::max(1, options.num_classes) : 1);
  for (size_t r = 0; r < n; ++r) {
    const size_t g = options.task == Task::kClassification ? static_cast<size_t>(d.y[r]) : 0;
    groups[g].push_back(static_cast<int64_t>(r));
  }
  std::vector<int64_t> train, held_out;
  for (auto& g : groups) {
    shuffle(g, rng);
    const size_t take = static_cast<size_t>(std::llround(fraction * static_cast<double>(g.size())));
    held_out.insert(held_out.end(), g.begin(), g.begin() + static_cast<int64_t>(take));
    train.insert(train.end(), g.begin() + static_cast<int64_t>(take), g.end());
  }
  if (held_out.empty() && train.size() > 1) {
    held_out.push_back(train.back());
    train.pop_back();
  }
  std::sort(train.begin(), train.end());
  std::sort(held_out.begin(), held_out.end());
  return {train, held_out};
}

struct Evaluation {
  double loss = 0;    // mean loss, as in training (weighted cross-entropy / standardised MSE)
  double metric = 0;  // accuracy, or RMSE in target units
};

Evaluation evaluate(const Network& network, const Tensors& data, const at::Tensor& class_weights) {
  at::NoGradGuard no_grad;
  const NetworkArchitecture& a = network.architecture();
  const int64_t n = data.x.size(0);
  double loss = 0, weight = 0, correct = 0;
  for (int64_t start = 0; start < n; start += kEvaluationChunk) {
    const int64_t m = std::min(kEvaluationChunk, n - start);
    const at::Tensor tokens =
        data.tokens.defined() ? data.tokens.narrow(0, start, m) : at::Tensor();
    const at::Tensor out = network.forward(data.x.narrow(0, start, m), tokens, false);
    const at::Tensor y = data.y.narrow(0, start, m);
    if (a.task == Task::kClassification) {
      loss += at::cross_entropy_loss(out, y, class_weights, at::Reduction::Sum).item<double>();
      weight += class_weights.defined() ? class_weights.index_select(0, y).sum().item<double>()
                                        : static_cast<double>(m);
      correct += out.argmax(1).eq(y).sum().item<double>();
    } else {
      loss += at::mse_loss(out, y, at::Reduction::Sum).item<double>();
    }
  }
  Evaluation e;
  if (a.task == Task::kClassification) {
    e.loss = weight > 0 ? loss / weight : 0;
    e.metric = n > 0 ? correct / static_cast<double>(n) : 0;
  } else {
    e.loss = n > 0 ? loss / static_cast<double>(n) : 0;
    e.metric = std::sqrt(e.loss) * a.target_std;
  }
  return e;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainingSettings& s,
                                                        const std::vector<at::Tensor>& params) {
  if (s.solver == "sgd") {
    torch::optim::SGDOptions o(s.learning_rate);
    o.momentum(s.momentum)
        .weight_decay(s.weight_decay)
        .nesterov(s.nesterovs_momentum && s.momentum > 0);
    return std::make_unique<torch::optim::SGD>(params, o);
  }
  if (s.solver == "adamw") {
    torch::optim::AdamWOptions o(s.learning_rate);
    o.weight_decay(s.weight_decay);
    return std::make_unique<torch::optim::AdamW>(params, o);
  }
  torch::optim::AdamOptions o(s.learning_rate);
  o.weight_decay(s.weight_decay);
  return std::make_unique<torch::optim::Adam>(params, o);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

class NetworkTrainer final : public Trainer {
 public:
  Result<std::unique_ptr<Model>> train(const Dataset& train, const Dataset* valid,
                                       const TrainOptions& options) override {
    return guarded("neural_network: training", ErrorCode::kTrainingError,
                   [&] { return train_unguarded(train, valid, options); });
  }

 private:
  Result<std::unique_ptr<Model>> train_unguarded(const Dataset& train, const Dataset* valid,
                                                 const TrainOptions& options);
};

Result<std::unique_ptr<Model>> NetworkTrainer::train_unguarded(const Dataset& train,
                                                               const Dataset* valid,
                                                               const TrainOptions& options) {
  auto parsed = TrainingSettings::from_hyperparameters(options.hyperparameters);
  if (!parsed) return parsed.status();
  const TrainingSettings& s = parsed.value();
  if (options.task == Task::kClassification && options.num_classes < 1) {
    return Status(ErrorCode::kDataError, "neural_network: classification needs classes");
  }
  if (train.x.rows == 0) return Status(ErrorCode::kDataError, "neural_network: no training rows");
  TRAIND_RETURN_IF_ERROR(check_dataset(train, options, "training"));
  if (valid != nullptr) TRAIND_RETURN_IF_ERROR(check_dataset(*valid, options, "validation"));
  if (valid != nullptr && valid->x.cols != train.x.cols) {
    return Status(ErrorCode::kDataError, "neural_network: validation and training columns differ");
  }

  const uint64_t seed = s.random_state.value_or(options.seed);
  configure_threads(options.threads);
  torch::manual_seed(seed);
  std::mt19937_64 rng(seed);

  auto built = build_architecture(train, options, s);
  if (!built) return built.status();
  NetworkArchitecture architecture = std::move(built.value());
  TRAIND_RETURN_IF_ERROR(check_numbers(train, architecture.numeric_columns, "training"));
  if (valid != nullptr) {
    TRAIND_RETURN_IF_ERROR(check_numbers(*valid, architecture.numeric_columns, "validation"));
  }
  if (architecture.head_input_width() < 1) {
    return Status(ErrorCode::kDataError, "neural_network: there are no features to learn from");
  }

  // One tokenizer per text column, learnt on the training texts.
  std::vector<TextTokenizer> tokenizers;
  for (size_t i = 0; i < train.x.texts.size(); ++i) {
    TextTokenizer::Options o;
    o.vocab_size = s.vocab_size;
    o.model_type = s.tokenizer;
    o.max_length = s.max_length;
    o.seed = seed;
    o.threads = std::max(1, options.threads);
    auto tokenizer = TextTokenizer::train(train.x.texts[i].values, o);
    if (!tokenizer) return tokenizer.status();
    architecture.texts[i].vocab_size = tokenizer->vocab_size();
    tokenizers.push_back(std::move(tokenizer.value()));
  }

  auto all = to_tensors(train, architecture, tokenizers);
  if (!all) return all.status();
  Tensors fit = std::move(all.value());
  Tensors held_out;
  bool early_stopping = s.early_stopping && train.x.rows >= 2;
  if (early_stopping) {
    auto [train_rows, held_out_rows] = split_rows(train, options, s.validation_fraction, rng);
    held_out = rows_of(fit, held_out_rows);
    fit = rows_of(fit, train_rows);
  }
  std::optional<Tensors> valid_tensors;
  if (valid != nullptr && valid->x.rows > 0) {
    auto v = to_tensors(*valid, architecture, tokenizers);
    if (!v) return v.status();
    valid_tensors = std::move(v.value());
  }

  const int64_t n = fit.x.size(0);
  at::Tensor class_weights;
  if (options.task == Task::kClassification && s.balanced_class_weight) {
    const at::Tensor counts = at::bincount(fit.y, {}, architecture.outputs).to(at::kDouble);
    const at::Tensor balanced = static_cast<double>(n) / (architecture.outputs * counts);
    class_weights = at::where(counts.gt(0), balanced, at::ones_like(balanced)).to(at::kFloat);
  }

  Network network = Network::initialise(architecture);
  auto optimizer = make_optimizer(s, network.parameters());

  const int64_t batch_size = std::min<int64_t>(s.batch_size, n);
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Tensors batch{at::empty({batch_size, fit.x.size(1)}, at::kFloat),
                fit.tokens.defined()
                    ? at::empty({batch_size, fit.tokens.size(1), fit.tokens.size(2)}, at::kLong)
                    : at::Tensor(),
                at::empty({batch_size}, fit.y.scalar_type())};

  TrainingSummary summary;
  summary.hyperparameters = options.hyperparameters;
  double lr = s.learning_rate;
  double best_loss = std::numeric_limits<double>::infinity();
  int no_improvement = 0;
  int stalled = 0;  // adaptive schedule
  std::vector<at::Tensor> best_weights;
  using Clock = std::chrono::steady_clock;
  auto last_report = Clock::now();

  for (int epoch = 1; epoch <= s.epochs && !summary.cancelled; ++epoch) {
    if (s.lr_schedule == "cosine") {
      // CosineAnnealingLR(T_max = epochs, eta_min = 0), stepped once per epoch.
      lr = s.learning_rate * 0.5 * (1.0 + std::cos(M_PI * (epoch - 1) / s.epochs));
    }
    set_learning_rate(*optimizer, lr);
    shuffle(order, rng);
    double loss_sum = 0;
    int64_t loss_rows = 0;
    for (int64_t start = 0; start < n; start += batch_size) {
      const int64_t b = std::min(batch_size, n - start);
      // Batch norm cannot normalise one row: a lone last row waits for the next epoch.
      if (architecture.batch_norm && b == 1 && n > 1) continue;
      const at::Tensor index = at::from_blob(order.data() + start, {b}, at::kLong);
      // Views of the first b rows: a short last batch reuses the same buffers.
      at::Tensor xb = batch.x.narrow(0, 0, b);
      at::Tensor yb = batch.y.narrow(0, 0, b);
      at::Tensor tb;
      at::index_select_out(xb, fit.x, 0, index);
      at::index_select_out(yb, fit.y, 0, index);
      if (batch.tokens.defined()) {
        tb = batch.tokens.narrow(0, 0, b);
        at::index_select_out(tb, fit.tokens, 0, index);
      }
      optimizer->zero_grad();
      const at::Tensor out = network.forward(xb, tb, true);
      const at::Tensor loss = architecture.task == Task::kClassification
                                  ? at::cross_entropy_loss(out, yb, class_weights)
                                  : at::mse_loss(out, yb);
      loss.backward();
      optimizer->step();
      loss_sum += loss.item<double>() * static_cast<double>(b);
      loss_rows += b;
      if (options.on_iteration &&
          std::chrono::duration<double>(Clock::now() - last_report).count() >
              kReportIntervalSeconds &&
          start + b < n) {
        last_report = Clock::now();
        IterationReport report;
        report.iteration = epoch;
        report.total_iterations = s.epochs;
        report.fraction_done =
            (epoch - 1 + static_cast<double>(start + b) / static_cast<double>(n)) / s.epochs;
        report.metrics["train_loss"] = loss_sum / static_cast<double>(loss_rows);
        if (!options.on_iteration(report)) {
          summary.cancelled = true;
          break;
        }
      }
    }
    if (summary.cancelled) break;
    summary.epochs_trained = epoch;
    const double train_loss = loss_rows > 0 ? loss_sum / static_cast<double>(loss_rows) : 0;
    if (!std::isfinite(train_loss)) {
      return Status(ErrorCode::kTrainingError,
                    "neural_network: the training loss diverged (epoch " + std::to_string(epoch) +
                        "); lower learning_rate");
    }

    IterationReport report;
    report.iteration = epoch;
    report.total_iterations = s.epochs;
    report.metrics["train_loss"] = train_loss;
    report.metrics["learning_rate"] = lr;
    double monitored = train_loss;
    if (early_stopping) {
      monitored = evaluate(network, held_out, class_weights).loss;
      report.metrics["early_stopping_loss"] = monitored;
    }
    if (valid_tensors) {
      const Evaluation e = evaluate(network, *valid_tensors, class_weights);
      report.metrics["valid_loss"] = e.loss;
      report.metrics[architecture.task == Task::kClassification ? "valid_accuracy" : "valid_rmse"] =
          e.metric;
    }

    // scikit-learn's rule: an epoch counts as progress when it beats the best loss by tol.
    const bool improved = monitored <= best_loss - s.tol;
    no_improvement = improved ? 0 : no_improvement + 1;
    stalled = improved ? 0 : stalled + 1;
    if (monitored < best_loss) {
      best_loss = monitored;
      summary.best_epoch = epoch;
      if (early_stopping) best_weights = network.snapshot();
    }
    if (s.lr_schedule == "adaptive" && stalled >= kAdaptiveStalledEpochs) {
      lr /= kAdaptiveDivisor;
      stalled = 0;
    }

    if (options.on_iteration) {
      last_report = Clock::now();
      if (!options.on_iteration(report)) summary.cancelled = true;
    }
    if (no_improvement > s.n_iter_no_change) {
      summary.stopped_early = epoch < s.epochs;
      break;
    }
  }
  if (early_stopping && !best_weights.empty()) {
    network.restore(best_weights);
  } else if (!early_stopping) {
    summary.best_epoch = summary.epochs_trained;  // the model holds the last epoch's weights
  }
  summary.final_learning_rate = lr;
  auto model = NetworkModel::from_network(network, std::move(tokenizers), std::move(summary),
                                          options.preprocessing);
  if (!model) return model.status();
  return std::unique_ptr<Model>(std::move(model.value()));
}

}  // namespace

std::unique_ptr<Trainer> make_network_trainer() { return std::make_unique<NetworkTrainer>(); }

}  // namespace traind::algorithms::nn
