// traind's side of bench/nn (issue 6): trains the neural_network module (libtraind_nn.so,
// opened by load_neural_network_backend) on the files make_data.py wrote, the way the
// service does — a Trainer from the module, an algorithms::Dataset, TrainOptions with every
// hyperparameter of the algorithm — and prints one JSON line: the time of each epoch, the
// training loss the module reported, and the test accuracy after the last epoch.
//
//   nn_bench --data DIR --model mlp|bag_of_embeddings|transformer [--threads 1] [--epochs 4]
//            [--batch-size 200] [--hidden 256,128] [--max-length 64] [--seed 1]
//            [--train-rows N]   (the first N training rows only)
//            [--save DIR]   (writes the model there: the driver takes the tokenizer from it)
//
// Timing (the same as torch_bench.py and sklearn_bench.py): a timestamp just before
// Trainer::train and one at each epoch's end, i.e. the module's last on_iteration report of
// that epoch. Epoch 1's interval therefore also holds the module's setup (tokenizer training,
// tensors, network construction) and is left out by the driver; epochs 2.. are pure epochs
// as the module runs them (shuffling, batches, optimiser steps and whatever it computes for
// its per-epoch report). Data loading, building the model after training and prediction are
// outside.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "algorithms/neural_network_backend.h"
#include "algorithms/registry.h"
#include "algorithms/resolved_hyperparameters.h"
#include "algorithms/trainer.h"

namespace traind::bench::nn {
namespace {

namespace alg = traind::algorithms;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  std::exit(1);
}

struct Settings {
  std::string data;
  std::string model;
  int threads = 1;
  int epochs = 4;
  int batch_size = 200;
  std::vector<int> hidden;  // empty: 256,128 for mlp, 64 for the text models
  int max_length = 64;
  int seed = 1;
  size_t train_rows = 0;  // 0: every training row
  std::string save_dir;
};

std::vector<int> parse_ints(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string cell;
  while (std::getline(ss, cell, ',')) {
    if (!cell.empty()) out.push_back(std::stoi(cell));
  }
  return out;
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + arg);
      return argv[++i];
    };
    if (arg == "--data") {
      s.data = next();
    } else if (arg == "--model") {
      s.model = next();
    } else if (arg == "--threads") {
      s.threads = std::stoi(next());
    } else if (arg == "--epochs") {
      s.epochs = std::stoi(next());
    } else if (arg == "--batch-size") {
      s.batch_size = std::stoi(next());
    } else if (arg == "--hidden") {
      s.hidden = parse_ints(next());
    } else if (arg == "--max-length") {
      s.max_length = std::stoi(next());
    } else if (arg == "--seed") {
      s.seed = std::stoi(next());
    } else if (arg == "--train-rows") {
      s.train_rows = std::stoul(next());
    } else if (arg == "--save") {
      s.save_dir = next();
    } else {
      die("unknown argument " + arg);
    }
  }
  if (s.data.empty()) die("--data DIR is required");
  if (s.model != "mlp" && s.model != "bag_of_embeddings" && s.model != "transformer") {
    die("--model must be mlp, bag_of_embeddings or transformer");
  }
  if (s.hidden.empty()) s.hidden = s.model == "mlp" ? std::vector<int>{256, 128} : std::vector{64};
  return s;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot open " + path);
  return json::parse(in);
}

std::vector<float> read_floats(const std::string& path, size_t count) {
  std::vector<float> out(count);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(out.data()),
               static_cast<std::streamsize>(count * sizeof(float)))) {
    die("cannot read " + std::to_string(count) + " floats from " + path);
  }
  return out;
}

struct Split {
  alg::Dataset train, test;
  int num_classes = 0;
};

Split load_tabular(const std::string& data) {
  const std::string dir = data + "/tabular";
  const json header = read_json(dir + "/header.json");
  const size_t cols = header.at("cols").get<size_t>();
  Split split;
  split.num_classes = header.at("num_classes").get<int>();
  for (auto [part, dataset] : {std::pair{"train", &split.train}, std::pair{"test", &split.test}}) {
    const size_t rows = header.at(std::string("n_") + part).get<size_t>();
    dataset->x.values = read_floats(dir + "/x_" + part + ".f32", rows * cols);
    dataset->x.rows = rows;
    dataset->x.cols = cols;
    dataset->y = read_floats(dir + "/y_" + part + ".f32", rows);
    for (size_t c = 0; c < cols; ++c) dataset->feature_names.push_back("x" + std::to_string(c));
  }
  return split;
}

// "label<TAB>text" per line; the text goes in as the one text column, no numeric columns.
void read_texts(const std::string& path, alg::Dataset* dataset) {
  std::ifstream in(path);
  if (!in) die("cannot open " + path);
  alg::TextColumn column{.name = "text"};
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) die("no tab in a line of " + path);
    dataset->y.push_back(static_cast<float>(std::stoi(line.substr(0, tab))));
    column.values.push_back(line.substr(tab + 1));
  }
  dataset->x.rows = column.values.size();
  dataset->x.cols = 0;
  dataset->x.texts.push_back(std::move(column));
}

Split load_text(const std::string& data) {
  const std::string dir = data + "/text";
  Split split;
  split.num_classes = read_json(dir + "/header.json").at("num_classes").get<int>();
  read_texts(dir + "/train.tsv", &split.train);
  read_texts(dir + "/test.tsv", &split.test);
  return split;
}

