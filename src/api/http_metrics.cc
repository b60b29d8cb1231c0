// Prometheus exposition of the HTTP layer's own metrics.
#include "api/http_metrics.h"

#include <fmt/format.h>

namespace traind::api {
namespace {

// Label values escape backslash, double quote and newline (Prometheus text format 0.0.4).
std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void HttpMetrics::record(const std::string& method, const std::string& route, int status,
                         double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = durations_[{method, route}];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
}

std::string HttpMetrics::prometheus_text() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP traind_http_requests_total HTTP requests answered, by method, route and status.\n";
  out += "# TYPE traind_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, code] = key;
    out += fmt::format("traind_http_requests_total{{method=\"{}\",route=\"{}\",code=\"{}\"}} {}\n",
                       escape_label(method), escape_label(route), code, n);
  }
  out +=
      "# HELP traind_http_request_duration_seconds Time from a request's arrival to its answer.\n";
  out += "# TYPE traind_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : durations_) {
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", escape_label(key.first),
                                     escape_label(key.second));
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out += fmt::format("traind_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], cumulative);
    }
    out += fmt::format("traind_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       h.count);
    out += fmt::format("traind_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("traind_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  return out;
}

}  // namespace traind::api
