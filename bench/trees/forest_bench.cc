// Random-forest benchmark: our engine (traind_trees_forest) on a data set written by
// bench/trees/make_data.py, timed like the references the driver (run_trees_bench.py) runs in
// their own processes (scikit-learn RandomForest*, R's ranger). Prints one JSON line with
// median fit / predict times, test quality and memory.
//
//   forest_bench --data DIR/clf --threads 1 --trees 100 --repeats 3 [--oob 1]
//                [--predict-rows 1000000] [--pred-out FILE]
//
// Settings are scikit-learn 1.2's defaults (as RandomForestClassifier / Regressor():
// max_features "sqrt" for classification and 1.0 for regression, unlimited depth,
// min_samples_split 2, min_samples_leaf 1, bootstrap) with n_estimators = --trees and
// n_jobs = --threads. fit_s includes the engine's own conversion of the features to float32
// (scikit-learn does the same in fit); predict_s is predict_proba (class 1) or predict on the
// test rows from the column-major double matrix the engine takes (conversion not timed).
#include <string>
#include <vector>

#include "bench/trees/bench_common.h"
#include "engines/trees/forest.h"
#include "engines/trees/forest/forest_model_data.h"

namespace traind::bench::trees {
namespace {

namespace engine = traind::engines::trees;

std::vector<double> predict(const engine::ForestModel& model, const engine::FeatureMatrix& x,
                            bool classification) {
  if (!classification) {
    auto values = model.predict(x);
    if (!values.is_ok()) die("predict: " + values.status().message());
    return std::move(values).value();
  }
  auto proba = model.predict_proba(x);
  if (!proba.is_ok()) die("predict_proba: " + proba.status().message());
  const std::vector<double>& p = proba.value();
  const size_t k = model.classes().size();
  std::vector<double> positive(static_cast<size_t>(x.num_rows));
  for (size_t r = 0; r < positive.size(); ++r) positive[r] = p[r * k + (k - 1)];
  return positive;
}

}  // namespace
}  // namespace traind::bench::trees

int main(int argc, char** argv) {
  using namespace traind::bench::trees;
  namespace engine = traind::engines::trees;
  const Options options(argc, argv);
  const std::string dir = options.get("data", "");
  if (dir.empty()) {
    die("usage: forest_bench --data DIR [--threads N] [--trees N] [--repeats N] [--oob 0|1] "
        "[--predict-rows N] [--pred-out FILE]");
  }
  const BenchData d = load_bench_data(dir);
  const bool classification = d.header.at("task").get<std::string>() == "clf";
  const int threads = options.get_int("threads", 1);
  const int trees = options.get_int("trees", 100);
  const int repeats = options.get_int("repeats", 3);
  const bool oob = options.get_int("oob", 0) != 0;
  const int64_t predict_rows = options.get_int("predict-rows", 0);
  const double data_mib = rss_mib();

  const nlohmann::json params = {
      {"n_estimators", trees}, {"n_jobs", threads}, {"random_state", 0}, {"oob_score", oob}};
  const auto task =
      classification ? engine::ForestTask::kClassification : engine::ForestTask::kRegression;
  auto config_or = engine::parse_forest_config(task, params.dump());
  if (!config_or.is_ok()) die("parse_forest_config: " + config_or.status().message());
  const engine::ForestConfig config = config_or.value();

  const std::vector<double> x_train = to_column_major(d.x_train, d.n_train, d.cols);
  const std::vector<double> x_test = to_column_major(d.x_test, d.n_test, d.cols);
  const std::vector<double> y_train(d.y_train.begin(), d.y_train.end());
  const engine::FeatureMatrix train{x_train.data(), d.n_train, d.cols};
  const engine::FeatureMatrix test{x_test.data(), d.n_test, d.cols};
  std::vector<double> x_many;
  if (predict_rows > 0) {
    x_many =
        to_column_major(tile_rows(d.x_test, d.n_test, d.cols, predict_rows), predict_rows, d.cols);
  }

  std::vector<double> fit_s, predict_s, many_s, pred;
  double fit_added_mib = 0, model_mib = 0;
  std::optional<double> oob_score;
  int64_t nodes = 0;
  PhaseMemory memory;
  for (int r = 0; r < repeats; ++r) {
    memory.begin();
    std::optional<engine::ForestModel> model;
    fit_s.push_back(seconds_of([&] {
      auto model_or = engine::train_forest(config, train, y_train);
      if (!model_or.is_ok()) die("train_forest: " + model_or.status().message());
      model.emplace(std::move(model_or).value());
    }));
    fit_added_mib = std::max(fit_added_mib, memory.added_mib());
    model_mib = rss_mib() - memory.start_mib;
    oob_score = model->oob_score();
    predict_s.push_back(seconds_of([&] { pred = predict(*model, test, classification); }));
    if (predict_rows > 0) {
      many_s.push_back(seconds_of([&] {
        predict(*model, {x_many.data(), predict_rows, d.cols}, classification);
      }));
    }
    if (r == 0) {
      for (const auto& tree : model->data().trees) nodes += tree.node_count();
    }
  }
  nlohmann::json out = {{"tool", "traind forest"},
                        {"task", d.header.at("task")},
                        {"threads", threads},
                        {"trees", trees},
                        {"repeats", repeats},
                        {"rows_train", d.n_train},
                        {"cols", d.cols},
                        {"fit_s", median(fit_s)},
                        {"predict_s", median(predict_s)},
                        {"predict_many_s", median(many_s)},
                        {"fit_runs_s", fit_s},
                        {"data_loaded_mib", data_mib},
                        {"fit_added_mib", fit_added_mib},
                        {"model_resident_mib", model_mib},
                        {"total_nodes", nodes},
                        {"quality", quality(classification, pred, d.y_test)}};
  if (oob_score) out["oob_score"] = *oob_score;
  out["peak_rss_mib"] = process_peak_rss_mib();
  write_doubles(options.get("pred-out", ""), pred);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