// Every hyperparameter of neural_network, written out (the brief's defaults, with the
// benchmark's architecture, batch size and epochs), then checked against the algorithm's
// own resolution so that a name added later cannot silently take a default here.
json hyperparameters(const Settings& s) {
  json h = {
      {"hidden_layer_sizes", s.hidden},
      {"activation", "relu"},
      {"dropout", 0.0},
      {"batch_norm", false},
      {"solver", "adam"},
      {"learning_rate", 0.001},
      {"momentum", 0.9},
      {"nesterovs_momentum", true},
      {"weight_decay", 0.0},
      {"batch_size", s.batch_size},
      {"epochs", s.epochs},
      {"tol", 1e-4},
      {"lr_schedule", "constant"},
      {"early_stopping", false},
      {"validation_fraction", 0.1},
      // Never stop before --epochs: the benchmark times whole epochs.
      {"n_iter_no_change", s.epochs + 1},
      {"class_weight", nullptr},
      {"random_state", s.seed},
      {"categorical_encoding", "one_hot"},
      {"text_model", s.model == "transformer" ? "transformer" : "bag_of_embeddings"},
      {"embedding_dim", 64},
      {"num_layers", 2},
      {"num_heads", 4},
      {"max_length", s.max_length},
      {"vocab_size", 8000},
      {"tokenizer", "unigram"},
  };
  const alg::AlgorithmSpec* spec = alg::find_algorithm("neural_network");
  if (spec == nullptr) die("neural_network is not registered");
  auto resolved = alg::resolve_hyperparameters(*spec, h);
  if (!resolved) die("hyperparameters: " + resolved.status().to_string());
  for (const auto& [name, value] : resolved->items()) {
    if (!h.contains(name)) die("nn_bench does not set the hyperparameter " + name);
  }
  return *resolved;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Keeps the first `rows` rows.
void truncate(alg::Dataset* d, size_t rows) {
  if (rows == 0 || rows >= d->x.rows) return;
  d->x.values.resize(rows * d->x.cols);
  d->x.rows = rows;
  d->y.resize(rows);
  for (alg::TextColumn& t : d->x.texts) t.values.resize(rows);
}

int run(const Settings& s) {
  Split split = s.model == "mlp" ? load_tabular(s.data) : load_text(s.data);
  truncate(&split.train, s.train_rows);

  auto backend = alg::load_neural_network_backend();
  if (!backend) die(backend.status().to_string());
  std::unique_ptr<alg::Trainer> trainer = (*backend)->make_trainer();

  alg::TrainOptions options;
  options.task = alg::Task::kClassification;
  options.num_classes = split.num_classes;
  options.hyperparameters = hyperparameters(s);
  options.threads = s.threads;
  options.seed = static_cast<uint64_t>(s.seed);
  // The last report of each epoch marks its end (long epochs also report within).
  std::map<int, Clock::time_point> epoch_end;
  std::map<int, double> train_loss;
  int reports = 0;
  options.on_iteration = [&](const alg::IterationReport& report) {
    epoch_end[report.iteration] = Clock::now();
    ++reports;
    if (auto it = report.metrics.find("train_loss"); it != report.metrics.end()) {
      train_loss[report.iteration] = it->second;
    }
    return true;
  };

  const Clock::time_point start = Clock::now();
  auto model = trainer->train(split.train, nullptr, options);
  const Clock::time_point trained = Clock::now();
  if (!model) die("train: " + model.status().to_string());

  std::vector<double> epoch_s, losses;
  Clock::time_point previous = start;
  for (const auto& [epoch, at] : epoch_end) {
    epoch_s.push_back(seconds_between(previous, at));
    previous = at;
    losses.push_back(train_loss.count(epoch) ? train_loss[epoch] : -1.0);
  }

  auto probabilities = (*model)->predict(split.test.x);
  if (!probabilities) die("predict: " + probabilities.status().to_string());
  const size_t k = static_cast<size_t>(split.num_classes);
  size_t correct = 0;
  for (size_t r = 0; r < split.test.x.rows; ++r) {
    const double* p = probabilities->data() + r * k;
    size_t best = 0;
    for (size_t c = 1; c < k; ++c) best = p[c] > p[best] ? c : best;
    correct += static_cast<float>(best) == split.test.y[r] ? 1 : 0;
  }
  if (!s.save_dir.empty()) {
    if (Status saved = (*model)->save(s.save_dir); !saved) die("save: " + saved.to_string());
  }
  const json out = {
      {"tool", "traind"},
      {"model", s.model},
      {"threads", s.threads},
      {"batch_size", s.batch_size},
      {"epochs", s.epochs},
      {"train_rows", split.train.x.rows},
      {"epoch_s", epoch_s},
      {"train_loss", losses},
      {"train_call_s", seconds_between(start, trained)},
      {"after_last_epoch_s", seconds_between(previous, trained)},
      {"reports", reports},
      {"test_accuracy", static_cast<double>(correct) / static_cast<double>(split.test.x.rows)},
      {"metadata", (*model)->metadata()},
      {"libraries", (*backend)->library_versions()},
  };
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace traind::bench::nn

int main(int argc, char** argv) {
  return traind::bench::nn::run(traind::bench::nn::parse_args(argc, argv));
}
