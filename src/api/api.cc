// Routing table, authentication, error rendering, logging and the operational endpoints.
#include "api/api.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <chrono>
#include <exception>
#include <utility>

#include "api/error_response.h"
#include "api/handler_context.h"
#include "api/request_id.h"
#include "api/websocket_protocol.h"

namespace traind::api {
namespace {

Result<Response> healthz(const HandlerContext&) { return json_response({{"status", "ok"}}); }

Result<Response> readyz(const HandlerContext& ctx) {
  nlohmann::json body = ctx.service.readiness();
  bool ready = ctx.service.ready();
  if (!body.is_object()) body = nlohmann::json::object();
  body["status"] = ready ? "ok" : "unavailable";
  return json_response(body, ready ? 200 : 503);
}

Result<Response> prometheus_metrics(const HandlerContext& ctx) {
  Response r;
  r.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.body = ctx.service.prometheus_metrics();
  if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
  r.body += ctx.metrics.prometheus_text();
  return r;
}

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or "".
std::string bearer_token(const std::string& header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      strncasecmp(header.c_str(), kScheme.data(), kScheme.size()) != 0) {
    return "";
  }
  std::string token = header.substr(kScheme.size());
  size_t first = token.find_first_not_of(' ');
  size_t last = token.find_last_not_of(' ');
  return first == std::string::npos ? "" : token.substr(first, last - first + 1);
}

}  // namespace

