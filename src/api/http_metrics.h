// HttpMetrics: request counters and a latency histogram, in Prometheus text format.
//
// Labels use the route pattern ("/api/v1/ml/train/{job_id}"), not the raw path, so the
// number of series stays bounded. Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace traind::api {

class HttpMetrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1.0,  2.5,   5.0,  10.0};

  void record(const std::string& method, const std::string& route, int status, double seconds);

  // traind_http_requests_total{method,route,code} and
  // traind_http_request_duration_seconds{method,route} (histogram).
  std::string prometheus_text() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
};

}  // namespace traind::api
