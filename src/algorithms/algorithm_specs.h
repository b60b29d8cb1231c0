// The AlgorithmSpec of each built-in algorithm, one function per adapter file.
//
// Private to the algorithms layer: registry.cc lists these; everyone else finds
// algorithms through registry.h.
#pragma once

#include "algorithms/hyperparameter.h"

namespace traind::algorithms {

const AlgorithmSpec& xgboost_spec();              // xgboost_trainer.cc
const AlgorithmSpec& logistic_regression_spec();  // logistic_regression_trainer.cc
const AlgorithmSpec& linear_regression_spec();    // linear_regression_trainer.cc
const AlgorithmSpec& lightgbm_spec();             // lightgbm_trainer.cc
const AlgorithmSpec& random_forest_spec();        // random_forest_trainer.cc
const AlgorithmSpec& arima_spec();                // arima_forecaster.cc
const AlgorithmSpec& prophet_spec();              // prophet_forecaster.cc
const AlgorithmSpec& neural_network_spec();       // neural_network_spec.cc

}  // namespace traind::algorithms
