// LogisticRegressionModel: a trained liblinear model behind the Model interface.
//
// Private to the algorithms layer. Saves liblinear's own text format (`model.liblinear`,
// what liblinear's `predict` tool and its Python bindings load). Rows go to liblinear as
// sparse feature_node lists built per call, so predict() is safe from several threads.
#pragma once

#include <linear.h>

#include <memory>
#include <string>
#include <vector>

#include "algorithms/trainer.h"

namespace traind::algorithms {

inline constexpr char kLiblinearArtifactFile[] = "model.liblinear";

struct LiblinearModelFree {
  void operator()(::model* m) const { free_and_destroy_model(&m); }
};
using LiblinearModelPtr = std::unique_ptr<::model, LiblinearModelFree>;

// Rows of a dense matrix as liblinear reads them: 1-based indices, zeros left out, the
// bias feature (index cols + 1) appended when bias >= 0, each row ended by index -1.
struct LiblinearRows {
  std::vector<feature_node> nodes;
  std::vector<feature_node*> rows;
};
LiblinearRows to_liblinear_rows(const Matrix& x, double bias);

// Turns liblinear's progress printing off (it writes to stdout otherwise).
void silence_liblinear();

class LogisticRegressionModel final : public Model {
 public:
  LogisticRegressionModel(LiblinearModelPtr model, int num_classes,
                          std::vector<std::string> feature_names);
  static Result<std::unique_ptr<Model>> load(const std::string& dir, const nlohmann::json& meta);

  Result<std::vector<double>> predict(const Matrix& x) const override;
  std::vector<double> feature_importance() const override;
  std::string importance_type() const override { return "abs_coefficient"; }
  Status save(const std::string& dir) const override;
  std::string artifact_file() const override { return kLiblinearArtifactFile; }
  nlohmann::json metadata() const override;

  // Coefficient of `feature` (0-based) in the decision function of `class_index`'s
  // one-vs-rest classifier (binary: of class 1), as scikit-learn's coef_ reports it.
  double coefficient(int class_index, size_t feature) const;
  double intercept(int class_index) const;

 private:
  // liblinear's index of the decision function for class_index, and its sign.
  std::pair<int, double> decision_function_of(int class_index) const;

  LiblinearModelPtr model_;
  int num_classes_;
  std::vector<std::string> feature_names_;
};

}  // namespace traind::algorithms
