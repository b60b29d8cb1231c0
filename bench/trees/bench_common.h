// Shared pieces of the tree benchmarks (gbdt_bench, forest_bench): reading the generated data
// set (bench/trees/make_data.py), wall-clock timing, resident-memory probes and the quality
// metrics (AUC, accuracy, RMSE, R²) printed next to the times.
//
// Memory: the process's peak RSS (VmHWM, kept across resets) is reported per tool; each phase is
// measured by resetting the high-water mark (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0)
// and reading VmHWM after it, minus the RSS at its start, so a phase's figure is the memory it
// added on top of the data already loaded.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace traind::bench::trees {

[[noreturn]] inline void die(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  std::exit(1);
}

// One task's data as make_data.py wrote it: row-major float32 X, float32 y.
struct BenchData {
  nlohmann::json header;
  int64_t n_train = 0;
  int64_t n_test = 0;
  int cols = 0;
  std::vector<float> x_train, y_train, x_test, y_test;
};

inline std::vector<float> read_floats(const std::string& path, int64_t count) {
  std::vector<float> out(static_cast<size_t>(count));
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(out.data()), count * static_cast<int64_t>(sizeof(float)))) {
    die("cannot read " + std::to_string(count) + " floats from " + path);
  }
  return out;
}

inline BenchData load_bench_data(const std::string& dir) {
  BenchData d;
  std::ifstream header(dir + "/header.json");
  if (!header) die("no header.json in " + dir);
  d.header = nlohmann::json::parse(header);
  d.n_train = d.header.at("n_train").get<int64_t>();
  d.n_test = d.header.at("n_test").get<int64_t>();
  d.cols = d.header.at("cols").get<int>();
  d.x_train = read_floats(dir + "/x_train.f32", d.n_train * d.cols);
  d.y_train = read_floats(dir + "/y_train.f32", d.n_train);
  d.x_test = read_floats(dir + "/x_test.f32", d.n_test * d.cols);
  d.y_test = read_floats(dir + "/y_test.f32", d.n_test);
  return d;
}

// Row-major float32 -> column-major double (the engines' FeatureMatrix layout).
inline std::vector<double> to_column_major(const std::vector<float>& x, int64_t rows, int cols) {
  std::vector<double> out(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) out[c * rows + r] = x[r * cols + c];
  }
  return out;
}

// The test rows repeated up to `rows` rows (row-major), for timing prediction on many rows.
inline std::vector<float> tile_rows(const std::vector<float>& x, int64_t n, int cols,
                                    int64_t rows) {
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  for (int64_t r = 0; r < rows; ++r) {
    std::copy_n(x.begin() + (r % n) * cols, cols, out.begin() + r * cols);
  }
  return out;
}

inline double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// A field of /proc/self/status in KiB (VmRSS, VmHWM).
inline double proc_status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::strtod(line.c_str() + key.size(), nullptr);
  }
  return NAN;
}

inline double rss_mib() { return proc_status_kib("VmRSS") / 1024.0; }
inline double peak_rss_mib() { return proc_status_kib("VmHWM") / 1024.0; }

// The process's peak RSS over its whole life: resetting VmHWM also lowers what wait4 and
// getrusage report later, so every reset first folds the old high-water mark in here.
inline double& process_peak_store() {
  static double peak = 0.0;
  return peak;
}
inline double process_peak_rss_mib() {
  process_peak_store() = std::max(process_peak_store(), peak_rss_mib());
  return process_peak_store();
}

inline void reset_peak_rss() {
  process_peak_rss_mib();
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// Memory a phase adds over the RSS at its start, measured with a reset high-water mark.
struct PhaseMemory {
  double start_mib = 0.0;
  void begin() {
    reset_peak_rss();
    start_mib = rss_mib();
  }
  double added_mib() const { return peak_rss_mib() - start_mib; }
};

// Area under the ROC curve with tied scores counted half (Mann–Whitney).
inline double auc(const std::vector<double>& score, const std::vector<float>& label) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mid_rank = 0.5 * static_cast<double>(i + j + 1);  // 1-based ranks i+1..j
    for (size_t k = i; k < j; ++k) {
      if (label[order[k]] > 0.5f) {
        positives += 1;
        rank_sum += mid_rank;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(score.size()) - positives;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

inline double accuracy(const std::vector<double>& prob, const std::vector<float>& label) {
  double right = 0;
  for (size_t i = 0; i < prob.size(); ++i) right += (prob[i] > 0.5) == (label[i] > 0.5f);
  return right / static_cast<double>(prob.size());
}

inline double rmse(const std::vector<double>& pred, const std::vector<float>& label) {
  double sum = 0;
  for (size_t i = 0; i < pred.size(); ++i) sum += (pred[i] - label[i]) * (pred[i] - label[i]);
  return std::sqrt(sum / static_cast<double>(pred.size()));
}

inline double r2(const std::vector<double>& pred, const std::vector<float>& label) {
  double mean = 0;
  for (float y : label) mean += y;
  mean /= static_cast<double>(label.size());
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < pred.size(); ++i) {
    ss_res += (pred[i] - label[i]) * (pred[i] - label[i]);
    ss_tot += (label[i] - mean) * (label[i] - mean);
  }
  return 1.0 - ss_res / ss_tot;
}

// Quality of test predictions (probabilities of class 1, or values) as JSON fields.
inline nlohmann::json quality(bool classification, const std::vector<double>& pred,
                              const std::vector<float>& label) {
  if (classification) return {{"auc", auc(pred, label)}, {"accuracy", accuracy(pred, label)}};
  return {{"rmse", rmse(pred, label)}, {"r2", r2(pred, label)}};
}

inline void write_doubles(const std::string& path, const std::vector<double>& v) {
  if (path.empty()) return;
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()),
            static_cast<std::streamsize>(v.size() * sizeof(double)));
  if (!out) die("cannot write " + path);
}

// --name value command-line options.
class Options {
 public:
  Options(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string key = argv[i];
      if (key.rfind("--", 0) != 0 || i + 1 >= argc) die("bad argument " + key);
      values_.emplace_back(key.substr(2), argv[++i]);
    }
  }
  std::string get(const std::string& name, const std::string& fallback) const {
    for (const auto& [k, v] : values_) {
      if (k == name) return v;
    }
    return fallback;
  }
  int get_int(const std::string& name, int fallback) const {
    return std::stoi(get(name, std::to_string(fallback)));
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace traind::bench::trees
