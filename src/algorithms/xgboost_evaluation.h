// Parsing of XGBoosterEvalOneIter's text into named metrics.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace traind::algorithms {

// "[3]\ttrain-logloss:0.51\tvalid-logloss:0.62" -> {("train_logloss", 0.51),
// ("valid_logloss", 0.62)}: the data set's name and the metric joined by '_'.
std::vector<std::pair<std::string, double>> parse_xgboost_evaluation(const std::string& text);

}  // namespace traind::algorithms
