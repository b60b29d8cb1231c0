// Preprocessor: fitted on training rows only, and reapplied identically after a round
// trip through its JSON form (what the predictor does).
#include "train/preprocessing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace traind::train {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

data::Column number_column(const std::string& name, std::vector<double> values) {
  data::Column c;
  c.name = name;
  c.storage = data::StorageType::kNumber;
  c.numbers = std::move(values);
  return c;
}

// "" marks a missing value.
data::Column string_column(const std::string& name, const std::vector<std::string>& values) {
  data::Column c;
  c.name = name;
  c.storage = data::StorageType::kString;
  for (const auto& v : values) {
    c.strings.push_back(v);
    c.missing.push_back(v.empty() ? 1 : 0);
  }
  return c;
}

data::Table sample_table() {
  data::Table t;
  t.columns().push_back(number_column("tenure", {1, 2, kNaN, 4, 100}));
  t.columns().push_back(string_column("contract", {"b", "a", "a", "", "z"}));
  t.columns().push_back(string_column(
      "signup", {"2024-01-01", "2023-06-15 12:00:00", "", "2024-01-01", "2020-02-29"}));
  return t;
}

const std::vector<FeatureColumn> kColumns = {{"tenure", ColumnType::kNumeric},
                                             {"contract", ColumnType::kCategorical},
                                             {"signup", ColumnType::kDatetime}};
const std::vector<size_t> kTrainRows = {0, 1, 2, 3};

TEST(Preprocessor, ImputesWithTheTrainingMedianAndStandardisesWithTrainingStats) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, {kColumns[0]}, kTrainRows,
                             {.impute_missing = true, .standardize = true});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  // Training values 1, 2, NaN, 4: median 2 (the 100 of the test row is not seen), then
  // 1, 2, 2, 4 -> mean 2.25, population std sqrt(1.1875).
  const NumericScaling& s = p->columns()[0].scalings[0];
  EXPECT_DOUBLE_EQ(s.fill, 2.0);
  EXPECT_DOUBLE_EQ(s.mean, 2.25);
  EXPECT_DOUBLE_EQ(s.scale, std::sqrt(1.1875));
  auto x = p->transform(t, {2, 4});
  ASSERT_TRUE(x.is_ok());
  EXPECT_FLOAT_EQ(x->values[0], static_cast<float>((2.0 - 2.25) / std::sqrt(1.1875)));
  EXPECT_FLOAT_EQ(x->values[1], static_cast<float>((100.0 - 2.25) / std::sqrt(1.1875)));
}

TEST(Preprocessor, OneHotOrdersByFrequencyThenNameWithAMissingIndicator) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, {kColumns[1]}, kTrainRows, {.impute_missing = true});
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->feature_names(),
            (std::vector<std::string>{"contract=a", "contract=b", "contract=__missing__"}));
  auto x = p->transform(t);
  ASSERT_TRUE(x.is_ok());
  const std::vector<float> expected = {0, 1, 0,   // b
                                       1, 0, 0,   // a
                                       1, 0, 0,   // a
                                       0, 0, 1,   // missing
                                       0, 0, 0};  // z: unseen in training -> all zeros
  EXPECT_EQ(x->values, expected);
}

TEST(Preprocessor, KeepsNaNWhenTheAlgorithmHandlesMissingValues) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, {kColumns[0], kColumns[1]}, kTrainRows, {.impute_missing = false});
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->feature_names(), (std::vector<std::string>{"tenure", "contract=a", "contract=b"}));
  auto x = p->transform(t, {2, 3});
  ASSERT_TRUE(x.is_ok());
  EXPECT_TRUE(std::isnan(x->values[0]));  // tenure of row 2
  EXPECT_EQ(x->values[3], 4.0f);          // tenure of row 3
  EXPECT_TRUE(std::isnan(x->values[4]));  // contract of row 3 is missing
  EXPECT_TRUE(std::isnan(x->values[5]));
}

TEST(Preprocessor, EncodesDatesAsDaysYearMonthAndWeekday) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, {kColumns[2]}, kTrainRows, {.impute_missing = false});
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->feature_names()[3], "signup.day_of_week");
  auto x = p->transform(t, {0, 1});
  ASSERT_TRUE(x.is_ok());
  // 2024-01-01 was a Monday, 19723 days after 1970-01-01; 2023-06-15 12:00 a Thursday.
  EXPECT_EQ(x->values, (std::vector<float>{19723, 2024, 1, 0, 19523.5f, 2023, 6, 3}));
  EXPECT_EQ(p->feature_sources(), (std::vector<size_t>{0, 0, 0, 0}));
}

