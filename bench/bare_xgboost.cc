// The reference for the service-overhead benchmark: the same XGBoost training as a traind
// job, through bare libxgboost, on the same rows. Reads the demo table from its SQLite file,
// trains, predicts the test rows, and prints one JSON line of wall-clock seconds per phase.
//
//   bare_xgboost DB QUERY TARGET N_ESTIMATORS MAX_DEPTH LEARNING_RATE THREADS
// The query must select only numeric feature columns and the 0/1 target.
#include <sqlite3.h>
#include <unistd.h>
#include <xgboost/c_api.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void check(int rc, const char* what) {
  if (rc != 0) {
    std::fprintf(stderr, "%s: %s\n", what, XGBGetLastError());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s DB QUERY TARGET N_ESTIMATORS MAX_DEPTH LEARNING_RATE THREADS\n",
                 argv[0]);
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, argv[2], -1, &stmt, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "%s\n", sqlite3_errmsg(db));
    return 1;
  }
  int ncol = sqlite3_column_count(stmt);
  int target = -1;
  for (int c = 0; c < ncol; ++c) {
    if (std::string(sqlite3_column_name(stmt, c)) == argv[3]) target = c;
  }
  if (target < 0) return 1;
  std::vector<float> x, y;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int c = 0; c < ncol; ++c) {
      bool null = sqlite3_column_type(stmt, c) == SQLITE_NULL;
      float v = null ? NAN : static_cast<float>(sqlite3_column_double(stmt, c));
      (c == target ? y : x).push_back(v);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  const size_t rows = y.size(), cols = static_cast<size_t>(ncol - 1);
  const size_t n_test = (rows * 2 + 9) / 10, n_train = rows - n_test;
  double load_s = seconds_since(t0);

  auto t1 = std::chrono::steady_clock::now();
  DMatrixHandle train, test;
  check(XGDMatrixCreateFromMat(x.data(), n_train, cols, NAN, &train), "train matrix");
  check(XGDMatrixCreateFromMat(x.data() + n_train * cols, n_test, cols, NAN, &test), "test matrix");
  check(XGDMatrixSetFloatInfo(train, "label", y.data(), n_train), "labels");
  check(XGDMatrixSetFloatInfo(test, "label", y.data() + n_train, n_test), "labels");
  BoosterHandle booster;
  DMatrixHandle both[2] = {train, test};
  const char* names[2] = {"train", "valid"};
  check(XGBoosterCreate(both, 1, &booster), "booster");
  XGBoosterSetParam(booster, "objective", "binary:logistic");
  XGBoosterSetParam(booster, "eval_metric", "logloss");
  XGBoosterSetParam(booster, "tree_method", "hist");
  XGBoosterSetParam(booster, "max_depth", argv[5]);
  XGBoosterSetParam(booster, "eta", argv[6]);
  XGBoosterSetParam(booster, "nthread", argv[7]);
  int rounds = std::atoi(argv[4]);
  for (int i = 0; i < rounds; ++i) {
    check(XGBoosterUpdateOneIter(booster, i, train), "update");
    const char* eval = nullptr;
    check(XGBoosterEvalOneIter(booster, i, both, names, 2, &eval), "eval");
  }
  bst_ulong out_len = 0;
  const float* preds = nullptr;
  check(XGBoosterPredict(booster, test, 0, 0, 0, &out_len, &preds), "predict");
  double correct = 0;
  for (bst_ulong i = 0; i < out_len; ++i)
    correct += ((preds[i] >= 0.5f) == (y[n_train + i] >= 0.5f));
  double train_s = seconds_since(t1);
  // A trained model is kept: saved in XGBoost's JSON format, as the service does.
  auto t2 = std::chrono::steady_clock::now();
  char model_path[] = "/tmp/bare_xgboost_model_XXXXXX.json";
  int fd = mkstemps(model_path, 5);
  if (fd < 0) return 1;
  close(fd);
  check(XGBoosterSaveModel(booster, model_path), "save");
  unlink(model_path);
  double save_s = seconds_since(t2);
  XGBoosterFree(booster);
  XGDMatrixFree(train);
  XGDMatrixFree(test);
  std::printf(
      "{\"rows\": %zu, \"load_seconds\": %.4f, \"train_eval_seconds\": %.4f, "
      "\"save_seconds\": %.4f, \"total_seconds\": %.4f, \"accuracy\": %.4f}\n",
      rows, load_s, train_s, save_s, seconds_since(t0), correct / static_cast<double>(n_test));
  return 0;
}
