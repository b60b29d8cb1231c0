// Api: traind's HTTP API (API.md) over a JobService, as a function from Request to
// Response. Routing, authentication, error rendering, request ids, logging and request
// metrics live here; the transport (HttpServer) only moves bytes.
//
// Thread-safe: handle() is called from many server threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/auth_rate_limit.h"
#include "api/http_message.h"
#include "api/http_metrics.h"
#include "api/predictor_cache.h"
#include "api/router.h"
#include "api/static_site.h"
#include "jobs/job_service.h"

namespace traind::api {

struct HandlerContext;

struct ApiOptions {
  size_t predictor_cache_size = 8;         // loaded models kept for /predict
  StaticSite web;                          // the web page, served at `/` (empty: none)
  AuthRateLimiter::Options auth_failures;  // failed authentications allowed per client address
};

class Api {
 public:
  explicit Api(jobs::JobService& service, ApiOptions options = {});

  // Answers one request. Never throws: a handler's exception becomes 500 INTERNAL with
  // the request id. Sets request.request_id when the transport has not.
  Response handle(Request& request);

  const HttpMetrics& metrics() const { return metrics_; }

 private:
  using Handler = Result<Response> (*)(const HandlerContext&);
  struct Route {
    Handler handler;
    bool needs_key;      // every API route; not /healthz, /readyz, /metrics
    bool mlflow_errors;  // MLflow's routes answer errors in MLflow's shape
  };
  void add(const std::string& method, const std::string& pattern, Handler handler,
           bool mlflow_errors = false);
  Response dispatch(Request& request, std::string* route_label);
  // The caller of a keyed route, or the error to answer: 401, or 429 with the seconds to
  // wait in *retry_after for an address throttled after too many failed authentications.
  Result<jobs::Caller> authenticate(const Request& request, int* retry_after);

  jobs::JobService& service_;
  PredictorCache predictors_;
  StaticSite web_;
  HttpMetrics metrics_;
  AuthRateLimiter auth_limiter_;
  Router router_;
  std::vector<Route> routes_;  // indexed like router_'s routes
};

}  // namespace traind::api
