// The API's job routes over a real JobService with the demo tenant's data, called through
// Api::handle (the transport is tested in http_server_test.cc). The worker is /bin/false,
// so submitted jobs end failed with WORKER_CRASHED: enough to see the routes' behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/api.h"
#include "api/api_test_fixture.h"
#include "core/ids.h"
#include "jobs/job_service.h"

namespace traind::api {
namespace {

const char* kSeedConfig = R"({
  "name": "churn-predictor-v2", "algorithm": "xgboost", "task_type": "classification",
  "dataset": {"source": "sql", "query": "SELECT * FROM ml_features.customer_churn",
              "tenant_id": "acme-corp"},
  "target_column": "churned",
  "feature_columns": ["tenure", "monthly_charges", "total_charges"],
  "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
  "hyperparameters": {"n_estimators": 100, "max_depth": 6, "learning_rate": 0.1}})";

class ApiRoutesTest : public ApiFixture {
 protected:
  Response call(const std::string& method, const std::string& path, const std::string& key,
                const std::string& body = "", QueryParams query = {},
                std::map<std::string, std::string> headers = {}) {
    Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers = std::move(headers);
    if (!key.empty()) r.headers["authorization"] = "Bearer " + key;
    return api_->handle(r);
  }
  static nlohmann::json json(const Response& r) { return nlohmann::json::parse(r.body); }

  std::string globex_key() {
    jobs::Caller admin;
    auto created = service_->create_tenant(admin, "globex", nlohmann::json::object());
    EXPECT_TRUE(created.is_ok()) << created.status().to_string();
    return created.is_ok() ? (*created)["api_key"].get<std::string>() : "";
  }
};

TEST_F(ApiRoutesTest, DatasetsListTheTenantsTablesAndColumnsOnly) {
  Response r = call("GET", "/api/v1/ml/datasets", acme_key_);
  ASSERT_EQ(r.status, 200) << r.body;
  nlohmann::json body = json(r);
  bool churn = false;
  for (const auto& table : body["tables"]) {
    if (table["name"] != "ml_features.customer_churn") continue;
    churn = true;
    EXPECT_EQ(table["schema"], "ml_features");
    EXPECT_EQ(table["table"], "customer_churn");
    std::vector<std::string> names;
    for (const auto& c : table["columns"]) names.push_back(c["name"]);
    EXPECT_NE(std::find(names.begin(), names.end(), "churned"), names.end());
  }
  EXPECT_TRUE(churn) << body.dump();
  // Another tenant with no data sources sees none of acme's tables.
  Response other = call("GET", "/api/v1/ml/datasets", globex_key());
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(json(other)["tables"], nlohmann::json::array());
  EXPECT_EQ(call("GET", "/api/v1/ml/datasets", admin_key_).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/ml/datasets", "").status, 401);
}

TEST_F(ApiRoutesTest, LogsOfAJobAreTextAndWalledByTenant) {
  Response submitted = call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string id = json(submitted)["job_id"];
  Response logs = call("GET", "/api/v1/ml/train/" + id + "/logs", acme_key_);
  EXPECT_EQ(logs.status, 200) << logs.body;
  EXPECT_EQ(logs.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(call("GET", "/api/v1/ml/train/" + id + "/logs", globex_key()).status, 404);
  EXPECT_EQ(
      call("GET", "/api/v1/ml/train/" + id + "/logs", acme_key_, "", {{"tail_bytes", "0"}}).status,
      400);
}

TEST_F(ApiRoutesTest, WebSocketUpgradeAuthenticatesWithTheBearerSubprotocol) {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/ml/events";
  r.websocket_upgrade = true;
  r.headers["sec-websocket-protocol"] = "traind.v1, traind.bearer." + acme_key_;
  Response ok = api_->handle(r);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.stream, nullptr);
  if (ok.stream) ok.stream->close();
  r.headers["sec-websocket-protocol"] = "traind.v1, traind.bearer.tdk_0000000000000000_00";
  EXPECT_EQ(api_->handle(r).status, 401);
  // The subprotocol counts only on an upgrade: a plain request needs the header.
  r.websocket_upgrade = false;
  r.headers["sec-websocket-protocol"] = "traind.v1, traind.bearer." + acme_key_;
  EXPECT_EQ(api_->handle(r).status, 401);
}

TEST_F(ApiRoutesTest, ValidateAnswersTheResolvedConfiguration) {
  Response r = call("POST", "/api/v1/ml/train/validate", acme_key_, kSeedConfig);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json(r);
  EXPECT_EQ(body["valid"], true);
  EXPECT_EQ(body["resolved"]["dataset"]["tenant_id"], "acme-corp");
  EXPECT_EQ(body["resolved"]["hyperparameters"]["n_estimators"], 100);
  EXPECT_GT(body["resolved"]["hyperparameters"].size(), 3u);  // defaults filled in
}

TEST_F(ApiRoutesTest, SubmitAnswers202WithLocationAndHonoursIdempotencyKey) {
  Response first =
      call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig, {}, {{"idempotency-key", "k-1"}});
  ASSERT_EQ(first.status, 202) << first.body;
  std::string job_id = json(first)["job_id"];
  EXPECT_EQ(first.header("Location"), "/api/v1/ml/train/" + job_id);
  EXPECT_EQ(json(first)["status"], "queued");
  Response again =
      call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig, {}, {{"idempotency-key", "k-1"}});
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(json(again)["job_id"], job_id);
}

