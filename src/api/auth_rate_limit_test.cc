#include "api/auth_rate_limit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.h"
#include "api/api_test_fixture.h"
#include "core/ids.h"
#include "jobs/job_service.h"

namespace traind::api {
namespace {

using namespace std::chrono_literals;
using Clock = AuthRateLimiter::Clock;

TEST(AuthRateLimiterTest, ThrottlesAnAddressAfterItsBurstOfFailures) {
  AuthRateLimiter limiter;  // 20 failures, refilled over 10 s
  const Clock::time_point t0{};
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(limiter.retry_after_seconds("10.0.0.1", t0), 0) << "failure " << i;
    limiter.record_failure("10.0.0.1", t0);
  }
  // One token refills every 500 ms: the wait is rounded up to whole seconds.
  EXPECT_EQ(limiter.retry_after_seconds("10.0.0.1", t0), 1);
  EXPECT_EQ(limiter.retry_after_seconds("10.0.0.1", t0 + 499ms), 1);
  // Other addresses are not affected.
  EXPECT_EQ(limiter.retry_after_seconds("10.0.0.2", t0), 0);
  EXPECT_EQ(limiter.retry_after_seconds("", t0), 0);
  // One token back after 500 ms: one more try, then throttled again.
  EXPECT_EQ(limiter.retry_after_seconds("10.0.0.1", t0 + 500ms), 0);
  limiter.record_failure("10.0.0.1", t0 + 500ms);
  EXPECT_EQ(limiter.retry_after_seconds("10.0.0.1", t0 + 500ms), 1);
}

TEST(AuthRateLimiterTest, RetryAfterCoversTheRefillOfOneToken) {
  AuthRateLimiter::Options options;
  options.burst = 2;
  options.window = 10s;  // one token per 5 s
  AuthRateLimiter limiter(options);
  const Clock::time_point t0{};
  limiter.record_failure("a", t0);
  limiter.record_failure("a", t0);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0), 5);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0 + 1s), 4);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0 + 4100ms), 1);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0 + 5s), 0);
  // Failures while throttled keep the bucket empty rather than going into debt.
  limiter.record_failure("a", t0 + 5s);
  limiter.record_failure("a", t0 + 5s);
  limiter.record_failure("a", t0 + 5s);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0 + 5s), 5);
  EXPECT_EQ(limiter.retry_after_seconds("a", t0 + 10s), 0);
}

TEST(AuthRateLimiterTest, FailuresSpreadOverTheWindowAreNeverThrottled) {
  AuthRateLimiter limiter;  // refills 2 tokens a second
  Clock::time_point t{};
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(limiter.retry_after_seconds("10.0.0.1", t), 0) << "failure " << i;
    limiter.record_failure("10.0.0.1", t);
    t += 500ms;
  }
}

TEST(AuthRateLimiterTest, AFullRefillForgivesEarlierFailures) {
  AuthRateLimiter limiter;
  const Clock::time_point t0{};
  for (int i = 0; i < 20; ++i) limiter.record_failure("x", t0);
  EXPECT_GT(limiter.retry_after_seconds("x", t0), 0);
  const Clock::time_point later = t0 + 10s;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(limiter.retry_after_seconds("x", later), 0) << "failure " << i;
    limiter.record_failure("x", later);
  }
  EXPECT_GT(limiter.retry_after_seconds("x", later), 0);
}

TEST(AuthRateLimiterTest, RemembersABoundedNumberOfAddresses) {
  AuthRateLimiter::Options options;
  options.max_addresses = 100;
  AuthRateLimiter limiter(options);
  Clock::time_point t{};
  // The first 20 failures of "victim" throttle it; then many addresses fail once each.
  for (int i = 0; i < 20; ++i) limiter.record_failure("victim", t);
  for (int i = 0; i < 1000; ++i) {
    limiter.record_failure("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                           t + std::chrono::microseconds(i + 1));
    ASSERT_LE(limiter.tracked_addresses(), 100u);
  }
  // Past the limit with no full bucket, the oldest ones go: "victim" was touched first.
  EXPECT_EQ(limiter.retry_after_seconds("victim", t), 0);
  // Full buckets are dropped first: after a refill everything is forgotten at the next sweep.
  t += 20s;
  for (int i = 0; i < 100; ++i) limiter.record_failure("late" + std::to_string(i), t);
  EXPECT_LE(limiter.tracked_addresses(), 100u);
  EXPECT_EQ(limiter.retry_after_seconds("late99", t), 0);
}

TEST(ThrottledAddressTest, GroupsAnIpv6HostsNetworkAndUnmapsIpv4) {
  EXPECT_EQ(throttled_address("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(throttled_address("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(throttled_address("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttled_address("2001:db8:1:2::9"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttled_address("::1"), "::/64");
  EXPECT_EQ(throttled_address(""), "");
  EXPECT_EQ(throttled_address("not:an address"), "not:an address");
}

// The Api's use of it, over a real JobService: a window of an hour makes the test
// independent of time.
class ApiAuthThrottleTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiOptions options;
    options.auth_failures.burst = 3;
    options.auth_failures.window = std::chrono::hours(1);
    open_api(std::move(options));
  }
  Response call(const std::string& path, const std::string& key, const std::string& peer,
                const std::string& method = "GET") {
    Request r;
    r.method = method;
    r.path = path;
    r.peer = peer;
    if (!key.empty()) r.headers["authorization"] = "Bearer " + key;
    if (method == "POST") r.body = "{}";
    return api_->handle(r);
  }
  static std::string code(const Response& r) {
    auto body = nlohmann::json::parse(r.body);
    return body.contains("error") ? body["error"]["code"].get<std::string>()
                                  : body["error_code"].get<std::string>();
  }
};

TEST_F(ApiAuthThrottleTest, AnAddressPastItsFailuresGets429WhateverKeyItSends) {
  const std::string wrong = "tdk_0123456789abcdef_" + std::string(48, 'a');
  const std::string jobs = "/api/v1/ml/train";
  ASSERT_EQ(call(jobs, acme_key_, "10.0.0.1").status, 200);
  // Requests without a key guess nothing and are not counted.
  for (int i = 0; i < 10; ++i) ASSERT_EQ(call(jobs, "", "10.0.0.1").status, 401);
  for (int i = 0; i < 3; ++i) {
    Response r = call(jobs, i == 1 ? "garbage" : wrong, "10.0.0.1");
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(code(r), "UNAUTHENTICATED");
  }
  for (const std::string& key : {wrong, acme_key_, std::string()}) {
    Response r = call(jobs, key, "10.0.0.1");
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(code(r), "QUOTA_EXCEEDED");
    // One token per 1200 s.
    EXPECT_EQ(r.header("Retry-After"), "1200");
  }
  Response mlflow = call("/api/2.0/mlflow/experiments/search", acme_key_, "10.0.0.1", "POST");
  EXPECT_EQ(mlflow.status, 429) << mlflow.body;
  EXPECT_EQ(code(mlflow), "REQUEST_LIMIT_EXCEEDED");
  EXPECT_EQ(mlflow.header("Retry-After"), "1200");
  // Not throttled: routes without a key, unknown routes, other addresses.
  EXPECT_EQ(call("/healthz", "", "10.0.0.1").status, 200);
  EXPECT_EQ(call("/api/v1/ml/nowhere", wrong, "10.0.0.1").status, 404);
  EXPECT_EQ(call(jobs, acme_key_, "10.0.0.2").status, 200);
  EXPECT_EQ(call(jobs, wrong, "10.0.0.2").status, 401);
}

}  // namespace
}  // namespace traind::api
