// GBDT benchmark: our engine (traind_trees_gbdt) or XGBoost `hist` (libxgboost C API) on a data
// set written by bench/trees/make_data.py, with the matched settings of the tree spec §A.8.
// One tool per process (--tool), so that the driver (run_trees_bench.py) reads an honest peak
// RSS per tool; prints one JSON line with median phase times, test quality and memory.
//
//   gbdt_bench --data DIR/clf --tool traind|xgboost --threads 1 --iterations 100 --repeats 3
//              [--predict-rows 1000000] [--pred-out FILE]
//
// Phases:
//   traind:  bin_s   = building the binned training set alone (the engine's internal
//                      detail::build_binned_dataset, timed as a separate call);
//            fit_s   = train_gbdt, which bins again and then boosts; train_s = fit_s - bin_s.
//   xgboost: bin_s   = XGDMatrixCreateFromMat + labels (XGBoost quantises lazily: its hist
//                      cuts are built inside the first iteration, reported as first_iter_s);
//            fit_s   = bin_s + every XGBoosterUpdateOneIter; train_s = the iterations.
//   predict_s: probabilities / values of the test rows (in-place dense prediction for
//   XGBoost, GbdtModel::predict on the column-major double matrix for traind — the layout the
//   engine takes; the conversion is not timed); predict_many_s: the same on --predict-rows
//   rows (the test rows tiled).
// Matched settings: 31 leaves leaf-wise (XGBoost lossguide, max_depth 0), learning rate 0.1,
// 255 bins, lambda 0, alpha 0, gamma 0, min_child_weight = min_sum_hessian_in_leaf = 1e-3,
// XGBoost base_score = our initial score (mean label; XGBoost takes it as a probability for
// binary:logistic, i.e. logit(p) as LightGBM's init score). LightGBM's min_data_in_leaf 20
// has no XGBoost counterpart and keeps its default.
#include <xgboost/c_api.h>

#include <string>
#include <vector>

#include "bench/trees/bench_common.h"
#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/binned_dataset.h"

