// The HTTP client and the MLflow export against small real servers on 127.0.0.1: a scripted
// server (plain Boost.Asio) that records each request and answers from a list, a listening
// socket that never answers, and a closed port.
#include "tracking/mlflow_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tracking/http_client.h"

namespace traind::tracking {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

struct Answer {
  int status = 200;
  std::string body = "{}";
  std::string extra_headers;  // "Name: value\r\n" lines
};

struct SeenRequest {
  std::string method;
  std::string target;
  std::string head;  // request line and headers as received
  std::string body;
  json json_body() const { return json::parse(body); }
  std::string line() const { return method + " " + target; }
};

// Answers one request per connection from `answers`, in order (500 once they run out), and
// records what it received.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<Answer> answers)
      : answers_(std::move(answers)),
        acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~ScriptedServer() {
    ioc_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<SeenRequest> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }
  std::vector<std::string> lines() {
    std::vector<std::string> out;
    for (const auto& r : requests()) out.push_back(r.line());
    return out;
  }

 private:
  struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    asio::streambuf buffer;
    std::string reply;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto c = std::make_shared<Connection>(std::move(socket));
      asio::async_read_until(c->socket, c->buffer, "\r\n\r\n",
                             [this, c](boost::system::error_code e, size_t head_size) {
                               if (!e) read_body(c, head_size);
                             });
      accept();
    });
  }

  void read_body(std::shared_ptr<Connection> c, size_t head_size) {
    std::string head(asio::buffers_begin(c->buffer.data()),
                     asio::buffers_begin(c->buffer.data()) + head_size);
    c->buffer.consume(head_size);
    size_t length = 0;
    std::string lower = head;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    size_t at = lower.find("\r\ncontent-length:");
    if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
    size_t missing = length > c->buffer.size() ? length - c->buffer.size() : 0;
    asio::async_read(c->socket, c->buffer, asio::transfer_exactly(missing),
                     [this, c, head, length](boost::system::error_code e, size_t) {
                       if (e) return;
                       std::string body(asio::buffers_begin(c->buffer.data()),
                                        asio::buffers_begin(c->buffer.data()) + length);
                       answer(c, head, body);
                     });
  }

  void answer(std::shared_ptr<Connection> c, const std::string& head, const std::string& body) {
    SeenRequest seen;
    seen.head = head;
    seen.method = head.substr(0, head.find(' '));
    seen.target = head.substr(seen.method.size() + 1,
                              head.find(' ', seen.method.size() + 1) - seen.method.size() - 1);
    seen.body = body;
    Answer a{500, R"({"error_code":"INTERNAL_ERROR","message":"script exhausted"})", ""};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (seen_.size() < answers_.size()) a = answers_[seen_.size()];
      seen_.push_back(seen);
    }
    c->reply = "HTTP/1.1 " + std::to_string(a.status) +
               " Scripted\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(a.body.size()) + "\r\nConnection: close\r\n" + a.extra_headers +
               "\r\n" + a.body;
    asio::async_write(c->socket, asio::buffer(c->reply), [c](boost::system::error_code, size_t) {
      boost::system::error_code ignored;
      c->socket.shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  std::vector<Answer> answers_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<SeenRequest> seen_;
};

// A port on 127.0.0.1 that nothing listens on (bound once, then released).
uint16_t closed_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

ExportTarget fast_target(const std::string& uri) {
  ExportTarget target;
  target.tracking_uri = uri;
  target.token = "secret-token-123";
  target.timeout_ms = 5000;
  target.retries = 2;
  target.backoff_factor_ms = 1;
  target.backoff_jitter_ms = 0;
  return target;
}

RunExport finished_run() {
  RunExport in;
  in.experiment_name = "churn model";
  in.run.info.run_id = "train-3f9a0c51d2e4b7a8";
  in.run.info.run_name = "churn";
  in.run.info.user_id = "tenant-a";
  in.run.info.status = "FINISHED";
  in.run.info.start_time = 1700000000000;
  in.run.info.end_time = 1700000060000;
  in.run.tags = {{"mlflow.source.name", "traind"}, {"traind.algorithm", "xgboost"}};
  return in;
}

std::string experiment_answer(const std::string& id) {
  return json{{"experiment",
               {{"experiment_id", id}, {"name", "churn model"}, {"lifecycle_stage", "active"}}}}
      .dump();
}

std::string runs_answer(const std::string& run_id, const std::string& status) {
  return json{
      {"runs",
       json::array({{{"info",
                      {{"run_id", run_id},
                       {"status", status},
                       {"artifact_uri", "mlflow-artifacts:/7/" + run_id + "/artifacts"}}}}})}}
      .dump();
}

std::string tag_value(const json& tags, const std::string& key) {
  for (const auto& t : tags) {
    if (t["key"] == key) return t["value"];
  }
  return "<missing>";
}

TEST(ParseUrl, SplitsSchemeHostPortAndTarget) {
  Result<Url> url = parse_url("http://mlflow.internal:5000");
  ASSERT_TRUE(url.is_ok()) << url.status().to_string();
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "mlflow.internal");
  EXPECT_EQ(url->port, 5000);
  EXPECT_EQ(url->target, "/");

  url = parse_url("HTTPS://Example.COM/mlflow/api?x=1#section");
  ASSERT_TRUE(url.is_ok()) << url.status().to_string();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/mlflow/api?x=1");
  EXPECT_EQ(url->origin(), "https://example.com");

  url = parse_url("http://h?q=2");
  ASSERT_TRUE(url.is_ok());
  EXPECT_EQ(url->target, "/?q=2");
  EXPECT_EQ(url->port, 80);
}