TEST(Preprocessor, KeepsFiftyCategoriesAndSendsTheRestToOther) {
  data::Table t;
  std::vector<std::string> values;
  for (int i = 0; i < 60; ++i) {
    // Category c00 appears 61 times, c01 60 times, ... so frequency decides the order.
    for (int r = 0; r < 61 - i; ++r)
      values.push_back("c" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  }
  t.columns().push_back(string_column("code", values));
  std::vector<size_t> rows(values.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  auto p =
      Preprocessor::fit(t, {{"code", ColumnType::kCategorical}}, rows, {.impute_missing = true});
  ASSERT_TRUE(p.is_ok());
  ASSERT_EQ(p->feature_names().size(), 51u);
  EXPECT_EQ(p->feature_names().front(), "code=c00");
  EXPECT_EQ(p->feature_names().back(), "code=__other__");
  auto x = p->transform(t, {rows.back()});  // a c59 row
  ASSERT_TRUE(x.is_ok());
  EXPECT_EQ(x->values.back(), 1.0f);
}

TEST(Preprocessor, ReappliesIdenticallyAfterAJsonRoundTrip) {
  const data::Table t = sample_table();
  auto fitted =
      Preprocessor::fit(t, kColumns, kTrainRows, {.impute_missing = true, .standardize = true});
  ASSERT_TRUE(fitted.is_ok());
  auto reloaded = Preprocessor::from_json(nlohmann::json::parse(fitted->to_json().dump()));
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
  EXPECT_EQ(reloaded->feature_names(), fitted->feature_names());
  auto a = fitted->transform(t);
  auto b = reloaded->transform(t);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  ASSERT_EQ(a->values.size(), b->values.size());
  for (size_t i = 0; i < a->values.size(); ++i) {
    // Bitwise equal (NaN-aware): training and prediction must see the same numbers.
    EXPECT_TRUE(a->values[i] == b->values[i] ||
                (std::isnan(a->values[i]) && std::isnan(b->values[i])))
        << i;
  }
}

TEST(Preprocessor, CategoryCodesFollowFrequencyWithNaNForMissingAndUnseen) {
  const data::Table t = sample_table();
  // impute_missing is ignored for codes: an algorithm asking for codes routes NaN itself.
  auto p = Preprocessor::fit(t, kColumns, kTrainRows,
                             {.impute_missing = true, .categorical_codes = true});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->feature_names()[1], "contract");
  EXPECT_EQ(p->categorical_code_features(), (std::vector<int>{1}));
  auto x = p->transform(t);
  ASSERT_TRUE(x.is_ok());
  const size_t cols = x->cols;
  EXPECT_EQ(x->values[0 * cols + 1], 1.0f);          // b: second most frequent
  EXPECT_EQ(x->values[1 * cols + 1], 0.0f);          // a: most frequent
  EXPECT_TRUE(std::isnan(x->values[3 * cols + 1]));  // missing
  EXPECT_TRUE(std::isnan(x->values[4 * cols + 1]));  // z: unseen in training
  auto reloaded = Preprocessor::from_json(nlohmann::json::parse(p->to_json().dump()));
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
  EXPECT_EQ(reloaded->categorical_code_features(), p->categorical_code_features());
  auto again = reloaded->transform(t);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->values[0 * cols + 1], 1.0f);
}

TEST(Preprocessor, OneHotEncodingHasNoCategoryCodeFeatures) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, kColumns, kTrainRows, {.impute_missing = true});
  ASSERT_TRUE(p.is_ok());
  EXPECT_TRUE(p->categorical_code_features().empty());
}

TEST(Preprocessor, PassesTextThroughForAlgorithmsThatReadIt) {
  data::Table t = sample_table();
  t.columns().push_back(string_column("note", {"hello there", "", "late bill", "x", "new"}));
  const std::vector<FeatureColumn> columns = {kColumns[0], {"note", ColumnType::kText}};
  auto dropped = Preprocessor::fit(t, columns, kTrainRows, {.impute_missing = true});
  ASSERT_TRUE(dropped.is_ok());
  EXPECT_EQ(dropped->columns().size(), 1u);
  EXPECT_TRUE(dropped->text_columns().empty());

  auto p = Preprocessor::fit(t, columns, kTrainRows, {.impute_missing = true, .keep_text = true});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->feature_names(), std::vector<std::string>({"tenure"}));
  EXPECT_EQ(p->text_columns(), std::vector<size_t>({1}));
  EXPECT_EQ(p->importance_sources(), std::vector<size_t>({0, 1}));
  auto back = Preprocessor::from_json(p->to_json());
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  for (const Preprocessor* pre : {&p.value(), &back.value()}) {
    auto x = pre->transform(t, {1, 2, 4});
    ASSERT_TRUE(x.is_ok());
    EXPECT_EQ(x->cols, 1u);
    ASSERT_EQ(x->texts.size(), 1u);
    EXPECT_EQ(x->texts[0].name, "note");
    EXPECT_EQ(x->texts[0].values, std::vector<std::string>({"", "late bill", "new"}));
  }
  // Text alone is enough to train on.
  auto only_text =
      Preprocessor::fit(t, {{"note", ColumnType::kText}}, kTrainRows, {.keep_text = true});
  EXPECT_TRUE(only_text.is_ok()) << only_text.status().to_string();
}

TEST(Preprocessor, RefusesAColumnTheDataDoesNotHave) {
  const data::Table t = sample_table();
  auto p = Preprocessor::fit(t, {{"nope", ColumnType::kNumeric}}, kTrainRows, {});
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kDataError);
}

}  // namespace
}  // namespace traind::train
