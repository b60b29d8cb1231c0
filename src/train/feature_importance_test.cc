// Importances summed back to input columns and normalised.
#include "train/feature_importance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace traind::train {
namespace {

TEST(ImportanceByColumn, SumsOneHotPartsIntoTheirColumn) {
  // tenure, contract=a, contract=b, contract=__other__
  const auto out = importance_by_column({2.0, 1.0, 0.5, 0.5}, {0, 1, 1, 1}, {"tenure", "contract"});
  EXPECT_DOUBLE_EQ(out["tenure"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(out["contract"].get<double>(), 0.5);
}

TEST(ImportanceByColumn, GivesEqualSharesWhenEveryImportanceIsZero) {
  const auto out = importance_by_column({0.0, 0.0, NAN}, {0, 1, 2}, {"a", "b", "c"});
  for (const char* name : {"a", "b", "c"}) EXPECT_DOUBLE_EQ(out[name].get<double>(), 1.0 / 3.0);
}

TEST(ImportanceByColumn, IgnoresNegativeValues) {
  const auto out = importance_by_column({-3.0, 1.0}, {0, 1}, {"a", "b"});
  EXPECT_DOUBLE_EQ(out["a"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(out["b"].get<double>(), 1.0);
}

}  // namespace
}  // namespace traind::train