TEST(ParseUrl, AcceptsIpv6Literals) {
  Result<Url> url = parse_url("http://[::1]:8080/x");
  ASSERT_TRUE(url.is_ok()) << url.status().to_string();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/x");
  EXPECT_EQ(url->origin(), "http://[::1]:8080");
}

TEST(ParseUrl, RefusesWhatItCannotConnectTo) {
  for (const char* bad : {"ftp://host/x", "host:5000", "http://", "http://:80/", "http://h:0",
                          "http://h:70000", "http://h:8o", "http://h/a b", "http://[::1",
                          "http://[zz]:80", "http://ho$t/", "file:///tmp/x"}) {
    Result<Url> url = parse_url(bad);
    EXPECT_FALSE(url.is_ok()) << bad;
    EXPECT_EQ(url.status().code(), ErrorCode::kInvalidConfig) << bad;
  }
}

TEST(ParseUrl, RefusesCredentialsWithoutRepeatingThem) {
  Result<Url> url = parse_url("http://user:hunter2@host:5000");
  ASSERT_FALSE(url.is_ok());
  EXPECT_EQ(url.status().message().find("hunter2"), std::string::npos);
}

TEST(UrlEncode, KeepsUnreservedCharactersAndOptionallySlashes) {
  EXPECT_EQ(url_encode("churn model/v1"), "churn%20model%2Fv1");
  EXPECT_EQ(url_encode("churn model/v1", true), "churn%20model/v1");
  EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(url_encode("\xC3\xA9"), "%C3%A9");
}

TEST(HttpClient, SendsTheRequestAndReadsTheAnswer) {
  ScriptedServer server({{201, "hello", "X-Test: yes\r\n"}});
  HttpRequest request;
  request.method = "POST";
  request.url = server.url() + "/p?q=1";
  request.headers = {{"X-Custom", "1"}};
  request.body = "abc";
  Result<HttpResponse> response = http_request(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "hello");
  ASSERT_NE(response->header("x-test"), nullptr);
  EXPECT_EQ(*response->header("x-test"), "yes");
  EXPECT_EQ(response->header("x-absent"), nullptr);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].line(), "POST /p?q=1");
  EXPECT_EQ(seen[0].body, "abc");
  EXPECT_NE(seen[0].head.find("X-Custom: 1\r\n"), std::string::npos) << seen[0].head;
  EXPECT_NE(seen[0].head.find("Host: 127.0.0.1:" + std::to_string(server.port())),
            std::string::npos)
      << seen[0].head;
}

