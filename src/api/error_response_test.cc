#include "api/error_response.h"

#include <gtest/gtest.h>

#include "api/http_metrics.h"

namespace traind::api {
namespace {

TEST(ErrorResponseTest, MapsRequestCodesToApiStatuses) {
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidJson), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidConfig), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(http_status_for(ErrorCode::kForbidden), 403);
  EXPECT_EQ(http_status_for(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status_for(ErrorCode::kConflict), 409);
  EXPECT_EQ(http_status_for(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status_for(ErrorCode::kQuotaExceeded), 429);
  EXPECT_EQ(http_status_for(ErrorCode::kInternal), 500);
  EXPECT_EQ(http_status_for(ErrorCode::kTimeout), 500);
  EXPECT_EQ(http_status_for(ErrorCode::kDataError), 500);
}

TEST(ErrorResponseTest, RendersApiErrorShapeWithDetailsAndRequestId) {
  Status st(ErrorCode::kInvalidConfig, "the configuration is invalid",
            {{"/split/test_size", "must be > 0 and < 1"}, {"/algorithm", "unknown"}});
  Response r = error_response(st, "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  auto body = nlohmann::json::parse(r.body);
  const auto& e = body.at("error");
  EXPECT_EQ(e.at("code"), "INVALID_CONFIG");
  EXPECT_EQ(e.at("message"), "the configuration is invalid");
  EXPECT_EQ(e.at("request_id"), "req-1");
  ASSERT_EQ(e.at("details").size(), 2u);
  EXPECT_EQ(e.at("details")[0].at("path"), "/split/test_size");
  EXPECT_EQ(e.at("details")[0].at("message"), "must be > 0 and < 1");
}

TEST(ErrorResponseTest, DetailsIsAlwaysAnArray) {
  auto body = nlohmann::json::parse(error_response(Status(ErrorCode::kNotFound, "no"), "r").body);
  EXPECT_TRUE(body["error"]["details"].is_array());
  EXPECT_TRUE(body["error"]["details"].empty());
}

TEST(ErrorResponseTest, QuotaExceededCarriesRetryAfter) {
  Response r = error_response(Status(ErrorCode::kQuotaExceeded, "queue full"), "r");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), std::to_string(kRetryAfterSeconds));
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "QUOTA_EXCEEDED");
}

TEST(ErrorResponseTest, JobLevelCodeBecomesInternal) {
  Response r = error_response(Status(ErrorCode::kTimeout, "took too long"), "r");
  EXPECT_EQ(r.status, 500);
  auto e = nlohmann::json::parse(r.body)["error"];
  EXPECT_EQ(e["code"], "INTERNAL");
  EXPECT_NE(e["message"].get<std::string>().find("took too long"), std::string::npos);
}

TEST(ErrorResponseTest, MethodNotAllowedHasAllowHeader) {
  Response r = method_not_allowed({"GET", "DELETE"}, "PUT", "r");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, DELETE");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "METHOD_NOT_ALLOWED");
}

TEST(HttpMetricsTest, CountsRequestsAndFillsCumulativeBuckets) {
  HttpMetrics m;
  m.record("GET", "/healthz", 200, 0.002);
  m.record("GET", "/healthz", 200, 0.3);
  m.record("POST", "/api/v1/ml/train", 400, 0.02);
  std::string text = m.prometheus_text();
  EXPECT_NE(
      text.find("traind_http_requests_total{method=\"GET\",route=\"/healthz\",code=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("traind_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
                      "healthz\",le=\"0.005\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("traind_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
                      "healthz\",le=\"0.5\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("traind_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE traind_http_request_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace traind::api
