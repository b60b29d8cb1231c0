// Evaluation metrics with scikit-learn's definitions.
//
// Classification: accuracy, precision/recall/F1 ("binary" for two classes with the
// second label as the positive class, else support-"weighted"), ROC AUC (binary with
// tied scores handled as roc_auc_score: trapezoids over distinct thresholds; multiclass
// one-vs-rest, macro average), log loss and the confusion matrix (rows = true class,
// columns = predicted, in label order). Regression: rmse, mae, r2, mape
// (mean_absolute_percentage_error: |y - p| / max(|y|, machine epsilon)). Pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace traind::train {

// y_true: class index per row; proba: rows * num_classes, row-major.
// Returns {"accuracy","precision","recall","f1_score","auc_roc","log_loss",
// "confusion_matrix","labels","averaging"}; auc_roc is null when it is undefined (only
// one class present in y_true).
nlohmann::json classification_metrics(const std::vector<int>& y_true,
                                      const std::vector<double>& proba,
                                      const std::vector<std::string>& labels);

// Returns {"rmse","mae","r2","mape"}.
nlohmann::json regression_metrics(const std::vector<double>& y_true,
                                  const std::vector<double>& y_pred);

// The building blocks, exposed for tests.
std::vector<std::vector<long long>> confusion_matrix(const std::vector<int>& y_true,
                                                     const std::vector<int>& y_pred,
                                                     int num_classes);
// Binary ROC AUC of scores against 0/1 truths; nullopt when one class is absent.
std::optional<double> binary_roc_auc(const std::vector<int>& is_positive,
                                     const std::vector<double>& score);
// Index of the largest probability in each row (first on ties, as numpy's argmax).
std::vector<int> argmax_rows(const std::vector<double>& proba, size_t num_classes);

}  // namespace traind::train
