#include "api/static_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/websocket_protocol.h"
#include "core/ids.h"

namespace traind::api {
namespace {

namespace fs = std::filesystem;

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("traind-site-" + random_hex(6));
    fs::create_directories(dir_ / "assets");
    write("index.html", "<!doctype html><title>t</title>");
    write("app.js", "console.log(1)");
    write("assets/logo.svg", "<svg/>");
    std::ofstream(dir_.parent_path() / (dir_.filename().string() + "-secret")) << "secret";
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove(dir_.parent_path() / (dir_.filename().string() + "-secret"));
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(StaticSiteTest, ServesEachFileWithItsTypeAndIndexAtTheRoot) {
  auto site = StaticSite::load(dir_.string());
  ASSERT_TRUE(site.is_ok()) << site.status().to_string();
  EXPECT_EQ(site->file_count(), 3u);
  Response index = site->answer("/", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>t</title>");
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(site->answer("/app.js", "").header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(site->answer("/assets/logo.svg", "").header("Content-Type"), "image/svg+xml");
}

TEST_F(StaticSiteTest, RevalidatesWithTheETag) {
  auto site = StaticSite::load(dir_.string());
  ASSERT_TRUE(site.is_ok());
  Response first = site->answer("/app.js", "");
  const std::string etag = first.header("ETag");
  ASSERT_FALSE(etag.empty());
  Response again = site->answer("/app.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(site->answer("/app.js", "\"other\"").status, 200);
}

TEST_F(StaticSiteTest, NothingOutsideTheDirectoryOrAddedLaterIsServed) {
  auto site = StaticSite::load(dir_.string());
  ASSERT_TRUE(site.is_ok());
  const std::string secret = "/../" + dir_.filename().string() + "-secret";
  EXPECT_FALSE(site->has(secret));
  EXPECT_EQ(site->answer(secret, "").status, 404);
  EXPECT_FALSE(site->has("/assets/../../etc/passwd"));
  write("late.js", "1");
  EXPECT_FALSE(site->has("/late.js"));
  EXPECT_FALSE(site->has("/assets"));
}

TEST_F(StaticSiteTest, MissingDirectoryIsNotFound) {
  auto site = StaticSite::load((dir_ / "nope").string());
  ASSERT_FALSE(site.is_ok());
  EXPECT_EQ(site.status().code(), ErrorCode::kNotFound);
}

TEST(WebSocketProtocolTest, FindsTheBearerKeyAndTheOfferedProtocol) {
  EXPECT_EQ(bearer_from_protocols("traind.v1, traind.bearer.tdk_ab_cd"), "tdk_ab_cd");
  EXPECT_EQ(bearer_from_protocols("traind.bearer.k1,traind.v1"), "k1");
  EXPECT_EQ(bearer_from_protocols("traind.v1"), "");
  EXPECT_EQ(bearer_from_protocols("traind.bearer."), "");
  EXPECT_EQ(bearer_from_protocols(""), "");
  EXPECT_TRUE(offers_protocol("a, traind.v1 ,b", "traind.v1"));
  EXPECT_FALSE(offers_protocol("traind.v10", "traind.v1"));
  EXPECT_FALSE(offers_protocol("", "traind.v1"));
}

}  // namespace
}  // namespace traind::api
