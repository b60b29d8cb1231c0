// Router: matches a method and path against route patterns such as
// "/api/v1/ml/train/{job_id}/events", capturing the {named} segments. A last segment
// "{name...}" captures the rest of the path, "/"-joined (artifact paths).
//
// Routes are identified by the index add() returns; the caller keeps its handlers in a
// table under the same index, which keeps this class free of handler types (and testable
// alone). A path that matches a pattern under another method only is "method not
// allowed", with the methods that would match. Immutable after setup; match() is
// thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace traind::api {

using PathParams = std::map<std::string, std::string>;

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  int route = -1;                    // kFound: add()'s index
  std::string pattern;               // kFound: the route's pattern (a metrics label)
  PathParams params;                 // kFound: captured segments
  std::vector<std::string> allowed;  // kMethodNotAllowed: methods that match the path
};

class Router {
 public:
  // Adds a route; returns its index (0, 1, ...). Literal segments win over {captures}
  // when both match, whatever the order of add() calls.
  int add(const std::string& method, const std::string& pattern);
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" marks a capture
    int literal_count = 0;
  };
  static std::vector<std::string> split(const std::string& path);
  static bool matches(const Route& route, const std::vector<std::string>& segments,
                      PathParams* params);
  std::vector<Route> routes_;
};

}  // namespace traind::api
