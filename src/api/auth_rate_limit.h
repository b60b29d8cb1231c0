// AuthRateLimiter: failed authentications per client address, as a token bucket.
//
// Each address has a bucket of `burst` tokens that refills at burst / window (20 per 10 s
// by default). A failed authentication takes one token; an address with less than one
// token left is throttled until one has refilled. The Api answers a throttled address's
// keyed requests 429 without checking their key, so that the answer cannot tell a right
// key from a wrong one while guessing is throttled.
//
// Time is passed in, so tests need no clock. Thread-safe. Memory is bounded: past
// `max_addresses` addresses the full buckets (nothing to remember) are dropped, then the
// longest untouched ones.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace traind::api {

// The address a client is throttled as: an IPv4 address (also when IPv4-mapped) as is, an
// IPv6 address as its /64 network ("2001:db8:1:2::/64"), which one host typically holds
// whole; anything else as given.
std::string throttled_address(const std::string& ip);

class AuthRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    int burst = 20;                            // failures an address may have in a row
    std::chrono::milliseconds window{10'000};  // time to refill a whole bucket
    size_t max_addresses = 10'000;             // buckets remembered at most
  };

  AuthRateLimiter() : AuthRateLimiter(Options{}) {}
  explicit AuthRateLimiter(Options options);

  // Whole seconds (at least 1) the address must wait before it may try to authenticate
  // again, or 0 when it may try now.
  int retry_after_seconds(const std::string& address, Clock::time_point now);

  // Records one failed authentication from the address.
  void record_failure(const std::string& address, Clock::time_point now);

  // Addresses remembered (for tests).
  size_t tracked_addresses() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  // The bucket's tokens at `now` (refilled, at most burst).
  double tokens_at(const Bucket& bucket, Clock::time_point now) const;
  void evict(Clock::time_point now);  // mu_ held

  const Options options_;
  const double per_second_;  // refill rate
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace traind::api
