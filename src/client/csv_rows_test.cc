#include "client/csv_rows.h"

#include <gtest/gtest.h>

namespace traind::client {
namespace {

using nlohmann::json;

TEST(CsvRows, NumbersStringsNullsAndQuotes) {
  Result<json> rows =
      parse_csv_rows("tenure,monthly_charges,note\r\n3,29.5,\"a, \"\"b\"\"\"\n12,,x\n", "r.csv");
  ASSERT_TRUE(rows.is_ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0]["tenure"], 3);
  EXPECT_DOUBLE_EQ((*rows)[0]["monthly_charges"].get<double>(), 29.5);
  EXPECT_EQ((*rows)[0]["note"], "a, \"b\"");
  EXPECT_TRUE((*rows)[1]["monthly_charges"].is_null());
  EXPECT_EQ((*rows)[1]["note"], "x");
}

TEST(CsvRows, RaggedRowNamesItsLine) {
  Result<json> rows = parse_csv_rows("a,b\n1,2\n3\n", "r.csv");
  ASSERT_FALSE(rows.is_ok());
  EXPECT_NE(rows.status().message().find("r.csv:3:"), std::string::npos) << rows.status().message();
}

}  // namespace
}  // namespace traind::client