TEST(HttpClient, StreamsTheBodyFromAFile) {
  auto path = std::filesystem::temp_directory_path() /
              ("traind_http_body_" + std::to_string(::getpid()) + ".bin");
  std::ofstream(path, std::ios::binary) << std::string(100000, 'z');
  ScriptedServer server({{200, "{}", ""}});
  HttpRequest request;
  request.method = "PUT";
  request.url = server.url() + "/upload";
  request.body_file = path.string();
  Result<HttpResponse> response = http_request(request);
  std::filesystem::remove(path);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body, std::string(100000, 'z'));

  request.body_file = path.string();  // now gone
  response = http_request(request);
  ASSERT_FALSE(response.is_ok());
  EXPECT_EQ(response.status().code(), ErrorCode::kNotFound);
}

TEST(HttpClient, ReportsAConnectionRefused) {
  uint16_t port = closed_port();
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  Result<HttpResponse> response = http_request(request);
  ASSERT_FALSE(response.is_ok());
  EXPECT_EQ(response.status().code(), ErrorCode::kInternal);
  EXPECT_NE(response.status().message().find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << response.status().message();
}

TEST(HttpClient, TimesOutWhenTheServerNeverAnswers) {
  // Listening but never accepting: the kernel completes the connection, nobody answers.
  asio::io_context ioc;
  tcp::acceptor silent(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/";
  request.timeout_ms = 200;
  Result<HttpResponse> response = http_request(request);
  ASSERT_FALSE(response.is_ok());
  EXPECT_EQ(response.status().code(), ErrorCode::kTimeout) << response.status().message();
}

TEST(MlflowExport, SendsMlflowRequestsInOrderWithinBatchLimits) {
  auto artifact = std::filesystem::temp_directory_path() /
                  ("traind_export_model_" + std::to_string(::getpid()) + ".json");
  std::ofstream(artifact) << R"({"trees": 3})";
  ScriptedServer server({
      {404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no such experiment"})", ""},
      {200, R"({"experiment_id":"7"})", ""},
      {200, "{}", ""},
      {200,
       R"({"run":{"info":{"run_id":"remote1","status":"RUNNING",)"
       R"("artifact_uri":"mlflow-artifacts:/7/remote1/artifacts"}}})",
       ""},
      {200, "{}", ""},
      {200, "{}", ""},
      {200, "{}", ""},
      {200, R"({"run_info":{"run_id":"remote1","status":"FINISHED"}})", ""},
  });
  RunExport in = finished_run();
  for (int i = 0; i < 150; ++i) in.run.params.push_back({"p" + std::to_string(i), "v"});
  in.run.params.push_back({"long", std::string(7000, 'x')});
  for (int i = 0; i < 1200; ++i) in.metric_history.push_back({"loss", 1.0 / (i + 1), 1000 + i, i});
  in.metric_history.push_back({"odd", std::nan(""), 5, 0});
  in.run.metrics = {{"loss", 0.5, 1, 1}, {"auc", 0.9, 2, 0}};  // auc has no history
  in.artifacts = {{"model/model.json", artifact.string()}};

  Result<std::string> remote = export_run(fast_target(server.url() + "/prefix/"), in);
  std::filesystem::remove(artifact);
  ASSERT_TRUE(remote.is_ok()) << remote.status().to_string();
  EXPECT_EQ(*remote, "remote1");

  std::vector<std::string> expected = {
      "GET /prefix/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn%20model",
      "POST /prefix/api/2.0/mlflow/experiments/create",
      "POST /prefix/api/2.0/mlflow/runs/search",
      "POST /prefix/api/2.0/mlflow/runs/create",
      "POST /prefix/api/2.0/mlflow/runs/log-batch",
      "POST /prefix/api/2.0/mlflow/runs/log-batch",
      "PUT /prefix/api/2.0/mlflow-artifacts/artifacts/7/remote1/artifacts/model/model.json",
      "POST /prefix/api/2.0/mlflow/runs/update",
  };
  EXPECT_EQ(server.lines(), expected);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), expected.size());
  for (const auto& r : seen) {
    EXPECT_NE(r.head.find("Authorization: Bearer secret-token-123\r\n"), std::string::npos);
  }

  EXPECT_EQ(seen[1].json_body(), (json{{"name", "churn model"}}));
  json search = seen[2].json_body();
  EXPECT_EQ(search["experiment_ids"], json::array({"7"}));
  EXPECT_EQ(search["filter"], "tags.`traind.source_run_id` = 'train-3f9a0c51d2e4b7a8'");

  json create = seen[3].json_body();
  EXPECT_EQ(create["experiment_id"], "7");
  EXPECT_EQ(create["run_name"], "churn");
  EXPECT_EQ(create["start_time"], 1700000000000);
  EXPECT_EQ(tag_value(create["tags"], "mlflow.runName"), "churn");
  EXPECT_EQ(tag_value(create["tags"], "traind.source_run_id"), "train-3f9a0c51d2e4b7a8");
  EXPECT_EQ(tag_value(create["tags"], "traind.algorithm"), "xgboost");

  json first = seen[4].json_body(), second = seen[5].json_body();
  EXPECT_EQ(first["run_id"], "remote1");
  EXPECT_EQ(first["params"].size(), 100u);
  EXPECT_EQ(first["params"].size() + first["metrics"].size(), 1000u);
  EXPECT_FALSE(first.contains("tags"));  // sent with runs/create
  EXPECT_EQ(second["params"].size(), 51u);
  EXPECT_EQ(first["metrics"].size() + second["metrics"].size(), 1202u);  // history + "auc"
  EXPECT_EQ(second["params"][50]["value"].get<std::string>().size(), 6000u);
  json odd = second["metrics"][second["metrics"].size() - 2];
  EXPECT_EQ(odd["key"], "odd");
  EXPECT_EQ(odd["value"], "NaN");
  EXPECT_EQ(second["metrics"].back()["key"], "auc");
  EXPECT_EQ(first["metrics"][1],
            (json{{"key", "loss"}, {"value", 0.5}, {"timestamp", 1001}, {"step", 1}}));

  EXPECT_EQ(seen[6].body, R"({"trees": 3})");
  EXPECT_NE(seen[6].head.find("Content-Type: application/json"), std::string::npos);
  json update = seen[7].json_body();
  EXPECT_EQ(update["run_id"], "remote1");
  EXPECT_EQ(update["status"], "FINISHED");
  EXPECT_EQ(update["end_time"], 1700000060000);
}

