// A real server on 127.0.0.1:0 driven by a small blocking Beast client: the transport
// alone (keep-alive, limits, streaming) and the Api over a real JobService.
#include "api/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "api/api.h"
#include "api/error_response.h"
#include "core/ids.h"
#include "jobs/job_service.h"

namespace traind::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

Reply read_reply(tcp::socket& socket, beast::flat_buffer& buffer) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(socket, buffer, parser);
  Reply r;
  auto& res = parser.get();
  r.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = res.body();
  return r;
}

void write_request(tcp::socket& socket, http::verb verb, const std::string& target,
                   const std::string& body, const Headers& headers) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
}

// One request on a fresh connection.
Reply send(uint16_t port, http::verb verb, const std::string& target, const std::string& body = "",
           const Headers& headers = {}) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  write_request(socket, verb, target, body, headers);
  beast::flat_buffer buffer;
  return read_reply(socket, buffer);
}

template <typename Pred>
bool poll_until(Pred pred, std::chrono::seconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

// An event stream the test feeds by hand.
class TestStream : public EventStream {
 public:
  void push(std::string event, bool final_event) {
    std::function<void()> notify;
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(event));
      ended_ = ended_ || final_event;
      notify = notify_;
    }
    if (notify) notify();
  }
  bool drain(std::vector<std::string>& out) override {
    std::lock_guard lock(mu_);
    while (!queue_.empty()) {
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return !(ended_ && out.empty());
  }
  void set_notifier(std::function<void()> notify) override {
    std::function<void()> now;
    {
      std::lock_guard lock(mu_);
      notify_ = std::move(notify);
      if (!queue_.empty() || ended_) now = notify_;
      has_notifier_ = static_cast<bool>(notify_);
    }
    if (now) now();
  }
  void close() override { closed_ = true; }
  bool has_notifier() {
    std::lock_guard lock(mu_);
    return has_notifier_;
  }
  std::atomic<bool> closed_{false};

 private:
  std::mutex mu_;
  std::deque<std::string> queue_;
  std::function<void()> notify_;
  bool ended_ = false;
  bool has_notifier_ = false;
};

// The transport with a hand-written handler.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    server_ = std::make_unique<HttpServer>(o, [this](Request& r) { return handle(r); });
    ASSERT_TRUE(server_->start().is_ok());
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override { server_->stop(); }

  Response handle(Request& r) {
    if (r.path == "/throw") throw std::runtime_error("boom");
    if (r.path == "/stream") {
      Response resp;
      resp.stream = stream_;
      resp.set_header("X-Request-Id", r.request_id);
      return resp;
    }
    nlohmann::json echo = {{"method", r.method},
                           {"path", r.path},
                           {"body", r.body},
                           {"request_id", r.request_id},
                           {"query", r.query.size()}};
    Response resp = json_response(echo);
    resp.set_header("X-Request-Id", r.request_id);
    return resp;
  }

  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::shared_ptr<TestStream> stream_ = std::make_shared<TestStream>();
};

TEST_F(HttpServerTest, ServesSeveralRequestsOnOneKeptAliveConnection) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  beast::flat_buffer buffer;
  write_request(socket, http::verb::post, "/a?x=1&y=2", "hello", {});
  Reply first = read_reply(socket, buffer);
  write_request(socket, http::verb::get, "/b", "", {});
  Reply second = read_reply(socket, buffer);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.json()["body"], "hello");
  EXPECT_EQ(first.json()["query"], 2);
  EXPECT_EQ(second.json()["path"], "/b");
}

TEST_F(HttpServerTest, EchoesSaneRequestIdAndReplacesOthers) {
  Reply kept = send(port_, http::verb::get, "/x", "", {{"X-Request-Id", "my-id-1"}});
  EXPECT_EQ(kept.headers["x-request-id"], "my-id-1");
  Reply replaced = send(port_, http::verb::get, "/x", "", {{"X-Request-Id", "bad id!"}});
  EXPECT_EQ(replaced.headers["x-request-id"].rfind("req-", 0), 0u);
}

