// Failed-authentication throttling per client address (see auth_rate_limit.h).
#include "api/auth_rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

namespace traind::api {

std::string throttled_address(const std::string& ip) {
  std::array<unsigned char, 16> bytes{};
  if (ip.find(':') == std::string::npos || inet_pton(AF_INET6, ip.c_str(), bytes.data()) != 1) {
    return ip;
  }
  constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes.data(), kMapped.data(), kMapped.size()) == 0) {
    char v4[INET_ADDRSTRLEN] = {};
    return inet_ntop(AF_INET, bytes.data() + 12, v4, sizeof v4) ? std::string(v4) : ip;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  char v6[INET6_ADDRSTRLEN] = {};
  return inet_ntop(AF_INET6, bytes.data(), v6, sizeof v6) ? std::string(v6) + "/64" : ip;
}

AuthRateLimiter::AuthRateLimiter(Options options)
    : options_(options),
      per_second_(static_cast<double>(std::max(options.burst, 1)) /
                  std::max(std::chrono::duration<double>(options.window).count(), 1e-3)) {}

double AuthRateLimiter::tokens_at(const Bucket& bucket, Clock::time_point now) const {
  const double elapsed = std::max(0.0, std::chrono::duration<double>(now - bucket.updated).count());
  return std::min(static_cast<double>(options_.burst), bucket.tokens + elapsed * per_second_);
}

int AuthRateLimiter::retry_after_seconds(const std::string& address, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) return 0;
  const double tokens = tokens_at(it->second, now);
  if (tokens >= 1.0) return 0;
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / per_second_)));
}

void AuthRateLimiter::record_failure(const std::string& address, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_addresses) evict(now);
    it = buckets_.emplace(address, Bucket{static_cast<double>(options_.burst), now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = std::max(0.0, tokens_at(bucket, now) - 1.0);
  bucket.updated = std::max(bucket.updated, now);
}

void AuthRateLimiter::evict(Clock::time_point now) {
  // Full buckets hold nothing worth remembering.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = tokens_at(it->second, now) >= options_.burst ? buckets_.erase(it) : std::next(it);
  }
  // Still full: drop the longest untouched buckets, down to 3/4 of the limit.
  if (buckets_.size() < options_.max_addresses) return;
  std::vector<std::pair<Clock::time_point, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [address, bucket] : buckets_) by_age.emplace_back(bucket.updated, address);
  std::sort(by_age.begin(), by_age.end());
  const size_t keep = options_.max_addresses * 3 / 4;
  for (size_t i = 0; i + keep < by_age.size(); ++i) buckets_.erase(by_age[i].second);
}

size_t AuthRateLimiter::tracked_addresses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace traind::api