namespace traind::bench::trees {
namespace {

namespace engine = traind::engines::trees;

struct Settings {
  bool classification = true;
  int threads = 1;
  int iterations = 100;
  int repeats = 3;
  int64_t predict_rows = 0;
};

double mean_label(const std::vector<float>& y) {
  double sum = 0;
  for (float v : y) sum += v;
  return sum / static_cast<double>(y.size());
}

nlohmann::json run_traind(const BenchData& d, const Settings& s, std::vector<double>* pred) {
  const engine::GbdtParameterList params = {
      {"objective", s.classification ? "binary" : "regression"},
      {"num_iterations", std::to_string(s.iterations)},
      {"learning_rate", "0.1"},
      {"num_leaves", "31"},
      {"max_bin", "255"},
      {"lambda_l2", "0"},
      {"min_sum_hessian_in_leaf", "1e-3"},
      {"num_threads", std::to_string(s.threads)}};
  std::vector<std::string> warnings;
  auto config_or = engine::parse_gbdt_config(params, &warnings);
  if (!config_or.is_ok()) die("parse_gbdt_config: " + config_or.status().message());
  const engine::GbdtConfig config = config_or.value();

  const std::vector<double> x_train = to_column_major(d.x_train, d.n_train, d.cols);
  const std::vector<double> x_test = to_column_major(d.x_test, d.n_test, d.cols);
  const engine::GbdtDataset train{{x_train.data(), d.n_train, d.cols}, d.y_train, {}};
  const engine::FeatureMatrix test{x_test.data(), d.n_test, d.cols};
  std::vector<double> x_many;
  if (s.predict_rows > 0) {
    x_many = to_column_major(tile_rows(d.x_test, d.n_test, d.cols, s.predict_rows), s.predict_rows,
                             d.cols);
  }

  engine::detail::BinningOptions binning;
  binning.max_bin = config.max_bin;
  binning.min_data_in_bin = config.min_data_in_bin;
  binning.bin_construct_sample_cnt = config.bin_construct_sample_cnt;
  binning.data_random_seed = config.data_random_seed;
  binning.min_data_in_leaf = config.min_data_in_leaf;
  binning.num_threads = config.num_threads;

  std::vector<double> bin_s, fit_s, predict_s, many_s;
  double binned_mib = 0, bin_added_mib = 0, fit_added_mib = 0;
  PhaseMemory memory;
  for (int r = 0; r < s.repeats; ++r) {
    memory.begin();
    bin_s.push_back(seconds_of([&] {
      auto binned = engine::detail::build_binned_dataset(train.features, binning);
      if (!binned.is_ok()) die("build_binned_dataset: " + binned.status().message());
      const auto& b = binned.value();
      binned_mib = static_cast<double>(b.bins8.size() + 2 * b.bins16.size()) / (1 << 20);
    }));
    bin_added_mib = std::max(bin_added_mib, memory.added_mib());

    memory.begin();
    std::optional<engine::GbdtModel> model;
    fit_s.push_back(seconds_of([&] {
      auto model_or = engine::train_gbdt(config, train, nullptr);
      if (!model_or.is_ok()) die("train_gbdt: " + model_or.status().message());
      model.emplace(std::move(model_or).value());
    }));
    fit_added_mib = std::max(fit_added_mib, memory.added_mib());

    pred->assign(d.n_test, 0.0);
    predict_s.push_back(seconds_of([&] { model->predict(test, *pred); }));
    if (s.predict_rows > 0) {
      std::vector<double> many(s.predict_rows);
      many_s.push_back(seconds_of([&] {
        model->predict({x_many.data(), s.predict_rows, d.cols}, many);
      }));
    }
  }
  const double bin = median(bin_s), fit = median(fit_s);
  return {{"bin_s", bin},
          {"fit_s", fit},
          {"train_s", fit - bin},
          {"predict_s", median(predict_s)},
          {"predict_many_s", median(many_s)},
          {"binned_mib", binned_mib},
          {"bin_added_mib", bin_added_mib},
          {"fit_added_mib", fit_added_mib},
          {"fit_runs_s", fit_s}};
}

void check(int rc, const char* what) {
  if (rc != 0) die(std::string(what) + ": " + XGBGetLastError());
}

// In-place prediction on a row-major float32 block (no DMatrix copy).
void xgb_predict(BoosterHandle booster, const float* x, int64_t rows, int cols,
                 std::vector<double>* out) {
  char values[256];
  std::snprintf(values, sizeof values,
                "{\"data\": [%llu, true], \"shape\": [%lld, %d], \"typestr\": \"<f4\", "
                "\"version\": 3}",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(x)),
                static_cast<long long>(rows), cols);
  const char* config =
      "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
      "\"strict_shape\": false, \"cache_id\": 0, \"missing\": NaN}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDense(booster, values, config, nullptr, &shape, &dim, &result),
        "predict");
  out->assign(result, result + rows);
}