TEST_F(HttpServerTest, RefusesBodyOverOneMebibyteWith413) {
  Reply r = send(port_, http::verb::post, "/x", std::string((1 << 20) + 1, 'a'),
                 {{"X-Request-Id", "big-1"}});
  EXPECT_EQ(r.status, 413);
  auto e = r.json()["error"];
  EXPECT_EQ(e["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(e["request_id"], "big-1");
  EXPECT_TRUE(e["details"].is_array());
}

TEST_F(HttpServerTest, AcceptsBodyOfExactlyTheLimit) {
  Reply r = send(port_, http::verb::post, "/x", std::string(1 << 20, 'a'));
  EXPECT_EQ(r.status, 200);
}

TEST_F(HttpServerTest, HandlerExceptionBecomes500WithoutDetails) {
  Reply r = send(port_, http::verb::get, "/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json()["error"]["code"], "INTERNAL");
  EXPECT_EQ(r.body.find("boom"), std::string::npos);
}

TEST_F(HttpServerTest, StreamsEventsAsServerSentEventsUntilTheLastOne) {
  stream_->push(R"({"n":1})", false);
  std::thread producer([this] {
    ASSERT_TRUE(poll_until([this] { return stream_->has_notifier(); }));
    stream_->push(R"({"n":2})", false);
    stream_->push(R"({"n":3})", true);
  });
  Reply r = send(port_, http::verb::get, "/stream");
  producer.join();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  EXPECT_EQ(r.body, "data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\n");
  EXPECT_TRUE(poll_until([this] { return stream_->closed_.load(); }));
}

TEST_F(HttpServerTest, StreamsEventsOverWebSocketAndClosesNormally) {
  stream_->push(R"({"n":1})", false);
  std::thread producer([this] {
    ASSERT_TRUE(poll_until([this] { return stream_->has_notifier(); }));
    stream_->push(R"({"n":2})", true);
  });
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port_});
  ws.handshake("127.0.0.1", "/stream");
  std::vector<std::string> frames;
  beast::error_code ec;
  for (;;) {
    beast::flat_buffer buffer;
    ws.read(buffer, ec);
    if (ec) break;
    frames.push_back(beast::buffers_to_string(buffer.data()));
  }
  producer.join();
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().code, websocket::close_code::normal);
  EXPECT_EQ(frames, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_TRUE(poll_until([this] { return stream_->closed_.load(); }));
}

TEST_F(HttpServerTest, ClosingClientEndsTheEventStream) {
  {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port_});
    write_request(socket, http::verb::get, "/stream", "", {});
    ASSERT_TRUE(poll_until([this] { return stream_->has_notifier(); }));
  }  // the client goes away without the stream ending
  EXPECT_TRUE(poll_until([this] { return stream_->closed_.load(); }));
}

TEST(HttpServerKeepAliveTest, IdleEventStreamGetsKeepAliveComments) {
  auto stream = std::make_shared<TestStream>();
  HttpServerOptions o;
  o.port = 0;
  o.sse_keepalive = std::chrono::seconds(1);
  HttpServer server(o, [stream](Request&) {
    Response r;
    r.stream = stream;
    return r;
  });
  ASSERT_TRUE(server.start().is_ok());
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  write_request(socket, http::verb::get, "/events", "", {});
  std::string received;
  char chunk[512];
  // Blocks until the server writes; the first keep-alive comes after about a second.
  while (received.find(": keep-alive\n\n") == std::string::npos) {
    beast::error_code ec;
    size_t n = socket.read_some(asio::buffer(chunk), ec);
    ASSERT_FALSE(ec) << ec.message() << " after " << received;
    received.append(chunk, n);
  }
  EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(received.find("Content-Type: text/event-stream"), std::string::npos);
  stream->push(R"({"n":1})", true);
  while (received.find("data: {\"n\":1}\n\n") == std::string::npos) {
    beast::error_code ec;
    size_t n = socket.read_some(asio::buffer(chunk), ec);
    ASSERT_FALSE(ec) << ec.message() << " after " << received;
    received.append(chunk, n);
  }
  server.stop();
}

TEST(HttpServerStartTest, ReportsAPortInUse) {
  HttpServerOptions o;
  o.port = 0;
  HttpServer first(o, [](Request&) { return Response{}; });
  ASSERT_TRUE(first.start().is_ok());
  o.port = first.port();
  HttpServer second(o, [](Request&) { return Response{}; });
  Status st = second.start();
  EXPECT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find(std::to_string(o.port)), std::string::npos) << st.message();
}

TEST(ListenAddressTest, ParsesHostAndPort) {
  auto a = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 8080);
  auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6.is_ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_FALSE(parse_listen_address("8080").is_ok());
  EXPECT_FALSE(parse_listen_address("host:99999").is_ok());
  EXPECT_FALSE(parse_listen_address(":80").is_ok());
}

