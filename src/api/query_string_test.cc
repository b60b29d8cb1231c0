#include "api/query_string.h"

#include <gtest/gtest.h>

namespace traind::api {
namespace {

TEST(QueryStringTest, DecodesPercentEscapesAndPlusInQueries) {
  auto q = parse_query("name=churn+model%202&status=running");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[0], (std::pair<std::string, std::string>{"name", "churn model 2"}));
  EXPECT_EQ((*q)[1], (std::pair<std::string, std::string>{"status", "running"}));
}

TEST(QueryStringTest, KeepsRepeatedNamesInOrder) {
  auto t = parse_target("/api/v1/ml/train?status=running&limit=5&status=queued");
  ASSERT_TRUE(t.has_value());
  Request r;
  r.query = t->query;
  EXPECT_EQ(r.query_values("status"), (std::vector<std::string>{"running", "queued"}));
  EXPECT_EQ(r.query_values("limit"), (std::vector<std::string>{"5"}));
  EXPECT_TRUE(r.query_values("name").empty());
}

TEST(QueryStringTest, NameWithoutValueAndEmptyPieces) {
  auto q = parse_query("a&&b=&c=1");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ((*q)[0].first, "a");
  EXPECT_EQ((*q)[0].second, "");
  EXPECT_EQ((*q)[1].first, "b");
  EXPECT_EQ((*q)[2].second, "1");
}

TEST(QueryStringTest, RejectsMalformedEscapes) {
  EXPECT_FALSE(parse_query("a=%4").has_value());
  EXPECT_FALSE(parse_query("a=%zz").has_value());
  EXPECT_FALSE(parse_target("/x%2").has_value());
  EXPECT_FALSE(percent_decode("%", false).has_value());
}

TEST(QueryStringTest, SplitsTargetAndKeepsPlusInPath) {
  auto t = parse_target("/api/v1/models/a+b%2Dc?x=1");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/api/v1/models/a+b-c");
  ASSERT_EQ(t->query.size(), 1u);
  auto bare = parse_target("/healthz");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->path, "/healthz");
  EXPECT_TRUE(bare->query.empty());
}

TEST(QueryStringTest, RejectsAbsoluteAndEmptyTargets) {
  EXPECT_FALSE(parse_target("http://example.com/x").has_value());
  EXPECT_FALSE(parse_target("").has_value());
  EXPECT_FALSE(parse_target("*").has_value());
}

}  // namespace
}  // namespace traind::api