TEST(MlflowExport, ReusesARunAlreadyExported) {
  ScriptedServer server({
      {200, experiment_answer("3"), ""},
      {200, runs_answer("earlier", "FINISHED"), ""},
  });
  Result<std::string> remote = export_run(fast_target(server.url()), finished_run());
  ASSERT_TRUE(remote.is_ok()) << remote.status().to_string();
  EXPECT_EQ(*remote, "earlier");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(MlflowExport, ResumesAnInterruptedExport) {
  ScriptedServer server({
      {200, experiment_answer("3"), ""},
      {200, runs_answer("earlier", "RUNNING"), ""},
      {200, "{}", ""},
      {200, "{}", ""},
  });
  RunExport in = finished_run();
  in.run.params = {{"depth", "6"}};
  Result<std::string> remote = export_run(fast_target(server.url()), in);
  ASSERT_TRUE(remote.is_ok()) << remote.status().to_string();
  EXPECT_EQ(*remote, "earlier");
  std::vector<std::string> expected = {
      "GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=churn%20model",
      "POST /api/2.0/mlflow/runs/search",
      "POST /api/2.0/mlflow/runs/log-batch",
      "POST /api/2.0/mlflow/runs/update",
  };
  EXPECT_EQ(server.lines(), expected);
  json batch = server.requests()[2].json_body();
  EXPECT_EQ(batch["run_id"], "earlier");
  EXPECT_EQ(tag_value(batch["tags"], "traind.source_run_id"), "train-3f9a0c51d2e4b7a8");
}

TEST(MlflowExport, GetsTheExperimentAgainWhenAConcurrentCreateWon) {
  ScriptedServer server({
      {404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})", ""},
      {400, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"exists"})", ""},
      {200, experiment_answer("9"), ""},
      {200, runs_answer("done", "FINISHED"), ""},
  });
  Result<std::string> remote = export_run(fast_target(server.url()), finished_run());
  ASSERT_TRUE(remote.is_ok()) << remote.status().to_string();
  auto lines = server.lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "POST /api/2.0/mlflow/experiments/create");
  EXPECT_EQ(lines[2], lines[0]);
  EXPECT_EQ(server.requests()[3].json_body()["experiment_ids"], json::array({"9"}));
}

