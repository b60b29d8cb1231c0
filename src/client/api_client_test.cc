#include "client/api_client.h"

#include <gtest/gtest.h>

#include "client/exit_code.h"

namespace traind::client {
namespace {

ApiResponse answer(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(ErrorAnswer, KeepsCodeMessageAndDetailPaths) {
  Status s = status_from_error_answer(
      answer(400, R"({"error":{"code":"INVALID_CONFIG","message":"bad config","details":[
          {"path":"/split/test_size","message":"must be > 0 and < 1"}]}})"));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(s.message(), "INVALID_CONFIG: bad config");
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].path, "/split/test_size");
  EXPECT_EQ(exit_code_for(s), kExitRefused);
}

TEST(ErrorAnswer, MapsStatusesToExitCodes) {
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(401, "{}"))), kExitAuth);
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(403, ""))), kExitAuth);
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(404, "nope"))), kExitRefused);
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(409, ""))), kExitRefused);
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(429, ""))), kExitRefused);
  EXPECT_EQ(exit_code_for(status_from_error_answer(
                answer(500, R"({"error":{"code":"INTERNAL","message":"bug"}})"))),
            kExitUnavailable);
  EXPECT_EQ(exit_code_for(status_from_error_answer(answer(502, "<html>"))), kExitUnavailable);
}

TEST(ApiClient, UnreachableServerNamesTheUrl) {
  ClientConfig config;
  config.url = "http://127.0.0.1:1";
  config.timeout_ms = 2000;
  ApiClient client(config);
  Result<ApiResponse> r = client.send("GET", "/healthz");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(exit_code_for(r.status()), kExitUnavailable);
  EXPECT_EQ(r.status().message().rfind("cannot reach traind at http://127.0.0.1:1: ", 0), 0u)
      << r.status().message();
}

}  // namespace
}  // namespace traind::client