// The API over a real JobService in a temporary data directory.
class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("traind-api-test-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    jobs::JobServiceOptions opts;
    opts.data_dir = dir_.string();
    opts.worker_binary = "/bin/false";
    opts.create_demo_tenant = false;
    jobs::BootstrapReport report;
    auto service = jobs::JobService::open(opts, &report);
    ASSERT_TRUE(service.is_ok()) << service.status().to_string();
    service_ = std::move(service).value();
    admin_key_ = report.admin_key;
    ASSERT_FALSE(admin_key_.empty());
    api_ = std::make_unique<Api>(*service_);
    HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    server_ = std::make_unique<HttpServer>(o, [this](Request& r) { return api_->handle(r); });
    ASSERT_TRUE(server_->start().is_ok());
    port_ = server_->port();
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (service_) service_->shutdown();
    server_.reset();
    api_.reset();
    service_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Headers admin() const { return {{"Authorization", "Bearer " + admin_key_}}; }

  std::filesystem::path dir_;
  std::unique_ptr<jobs::JobService> service_;
  std::string admin_key_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(ApiServerTest, HealthzAnswersOkWithoutKey) {
  Reply r = send(port_, http::verb::get, "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_FALSE(r.headers["x-request-id"].empty());
}

TEST_F(ApiServerTest, ApiWithoutKeyIs401WithErrorShape) {
  Reply r = send(port_, http::verb::get, "/api/v1/ml/train", "", {{"X-Request-Id", "rid-401"}});
  EXPECT_EQ(r.status, 401);
  auto e = r.json().at("error");
  EXPECT_EQ(e.at("code"), "UNAUTHENTICATED");
  EXPECT_FALSE(e.at("message").get<std::string>().empty());
  EXPECT_TRUE(e.at("details").is_array());
  EXPECT_EQ(e.at("request_id"), "rid-401");
  EXPECT_EQ(r.headers["x-request-id"], "rid-401");
}

TEST_F(ApiServerTest, UnknownKeyIs401) {
  Reply r = send(port_, http::verb::get, "/api/v1/ml/train", "",
                 {{"Authorization", "Bearer tdk_nope_nope"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["code"], "UNAUTHENTICATED");
}

TEST_F(ApiServerTest, MalformedJsonIs400InvalidJsonWithPosition) {
  Reply r = send(port_, http::verb::post, "/api/v1/ml/train/validate", "{\"name\": ", admin());
  EXPECT_EQ(r.status, 400);
  auto e = r.json().at("error");
  EXPECT_EQ(e.at("code"), "INVALID_JSON");
  EXPECT_NE(e.at("message").get<std::string>().find("column"), std::string::npos)
      << e.at("message");
}

TEST_F(ApiServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Reply missing = send(port_, http::verb::get, "/api/v1/nothing-here", "", admin());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["code"], "NOT_FOUND");
  Reply wrong = send(port_, http::verb::put, "/api/v1/ml/train", "", admin());
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "POST, GET");
  EXPECT_EQ(wrong.json()["error"]["code"], "METHOD_NOT_ALLOWED");
}

TEST_F(ApiServerTest, BadListQueryIs400WithQueryPaths) {
  Reply r =
      send(port_, http::verb::get, "/api/v1/ml/train?status=running,bogus&limit=0", "", admin());
  EXPECT_EQ(r.status, 400);
  auto details = r.json()["error"]["details"];
  ASSERT_EQ(details.size(), 2u) << r.body;
  EXPECT_EQ(details[0]["path"], "?status");
  EXPECT_EQ(details[1]["path"], "?limit");
}

TEST_F(ApiServerTest, AdminListsJobsOfEveryTenant) {
  Reply r = send(port_, http::verb::get, "/api/v1/ml/train?limit=10", "", admin());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()["jobs"].is_array());
}

TEST_F(ApiServerTest, MetricsIncludeRequestCountersWithoutKey) {
  send(port_, http::verb::get, "/healthz");
  Reply r = send(port_, http::verb::get, "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(
      r.body.find("traind_http_requests_total{method=\"GET\",route=\"/healthz\",code=\"200\"}"),
      std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("traind_http_request_duration_seconds_bucket"), std::string::npos);
}

}  // namespace
}  // namespace traind::api