TEST(MlflowExport, RetriesTransientAnswers) {
  ScriptedServer server({
      {503, "busy", "Retry-After: 0\r\n"},
      {429, R"({"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"})", ""},
      {200, experiment_answer("3"), ""},
      {200, runs_answer("earlier", "FINISHED"), ""},
  });
  Result<std::string> remote = export_run(fast_target(server.url()), finished_run());
  ASSERT_TRUE(remote.is_ok()) << remote.status().to_string();
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(MlflowExport, RefusesArtifactStoresTheServerDoesNotProxy) {
  auto artifact = std::filesystem::temp_directory_path() /
                  ("traind_export_bom_" + std::to_string(::getpid()) + ".json");
  std::ofstream(artifact) << "{}";
  ScriptedServer server({
      {200, experiment_answer("3"), ""},
      {200, "{}", ""},
      {200, R"({"run":{"info":{"run_id":"r2","artifact_uri":"s3://bucket/3/r2/artifacts"}}})", ""},
  });
  RunExport in = finished_run();
  in.artifacts = {{"training_bom.json", artifact.string()}};
  Result<std::string> remote = export_run(fast_target(server.url()), in);
  std::filesystem::remove(artifact);
  ASSERT_FALSE(remote.is_ok());
  EXPECT_EQ(remote.status().code(), ErrorCode::kInternal);
  EXPECT_NE(remote.status().message().find("s3://bucket/3/r2/artifacts"), std::string::npos);
  EXPECT_NE(remote.status().message().find("mlflow-artifacts:"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 3u);  // nothing logged after the refusal
}

TEST(MlflowExport, ReportsRejectedCredentialsWithoutTheToken) {
  ScriptedServer server(
      {{401, R"({"error_code":"UNAUTHENTICATED","message":"unknown API key"})", ""}});
  Result<std::string> remote = export_run(fast_target(server.url()), finished_run());
  ASSERT_FALSE(remote.is_ok());
  const std::string& message = remote.status().message();
  EXPECT_EQ(remote.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(message.find("get experiment by name"), std::string::npos) << message;
  EXPECT_NE(message.find(server.url() + "/api/2.0/mlflow/experiments/get-by-name"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("UNAUTHENTICATED: unknown API key"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-token-123"), std::string::npos) << message;
  EXPECT_EQ(server.requests().size(), 1u);  // 401 is not retried
}

TEST(MlflowExport, ReportsAClosedPortAfterItsRetries) {
  ExportTarget target = fast_target("http://127.0.0.1:" + std::to_string(closed_port()));
  Result<std::string> remote = export_run(target, finished_run());
  ASSERT_FALSE(remote.is_ok());
  const std::string& message = remote.status().message();
  EXPECT_EQ(remote.status().code(), ErrorCode::kInternal);
  EXPECT_NE(message.find("get experiment by name"), std::string::npos) << message;
  EXPECT_NE(message.find(target.tracking_uri), std::string::npos) << message;
  EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-token-123"), std::string::npos) << message;
}

TEST(MlflowExport, RefusesUnusableArgumentsBeforeSendingAnything) {
  ScriptedServer server({});
  RunExport in = finished_run();
  in.artifacts = {{"../escape.txt", "/etc/hostname"}};
  Result<std::string> remote = export_run(fast_target(server.url()), in);
  ASSERT_FALSE(remote.is_ok());
  EXPECT_EQ(remote.status().code(), ErrorCode::kInvalidConfig);

  in = finished_run();
  in.artifacts = {{"model/missing.bin", "/nonexistent/traind/file"}};
  EXPECT_EQ(export_run(fast_target(server.url()), in).status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(export_run(fast_target("s3://bucket"), finished_run()).status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace traind::tracking