Api::Api(jobs::JobService& service, ApiOptions options)
    : service_(service),
      predictors_(options.predictor_cache_size),
      web_(std::move(options.web)),
      auth_limiter_(options.auth_failures) {
  add("GET", "/healthz", healthz);
  add("GET", "/readyz", readyz);
  add("GET", "/metrics", prometheus_metrics);

  add("POST", "/api/v1/ml/train", submit_job);
  add("GET", "/api/v1/ml/train", list_jobs);
  add("POST", "/api/v1/ml/train/validate", validate_job);
  add("GET", "/api/v1/ml/train/{job_id}", get_job);
  add("DELETE", "/api/v1/ml/train/{job_id}", cancel_job);
  add("GET", "/api/v1/ml/train/{job_id}/events", job_events);
  add("GET", "/api/v1/ml/train/{job_id}/logs", job_logs);
  add("GET", "/api/v1/ml/events", tenant_events);
  add("GET", "/api/v1/ml/datasets", list_datasets);
  add("GET", "/api/v1/ml/schema", get_schema);
  add("GET", "/api/v1/ml/algorithms", get_algorithms);
  add("GET", "/api/v1/ml/train/{job_id}/bom", get_job_bom);
  add("GET", "/api/v1/ml/boms", list_boms);
  add("GET", "/api/v1/ml/schema/bom", get_bom_schema);
  add("GET", "/api/v1/ml/runs/{run_id}/bom", get_run_bom);
  add("GET", "/api/v1/ml/models/{model_id}", get_model);
  add("GET", "/api/v1/ml/models/{model_id}/download", download_model);
  add("POST", "/api/v1/ml/models/{model_id}/predict", predict);

  add("POST", "/api/v1/admin/tenants", create_tenant);
  add("GET", "/api/v1/admin/tenants", list_tenants);
  add("GET", "/api/v1/admin/tenants/{tenant_id}", get_tenant);
  add("PATCH", "/api/v1/admin/tenants/{tenant_id}", patch_tenant);
  add("POST", "/api/v1/admin/tenants/{tenant_id}/keys", create_key);
  add("DELETE", "/api/v1/admin/tenants/{tenant_id}/keys/{key_id}", delete_key);
  add("GET", "/api/v1/admin/tenants/{tenant_id}/datasources", list_datasources);
  add("PUT", "/api/v1/admin/tenants/{tenant_id}/datasources/{schema}", put_datasource);
  add("DELETE", "/api/v1/admin/tenants/{tenant_id}/datasources/{schema}", delete_datasource);

  // MLflow's Tracking REST API, also under /ajax-api/ where MLflow's web UI calls it.
  const MlflowRouteAdder add_tracking = [this](const char* method, const char* path,
                                               Handler handler) {
    for (const char* prefix : {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"}) {
      add(method, std::string(prefix) + path, handler, true);
    }
  };
  const MlflowRouteAdder add_exact = [this](const char* method, const char* path, Handler handler) {
    add(method, path, handler, true);
  };
  add_mlflow_tracking_routes(add_tracking);
  add_mlflow_artifact_routes(add_tracking, add_exact);
}

void Api::add(const std::string& method, const std::string& pattern, Handler handler,
              bool mlflow_errors) {
  router_.add(method, pattern);
  const bool operational = pattern == "/healthz" || pattern == "/readyz" || pattern == "/metrics";
  routes_.push_back(Route{handler, !operational, mlflow_errors});
}

namespace {

bool is_mlflow_path(const std::string& path) {
  for (const char* prefix :
       {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/", "/api/2.0/mlflow-artifacts/"}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Response Api::handle(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  if (request.request_id.empty()) {
    request.request_id = choose_request_id(request.header("x-request-id"));
  }
  const std::string& rid = request.request_id;
  std::string route_label = "unmatched";
  Response response;
  try {
    response = dispatch(request, &route_label);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} {}: unhandled exception: {}", rid, request.method, request.path,
                  e.what());
    response = error_response(
        Status(ErrorCode::kInternal, "internal error; quote the request id when reporting it"),
        rid);
  } catch (...) {
    spdlog::error("[{}] {} {}: unhandled non-standard exception", rid, request.method,
                  request.path);
    response = error_response(
        Status(ErrorCode::kInternal, "internal error; quote the request id when reporting it"),
        rid);
  }
  response.set_header("X-Request-Id", rid);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.record(request.method, route_label, response.status, seconds);
  auto level = response.status >= 500 ? spdlog::level::err : spdlog::level::info;
  spdlog::log(level, "[{}] {} {} -> {}{} ({:.1f} ms)", rid, request.method, request.path,
              response.status, response.stream ? " stream" : "", seconds * 1000.0);
  return response;
}

Response Api::dispatch(Request& request, std::string* route_label) {
  const std::string& rid = request.request_id;
  RouteMatch m = router_.match(request.method, request.path);
  if (m.kind == RouteMatch::Kind::kNotFound) {
    if (request.method == "GET" && web_.has(request.path)) {
      *route_label = "/{web page}";
      return web_.answer(request.path, request.header("if-none-match"));
    }
    if (is_mlflow_path(request.path))
      return mlflow_endpoint_not_found(request.method, request.path);
    return error_response(Status(ErrorCode::kNotFound,
                                 fmt::format("no such endpoint: {} {} (see API.md for the routes)",
                                             request.method, request.path)),
                          rid);
  }
  if (m.kind == RouteMatch::Kind::kMethodNotAllowed) {
    return method_not_allowed(m.allowed, request.method, rid);
  }
  *route_label = m.pattern;
  const Route& route = routes_[static_cast<size_t>(m.route)];
  auto fail = [&](const Status& st) {
    return route.mlflow_errors ? mlflow_error_response(st) : error_response(st, rid);
  };
  jobs::Caller caller;
  if (route.needs_key) {
    int retry_after = 0;
    auto who = authenticate(request, &retry_after);
    if (!who.is_ok()) {
      Response refused = fail(who.status());
      if (retry_after > 0) refused.set_header("Retry-After", std::to_string(retry_after));
      return refused;
    }
    caller = std::move(who).value();
  }
  HandlerContext ctx{request, m.params, caller, service_, predictors_, metrics_};
  Result<Response> result = route.handler(ctx);
  if (!result.is_ok()) {
    const Status& st = result.status();
    if (http_status_for(st.code()) >= 500) {
      spdlog::error("[{}] {} {} failed: {}", rid, request.method, request.path, st.to_string());
    }
    return fail(st);
  }
  return std::move(result).value();
}

Result<jobs::Caller> Api::authenticate(const Request& request, int* retry_after) {
  // A throttled address learns nothing about its key, right or wrong: it is not checked.
  const auto now = std::chrono::steady_clock::now();
  const std::string address = throttled_address(request.peer);
  if (int wait = auth_limiter_.retry_after_seconds(address, now); wait > 0) {
    *retry_after = wait;
    return Status(
        ErrorCode::kQuotaExceeded,
        fmt::format("too many failed authentications from this address; retry in {} s", wait));
  }
  std::string token = bearer_token(request.header("authorization"));
  if (token.empty() && request.websocket_upgrade) {
    token = bearer_from_protocols(request.header("sec-websocket-protocol"));
  }
  if (token.empty()) {
    // Not a guess: a request without a key is not counted.
    return Status(ErrorCode::kUnauthenticated,
                  "missing API key: send the header 'Authorization: Bearer <api key>'");
  }
  auto who = service_.authenticate(token);
  if (!who.is_ok()) {
    Status st = who.status();
    if (st.code() == ErrorCode::kInternal) return st;
    auth_limiter_.record_failure(address, now);
    return Status(ErrorCode::kUnauthenticated, "unknown or revoked API key");
  }
  return who;
}

}  // namespace traind::api
