// Column type inference and the date/boolean parsers.
#include "train/column_types.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace traind::train {
namespace {

data::Column numbers(std::vector<double> v) {
  data::Column c;
  c.storage = data::StorageType::kNumber;
  c.numbers = std::move(v);
  return c;
}

data::Column strings(const std::vector<std::string>& v) {
  data::Column c;
  c.storage = data::StorageType::kString;
  for (const auto& s : v) {
    c.strings.push_back(s);
    c.missing.push_back(s.empty() ? 1 : 0);
  }
  return c;
}

TEST(InferColumnType, TellsBooleansFromNumbers) {
  EXPECT_EQ(infer_column_type(numbers({0, 1, NAN, 1})), ColumnType::kBoolean);
  EXPECT_EQ(infer_column_type(numbers({0, 1, 2})), ColumnType::kNumeric);
  EXPECT_EQ(infer_column_type(strings({"Yes", "no", "TRUE", ""})), ColumnType::kBoolean);
}

TEST(InferColumnType, RecognisesIsoDates) {
  EXPECT_EQ(infer_column_type(strings({"2024-01-31", "2023-02-01 10:20:30", ""})),
            ColumnType::kDatetime);
  EXPECT_EQ(infer_column_type(strings({"2024-01-31", "2024-02-30"})), ColumnType::kCategorical);
}

TEST(InferColumnType, TellsCategoriesFromFreeText) {
  std::vector<std::string> few, many;
  for (int i = 0; i < 300; ++i) {
    few.push_back("plan " + std::to_string(i % 3));
    many.push_back("comment number " + std::to_string(i));
  }
  EXPECT_EQ(infer_column_type(strings(few)), ColumnType::kCategorical);
  EXPECT_EQ(infer_column_type(strings(many)), ColumnType::kText);
}

TEST(ParseIsoDatetime, RejectsMalformedDates) {
  EXPECT_FALSE(parse_iso_datetime("2024-1-01"));
  EXPECT_FALSE(parse_iso_datetime("2024-01-01 25:00:00"));
  EXPECT_FALSE(parse_iso_datetime("2024-01-01x"));
  auto p = parse_iso_datetime("1970-01-02T06:00:00Z");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->days_since_epoch, 1.25);
  EXPECT_EQ(p->day_of_week, 4);  // a Friday
}

}  // namespace
}  // namespace traind::train
