#include "client/client_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace traind::client {
namespace {

class FakeEnv {
 public:
  std::map<std::string, std::string> vars;
  EnvLookup lookup() {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }
};

class ConfigResolution : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("client-config-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / ".config/traind");
    env_.vars["HOME"] = dir_.string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write_config(const std::string& text) {
    std::ofstream(dir_ / ".config/traind/config") << text;
  }
  std::filesystem::path dir_;
  FakeEnv env_;
};

TEST_F(ConfigResolution, DefaultsWithNothingSet) {
  Result<ClientConfig> c = resolve_client_config({}, env_.lookup());
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->url, kDefaultUrl);
  EXPECT_EQ(c->api_key, "");
  EXPECT_EQ(c->timeout_ms, 30000);
}

TEST_F(ConfigResolution, FlagBeatsEnvBeatsFile) {
  write_config("# mine\nurl = http://file:1\napi_key = \"file-key\"\ntimeout = 2.5\n");
  Result<ClientConfig> from_file = resolve_client_config({}, env_.lookup());
  ASSERT_TRUE(from_file.is_ok()) << from_file.status().message();
  EXPECT_EQ(from_file->url, "http://file:1");
  EXPECT_EQ(from_file->api_key, "file-key");
  EXPECT_EQ(from_file->timeout_ms, 2500);
  EXPECT_NE(from_file->url_source.find(".config/traind/config:2"), std::string::npos);

  env_.vars["TRAIND_URL"] = "http://env:2/";
  env_.vars["TRAIND_API_KEY"] = "env-key";
  Result<ClientConfig> from_env = resolve_client_config({}, env_.lookup());
  ASSERT_TRUE(from_env.is_ok());
  EXPECT_EQ(from_env->url, "http://env:2");  // trailing slash dropped
  EXPECT_EQ(from_env->api_key, "env-key");

  ConfigFlags flags;
  flags.url = "http://flag:3";
  Result<ClientConfig> mixed = resolve_client_config(flags, env_.lookup());
  ASSERT_TRUE(mixed.is_ok());
  EXPECT_EQ(mixed->url, "http://flag:3");
  EXPECT_EQ(mixed->api_key, "env-key");  // each setting resolved on its own
}

TEST_F(ConfigResolution, XdgConfigHomeWins) {
  auto xdg = dir_ / "xdg";
  std::filesystem::create_directories(xdg / "traind");
  std::ofstream(xdg / "traind/config") << "url: http://xdg:9\n";
  write_config("url = http://home:1\n");
  env_.vars["XDG_CONFIG_HOME"] = xdg.string();
  Result<ClientConfig> c = resolve_client_config({}, env_.lookup());
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->url, "http://xdg:9");
}

TEST_F(ConfigResolution, MalformedFileNamesItsLine) {
  write_config("url = http://x:1\napikey = oops\n");
  Result<ClientConfig> c = resolve_client_config({}, env_.lookup());
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("config:2: unknown setting 'apikey'"), std::string::npos)
      << c.status().message();
}

TEST_F(ConfigResolution, BadUrlSaysWhereItCameFrom) {
  env_.vars["TRAIND_URL"] = "ftp://x";
  Result<ClientConfig> c = resolve_client_config({}, env_.lookup());
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("TRAIND_URL"), std::string::npos) << c.status().message();
}

TEST(ConfigFile, SectionsCommentsAndQuotes) {
  Result<FileSettings> s = parse_config_file(
      "[default]\n; comment\nurl = 'http://a:1'  # trailing\napi_key = k # c\n", "f");
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  EXPECT_EQ(*s->url, "http://a:1");
  EXPECT_EQ(*s->api_key, "k");
  EXPECT_FALSE(parse_config_file("url = \"open\n", "f").is_ok());
  EXPECT_FALSE(parse_config_file("just words\n", "f").is_ok());
  EXPECT_FALSE(parse_config_file("timeout = soon\n", "f").is_ok());
}

}  // namespace
}  // namespace traind::client
