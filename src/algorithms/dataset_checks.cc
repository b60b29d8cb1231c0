// Shape and value checks shared by the algorithm adapters.
#include "algorithms/dataset_checks.h"

#include <fmt/format.h>

#include <cmath>

namespace traind::algorithms {
namespace {

Status check_one(const std::string& algorithm, const char* which, const Dataset& d,
                 const TrainOptions& options, DatasetRequirements requirements) {
  if (d.x.rows == 0) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: the {} set has no rows", algorithm, which));
  }
  if (d.x.cols == 0) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: the {} set has no feature columns", algorithm, which));
  }
  if (d.x.values.size() != d.x.rows * d.x.cols) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: the {} matrix holds {} values for {} rows x {} columns",
                              algorithm, which, d.x.values.size(), d.x.rows, d.x.cols));
  }
  if (d.y.size() != d.x.rows) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: the {} set has {} rows but {} target values", algorithm, which,
                              d.x.rows, d.y.size()));
  }
  if (!d.feature_names.empty() && d.feature_names.size() != d.x.cols) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: the {} set has {} columns but {} feature names", algorithm,
                              which, d.x.cols, d.feature_names.size()));
  }
  if (!requirements.allow_missing) {
    for (size_t i = 0; i < d.x.values.size(); ++i) {
      if (!std::isfinite(d.x.values[i])) {
        return Status(ErrorCode::kDataError,
                      fmt::format("{}: the {} set has a missing or infinite value in row {}, "
                                  "column {}; this algorithm needs imputed features",
                                  algorithm, which, i / d.x.cols, i % d.x.cols));
      }
    }
  }
  for (size_t r = 0; r < d.y.size(); ++r) {
    const float y = d.y[r];
    if (!std::isfinite(y)) {
      return Status(
          ErrorCode::kDataError,
          fmt::format("{}: the {} set's target is missing in row {}", algorithm, which, r));
    }
    if (options.task == Task::kClassification &&
        (y < 0 || y >= static_cast<float>(options.num_classes) || std::floor(y) != y)) {
      return Status(ErrorCode::kDataError,
                    fmt::format("{}: the {} set's row {} has class {}, expected a class "
                                "index in 0..{}",
                                algorithm, which, r, y, options.num_classes - 1));
    }
  }
  return Status::ok();
}

}  // namespace

Status check_training_data(const std::string& algorithm, const Dataset& train, const Dataset* valid,
                           const TrainOptions& options, DatasetRequirements requirements) {
  if (options.task == Task::kClassification && options.num_classes < 2) {
    return Status(ErrorCode::kDataError,
                  fmt::format("{}: classification needs at least 2 classes, got {}", algorithm,
                              options.num_classes));
  }
  TRAIND_RETURN_IF_ERROR(check_one(algorithm, "training", train, options, requirements));
  if (valid != nullptr) {
    TRAIND_RETURN_IF_ERROR(check_one(algorithm, "validation", *valid, options, requirements));
    if (valid->x.cols != train.x.cols) {
      return Status(ErrorCode::kDataError,
                    fmt::format("{}: the validation set has {} columns, the training set {}",
                                algorithm, valid->x.cols, train.x.cols));
    }
  }
  return Status::ok();
}

Status check_prediction_input(const Matrix& x, size_t expected_cols) {
  if (x.cols != expected_cols) {
    return Status(ErrorCode::kDataError, fmt::format("the model expects {} feature columns, got {}",
                                                     expected_cols, x.cols));
  }
  if (x.values.size() != x.rows * x.cols) {
    return Status(ErrorCode::kDataError,
                  fmt::format("the matrix holds {} values for {} rows x {} columns",
                              x.values.size(), x.rows, x.cols));
  }
  return Status::ok();
}

}  // namespace traind::algorithms