nlohmann::json run_xgboost(const BenchData& d, const Settings& s, std::vector<double>* pred) {
  const std::string base_score = std::to_string(mean_label(d.y_train));
  std::vector<float> x_many;
  if (s.predict_rows > 0) x_many = tile_rows(d.x_test, d.n_test, d.cols, s.predict_rows);
  std::vector<double> bin_s, first_s, fit_s, predict_s, many_s;
  double fit_added_mib = 0;
  PhaseMemory memory;
  for (int r = 0; r < s.repeats; ++r) {
    memory.begin();
    DMatrixHandle train = nullptr;
    BoosterHandle booster = nullptr;
    const double bin = seconds_of([&] {
      check(XGDMatrixCreateFromMat(d.x_train.data(), d.n_train, d.cols, NAN, &train), "matrix");
      check(XGDMatrixSetFloatInfo(train, "label", d.y_train.data(), d.n_train), "label");
    });
    double first = 0;
    const double iterations = seconds_of([&] {
      check(XGBoosterCreate(&train, 1, &booster), "booster");
      const std::pair<const char*, std::string> params[] = {
          {"objective", s.classification ? "binary:logistic" : "reg:squarederror"},
          {"tree_method", "hist"},
          {"grow_policy", "lossguide"},
          {"max_leaves", "31"},
          {"max_depth", "0"},
          {"eta", "0.1"},
          {"max_bin", "255"},
          {"lambda", "0"},
          {"alpha", "0"},
          {"gamma", "0"},
          {"min_child_weight", "1e-3"},
          {"base_score", base_score},
          {"nthread", std::to_string(s.threads)}};
      for (const auto& [key, value] : params) {
        check(XGBoosterSetParam(booster, key, value.c_str()), key);
      }
      for (int i = 0; i < s.iterations; ++i) {
        const double t =
            seconds_of([&] { check(XGBoosterUpdateOneIter(booster, i, train), "it"); });
        if (i == 0) first = t;
      }
    });
    fit_added_mib = std::max(fit_added_mib, memory.added_mib());
    bin_s.push_back(bin);
    first_s.push_back(first);
    fit_s.push_back(bin + iterations);
    predict_s.push_back(
        seconds_of([&] { xgb_predict(booster, d.x_test.data(), d.n_test, d.cols, pred); }));
    if (s.predict_rows > 0) {
      std::vector<double> many;
      many_s.push_back(
          seconds_of([&] { xgb_predict(booster, x_many.data(), s.predict_rows, d.cols, &many); }));
    }
    check(XGBoosterFree(booster), "free");
    check(XGDMatrixFree(train), "free");
  }
  const double bin = median(bin_s), fit = median(fit_s);
  return {{"bin_s", bin},
          {"first_iter_s", median(first_s)},
          {"fit_s", fit},
          {"train_s", fit - bin},
          {"predict_s", median(predict_s)},
          {"predict_many_s", median(many_s)},
          {"fit_added_mib", fit_added_mib},
          {"base_score", mean_label(d.y_train)},
          {"fit_runs_s", fit_s}};
}

}  // namespace
}  // namespace traind::bench::trees

int main(int argc, char** argv) {
  using namespace traind::bench::trees;
  const Options options(argc, argv);
  const std::string dir = options.get("data", "");
  const std::string tool = options.get("tool", "traind");
  if (dir.empty() || (tool != "traind" && tool != "xgboost")) {
    die("usage: gbdt_bench --data DIR --tool traind|xgboost [--threads N] [--iterations N] "
        "[--repeats N] [--predict-rows N] [--pred-out FILE]");
  }
  const BenchData data = load_bench_data(dir);
  Settings s;
  s.classification = data.header.at("task").get<std::string>() == "clf";
  s.threads = options.get_int("threads", 1);
  s.iterations = options.get_int("iterations", 100);
  s.repeats = options.get_int("repeats", 3);
  s.predict_rows = options.get_int("predict-rows", 0);
  const double data_mib = rss_mib();
  std::vector<double> pred;
  nlohmann::json out = tool == "traind" ? run_traind(data, s, &pred) : run_xgboost(data, s, &pred);
  out["tool"] = tool == "traind" ? "traind GBDT" : "XGBoost hist";
  out["task"] = data.header.at("task");
  out["threads"] = s.threads;
  out["iterations"] = s.iterations;
  out["repeats"] = s.repeats;
  out["rows_train"] = data.n_train;
  out["cols"] = data.cols;
  out["data_loaded_mib"] = data_mib;
  out["peak_rss_mib"] = process_peak_rss_mib();
  out["quality"] = quality(s.classification, pred, data.y_test);
  write_doubles(options.get("pred-out", ""), pred);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