TEST_F(ApiRoutesTest, TenantKeyNamingAnotherTenantIs403) {
  auto config = nlohmann::json::parse(kSeedConfig);
  config["dataset"]["tenant_id"] = "globex";
  Response r = call("POST", "/api/v1/ml/train", acme_key_, config.dump());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json(r)["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(json(r)["error"]["details"][0]["path"], "/dataset/tenant_id");

  Response list = call("GET", "/api/v1/ml/train", acme_key_, "", {{"tenant_id", "globex"}});
  EXPECT_EQ(list.status, 403);
}

TEST_F(ApiRoutesTest, AdminKeyMustNameTheTenant) {
  auto config = nlohmann::json::parse(kSeedConfig);
  config["dataset"].erase("tenant_id");
  Response r = call("POST", "/api/v1/ml/train", admin_key_, config.dump());
  EXPECT_EQ(r.status, 400);
  auto details = json(r)["error"]["details"];
  ASSERT_EQ(details.size(), 1u) << r.body;
  EXPECT_EQ(details[0]["path"], "/dataset/tenant_id");
}

TEST_F(ApiRoutesTest, JobOfAnotherTenantIs404) {
  Response submitted = call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  std::string job_id = json(submitted)["job_id"];
  std::string other = globex_key();
  Response r = call("GET", "/api/v1/ml/train/" + job_id, other);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json(r)["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(call("GET", "/api/v1/ml/train/" + job_id, acme_key_).status, 200);
}

TEST_F(ApiRoutesTest, EventsOfAFinishedJobEndWithItsTerminalStatus) {
  Response submitted = call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  std::string job_id = json(submitted)["job_id"];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string status;
  while (std::chrono::steady_clock::now() < deadline) {
    status = json(call("GET", "/api/v1/ml/train/" + job_id, acme_key_))["status"];
    if (status == "failed" || status == "completed" || status == "cancelled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(status, "failed");

  Response events = call("GET", "/api/v1/ml/train/" + job_id + "/events", acme_key_);
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_TRUE(events.stream);
  std::vector<std::string> all;
  for (int i = 0; i < 100; ++i) {
    std::vector<std::string> out;
    bool more = events.stream->drain(out);
    all.insert(all.end(), out.begin(), out.end());
    if (!more) break;
  }
  events.stream->close();
  ASSERT_FALSE(all.empty());
  auto last = nlohmann::json::parse(all.back());
  EXPECT_EQ(last["type"], "status");
  EXPECT_EQ(last["status"], "failed");
  EXPECT_EQ(last["job_id"], job_id);
}

TEST_F(ApiRoutesTest, CancellingAFinishedJobIs409) {
  Response submitted = call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  std::string job_id = json(submitted)["job_id"];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         json(call("GET", "/api/v1/ml/train/" + job_id, acme_key_))["finished_at"].is_null()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Response r = call("DELETE", "/api/v1/ml/train/" + job_id, acme_key_);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(json(r)["error"]["code"], "CONFLICT");
}

TEST_F(ApiRoutesTest, ListPaginatesWithTheReturnedToken) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(call("POST", "/api/v1/ml/train", acme_key_, kSeedConfig).status, 202);
  }
  Response page1 = call("GET", "/api/v1/ml/train", acme_key_, "", {{"limit", "2"}});
  ASSERT_EQ(page1.status, 200) << page1.body;
  auto b1 = json(page1);
  ASSERT_EQ(b1["jobs"].size(), 2u);
  EXPECT_FALSE(b1["jobs"][0].contains("config"));
  ASSERT_TRUE(b1["next_page_token"].is_string());
  Response page2 = call("GET", "/api/v1/ml/train", acme_key_, "",
                        {{"limit", "2"}, {"page_token", b1["next_page_token"]}});
  ASSERT_EQ(page2.status, 200) << page2.body;
  auto b2 = json(page2);
  ASSERT_EQ(b2["jobs"].size(), 1u);
  EXPECT_TRUE(b2["next_page_token"].is_null());
  EXPECT_NE(b2["jobs"][0]["job_id"], b1["jobs"][0]["job_id"]);
  EXPECT_NE(b2["jobs"][0]["job_id"], b1["jobs"][1]["job_id"]);
}

TEST_F(ApiRoutesTest, TenantKeyCannotUseAdminRoutes) {
  Response r = call("GET", "/api/v1/admin/tenants", acme_key_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(call("GET", "/api/v1/admin/tenants", admin_key_).status, 200);
}

}  // namespace
}  // namespace traind::api
