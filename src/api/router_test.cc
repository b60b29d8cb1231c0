#include "api/router.h"

#include <gtest/gtest.h>

namespace traind::api {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    list_ = router_.add("GET", "/api/v1/ml/train");
    submit_ = router_.add("POST", "/api/v1/ml/train");
    get_ = router_.add("GET", "/api/v1/ml/train/{job_id}");
    cancel_ = router_.add("DELETE", "/api/v1/ml/train/{job_id}");
    events_ = router_.add("GET", "/api/v1/ml/train/{job_id}/events");
    validate_ = router_.add("POST", "/api/v1/ml/train/validate");
    key_ = router_.add("DELETE", "/api/v1/admin/tenants/{tenant_id}/keys/{key_id}");
  }
  Router router_;
  int list_, submit_, get_, cancel_, events_, validate_, key_;
};

TEST_F(RouterTest, MatchesLiteralRoutesByMethod) {
  auto m = router_.match("GET", "/api/v1/ml/train");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, list_);
  EXPECT_EQ(router_.match("POST", "/api/v1/ml/train").route, submit_);
}

TEST_F(RouterTest, CapturesPathParameters) {
  auto m = router_.match("GET", "/api/v1/ml/train/train-abc123/events");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, events_);
  EXPECT_EQ(m.pattern, "/api/v1/ml/train/{job_id}/events");
  EXPECT_EQ(m.params.at("job_id"), "train-abc123");

  auto k = router_.match("DELETE", "/api/v1/admin/tenants/globex/keys/k1");
  ASSERT_EQ(k.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(k.route, key_);
  EXPECT_EQ(k.params.at("tenant_id"), "globex");
  EXPECT_EQ(k.params.at("key_id"), "k1");
}

TEST_F(RouterTest, LiteralSegmentWinsOverCapture) {
  router_.add("GET", "/api/v1/ml/train/{job_id}/bom");
  int literal = router_.add("GET", "/api/v1/ml/train/special");
  auto m = router_.match("GET", "/api/v1/ml/train/special");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, literal);
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router_.match("GET", "/api/v1/nothing").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.match("GET", "/api/v1/ml/train/a/b/c").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.match("GET", "/").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto m = router_.match("PUT", "/api/v1/ml/train/train-1");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE"}));
  auto v = router_.match("GET", "/api/v1/ml/train/validate");
  // GET on /validate is a job id lookup ("validate"), which is what the capture says.
  EXPECT_EQ(v.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(v.route, get_);
}

TEST_F(RouterTest, ToleratesTrailingSlash) {
  auto m = router_.match("GET", "/api/v1/ml/train/train-1/");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, get_);
  EXPECT_EQ(m.params.at("job_id"), "train-1");
}

TEST(Router, RestCaptureTakesTheRemainingSegments) {
  Router r;
  r.add("GET", "/files/{root}/{path...}");
  r.add("GET", "/files/{root}");
  RouteMatch m = r.match("GET", "/files/a/b/c.txt");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, 0);
  EXPECT_EQ(m.params["root"], "a");
  EXPECT_EQ(m.params["path"], "b/c.txt");
  m = r.match("GET", "/files/a");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route, 1);
  EXPECT_EQ(r.match("GET", "/other/a/b").kind, RouteMatch::Kind::kNotFound);
}

}  // namespace
}  // namespace traind::api
