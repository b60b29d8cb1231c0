#include "api/request_id.h"

#include <gtest/gtest.h>

namespace traind::api {
namespace {

TEST(RequestIdTest, KeepsASaneClientId) {
  EXPECT_EQ(choose_request_id("abc-123_x.y:z"), "abc-123_x.y:z");
}

TEST(RequestIdTest, ReplacesMissingOrUnsafeIds) {
  for (const std::string& bad : {std::string(""), std::string("has space"), std::string("a\r\nb"),
                                 std::string("quote\"d"), std::string(200, 'a')}) {
    std::string id = choose_request_id(bad);
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.rfind("req-", 0), 0u) << id;
    EXPECT_EQ(id.size(), 4u + 16u);
    EXPECT_TRUE(is_sane_request_id(id));
  }
}

TEST(RequestIdTest, GeneratedIdsDiffer) { EXPECT_NE(choose_request_id(""), choose_request_id("")); }

}  // namespace
}  // namespace traind::api
