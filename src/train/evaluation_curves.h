// Curves of a model's test results, for plotting (the job result's "curves"): ROC,
// precision-recall and calibration for classification (the positive class for two
// classes, each class against the rest for more), a sample of predicted/actual pairs for
// regression. Points follow scikit-learn's roc_curve (drop_intermediate=False),
// precision_recall_curve and calibration_curve (strategy="uniform"), then are thinned to at
// most `max_points` (first and last kept). Pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traind::train {

// {"roc": {"fpr", "tpr", "thresholds"}, "precision_recall": {"recall", "precision",
// "thresholds"}, "calibration": {"mean_predicted", "fraction_positive", "count"}} of
// scores against 0/1 truths. The first ROC point (0, 0) and the first precision-recall
// point (recall 0, precision 1) have a null threshold (scikit-learn: +inf / none).
// Null when only one class is present (the curves are undefined).
nlohmann::json binary_curves(const std::vector<int>& is_positive, const std::vector<double>& score,
                             size_t max_points = 200);

// Two classes: {"positive_label", ...binary_curves of the positive class}. More:
// {"per_class": {"<label>": binary_curves of that class against the rest}}.
nlohmann::json classification_curves(const std::vector<int>& y_true,
                                     const std::vector<double>& proba,
                                     const std::vector<std::string>& labels,
                                     size_t max_points = 200);

// {"predicted_vs_actual": {"actual": [...], "predicted": [...]}}: every test row, or
// `max_points` of them evenly spaced in test order.
nlohmann::json regression_curves(const std::vector<double>& y_true,
                                 const std::vector<double>& y_pred, size_t max_points = 500);

}  // namespace traind::train
