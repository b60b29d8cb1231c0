#include "core/ids.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace traind {

TEST(IdsTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(IdsTest, IdsAreUniqueAndPrefixed) {
  std::string a = make_id("train"), b = make_id("train");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("train-", 0), 0u);
  EXPECT_EQ(a.size(), 6u + 16u);
}

TEST(IdsTest, ConstantTimeEqualsComparesContent) {
  EXPECT_TRUE(constant_time_equals("secret", "secret"));
  EXPECT_FALSE(constant_time_equals("secret", "secreT"));
  EXPECT_FALSE(constant_time_equals("secret", "secrets"));
}

TEST(ClockTest, FormatsRfc3339WithMilliseconds) {
  EXPECT_EQ(format_rfc3339(1795860900123LL), "2026-11-28T10:15:00.123Z");
}

}  // namespace traind
