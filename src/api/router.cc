// Route matching by path segments.
#include "api/router.h"

#include <algorithm>

namespace traind::api {
namespace {

bool is_capture(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "{name...}" as the last segment captures the rest of the path (one segment or more).
bool is_rest_capture(const std::string& segment) {
  return is_capture(segment) && segment.size() > 5 &&
         segment.compare(segment.size() - 4, 4, "...}") == 0;
}

}  // namespace

std::vector<std::string> Router::split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end;
  }
  return out;
}

int Router::add(const std::string& method, const std::string& pattern) {
  Route r{method, pattern, split(pattern), 0};
  for (const auto& s : r.segments) {
    if (!is_capture(s)) ++r.literal_count;
  }
  routes_.push_back(std::move(r));
  return static_cast<int>(routes_.size()) - 1;
}

bool Router::matches(const Route& route, const std::vector<std::string>& segments,
                     PathParams* params) {
  const bool rest = !route.segments.empty() && is_rest_capture(route.segments.back());
  if (rest ? segments.size() < route.segments.size() : route.segments.size() != segments.size()) {
    return false;
  }
  PathParams captured;
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& pat = route.segments[i];
    if (rest && i + 1 == route.segments.size()) {
      std::string joined;
      for (size_t k = i; k < segments.size(); ++k) joined += (k > i ? "/" : "") + segments[k];
      captured[pat.substr(1, pat.size() - 5)] = joined;
      break;
    }
    if (is_capture(pat)) {
      if (segments[i].empty()) return false;
      captured[pat.substr(1, pat.size() - 2)] = segments[i];
    } else if (pat != segments[i]) {
      return false;
    }
  }
  if (params) *params = std::move(captured);
  return true;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  // A trailing slash is tolerated ("/api/v1/ml/train/"), an empty segment inside is not
  // produced by split(), so "//" collapses; both are what a user of curl would expect.
  const std::vector<std::string> segments = split(path);
  const Route* best = nullptr;
  PathParams best_params;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    PathParams params;
    if (!matches(r, segments, &params)) continue;
    if (r.method != method) {
      if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) {
        m.allowed.push_back(r.method);
      }
      continue;
    }
    if (!best || r.literal_count > best->literal_count) {
      best = &r;
      best_params = std::move(params);
      m.route = static_cast<int>(i);
    }
  }
  if (best) {
    m.kind = RouteMatch::Kind::kFound;
    m.pattern = best->pattern;
    m.params = std::move(best_params);
    m.allowed.clear();
  } else if (!m.allowed.empty()) {
    m.kind = RouteMatch::Kind::kMethodNotAllowed;
  }
  return m;
}

}  // namespace traind::api
