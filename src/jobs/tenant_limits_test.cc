#include "jobs/tenant_limits.h"

#include <gtest/gtest.h>

#include "core/ids.h"
#include "jobs/api_key.h"

namespace traind::jobs {
namespace {

TEST(TenantLimitsTest, DefaultsAreTheSeedsLimits) {
  auto j = TenantLimits{}.to_json();
  EXPECT_EQ(j["max_concurrent_jobs"], 5);
  EXPECT_EQ(j["max_duration_seconds"], 14400);
  EXPECT_EQ(j["max_dataset_bytes"], 10737418240LL);
  EXPECT_EQ(j["cpu_cores"], 4);
  EXPECT_EQ(j["memory_bytes"], 17179869184LL);
  EXPECT_EQ(j["gpus"], 0);
  EXPECT_EQ(j["max_queued_jobs"], 100);
}

TEST(TenantLimitsTest, PatchAppliesOnlyTheFieldsGiven) {
  TenantLimits l;
  ASSERT_TRUE(l.apply_patch({{"max_concurrent_jobs", 2}, {"gpus", 1}}, "/limits"));
  EXPECT_EQ(l.max_concurrent_jobs, 2);
  EXPECT_EQ(l.gpus, 1);
  EXPECT_EQ(l.cpu_cores, 4);
}

TEST(TenantLimitsTest, PatchReportsEveryBadFieldAndChangesNothing) {
  TenantLimits l;
  Status st = l.apply_patch(
      {{"max_concurrent_jobs", 0}, {"cpu_cores", "four"}, {"colour", 1}, {"gpus", 2}}, "/limits");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidConfig);
  ASSERT_EQ(st.details().size(), 3u);
  std::vector<std::string> paths;
  for (const auto& d : st.details()) paths.push_back(d.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/limits/max_concurrent_jobs"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/limits/cpu_cores"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/limits/colour"), paths.end());
  EXPECT_EQ(l.gpus, 0);  // the good field is not applied either
  EXPECT_EQ(l.max_concurrent_jobs, 5);
  EXPECT_FALSE(l.apply_patch(nlohmann::json::array(), "/limits"));
}

TEST(ApiKeyTest, IssuedKeyParsesBackToItsIdAndSecret) {
  IssuedKey key = issue_key();
  auto parsed = parse_key(key.token);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->key_id, key.key_id);
  EXPECT_EQ(sha256_hex(parsed->secret), key.secret_hash);
  EXPECT_EQ(key.token.find(key.secret_hash), std::string::npos);
  EXPECT_NE(issue_key().token, key.token);
}

TEST(ApiKeyTest, MalformedTokensDoNotParse) {
  std::string good = issue_key().token;
  EXPECT_FALSE(parse_key("").has_value());
  EXPECT_FALSE(parse_key("Bearer " + good).has_value());
  EXPECT_FALSE(parse_key(good.substr(0, good.size() - 1)).has_value());
  std::string upper = good;
  upper[30] = 'G';
  EXPECT_FALSE(parse_key(upper).has_value());
  std::string no_sep = good;
  no_sep[20] = 'a';
  EXPECT_FALSE(parse_key(no_sep).has_value());
}

}  // namespace
}  // namespace traind::jobs
