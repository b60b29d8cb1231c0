#include "core/status.h"

#include <gtest/gtest.h>

namespace traind {

TEST(StatusTest, CodeNamesRoundTrip) {
  for (auto code :
       {ErrorCode::kInvalidJson, ErrorCode::kQuotaExceeded, ErrorCode::kWorkerCrashed}) {
    auto back = error_code_from_name(error_code_name(code));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, code);
  }
  EXPECT_FALSE(error_code_from_name("NO_SUCH_CODE").has_value());
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.is_ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad(Status(ErrorCode::kNotFound, "no such job"));
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "no such job");
}

}  // namespace traind
