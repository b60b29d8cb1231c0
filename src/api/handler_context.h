// What every route handler gets, and the handlers themselves (one file per group:
// job_handlers.cc, model_handlers.cc, admin_handlers.cc, operations in api.cc).
// Private to the api library.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http_message.h"
#include "api/http_metrics.h"
#include "api/predictor_cache.h"
#include "api/router.h"
#include "core/status.h"
#include "jobs/job_service.h"

namespace traind::api {

struct HandlerContext {
  const Request& request;
  const PathParams& params;
  const jobs::Caller& caller;  // authenticated caller (empty for routes without a key)
  jobs::JobService& service;
  PredictorCache& predictors;
  const HttpMetrics& metrics;

  const std::string& param(const std::string& name) const;
};

// The request body as JSON; INVALID_JSON (with the parser's position) when it is empty
// or not JSON.
Result<nlohmann::json> parse_json_body(const Request& request);

// The list filter of a jobs query (?status=&algorithm=&name=&tenant_id=&limit=&page_token=),
// with API.md's checks; shared by the job and BOM lists.
Result<jobs::JobFilter> job_filter_from_query(const HandlerContext& ctx);

// Jobs (job_handlers.cc).
Result<Response> submit_job(const HandlerContext& ctx);
Result<Response> validate_job(const HandlerContext& ctx);
Result<Response> get_job(const HandlerContext& ctx);
Result<Response> cancel_job(const HandlerContext& ctx);
Result<Response> list_jobs(const HandlerContext& ctx);
Result<Response> job_events(const HandlerContext& ctx);
Result<Response> job_logs(const HandlerContext& ctx);
Result<Response> tenant_events(const HandlerContext& ctx);
Result<Response> list_datasets(const HandlerContext& ctx);

// Catalogue and models (model_handlers.cc).
Result<Response> get_schema(const HandlerContext& ctx);
Result<Response> get_algorithms(const HandlerContext& ctx);
Result<Response> get_model(const HandlerContext& ctx);
Result<Response> download_model(const HandlerContext& ctx);
Result<Response> predict(const HandlerContext& ctx);

// Training BOMs (bom_handlers.cc).
Result<Response> get_job_bom(const HandlerContext& ctx);
Result<Response> list_boms(const HandlerContext& ctx);
Result<Response> get_bom_schema(const HandlerContext& ctx);
Result<Response> get_run_bom(const HandlerContext& ctx);

// MLflow's REST API (mlflow_handlers.cc, mlflow_artifacts.cc). The adder registers a
// handler: the tracking adder under /api/2.0/mlflow/ and /ajax-api/2.0/mlflow/ (path given
// relative), the exact adder at the path as given. Errors on these routes take MLflow's shape.
using Handler = Result<Response> (*)(const HandlerContext&);
using MlflowRouteAdder = std::function<void(const char* method, const char* path, Handler)>;
void add_mlflow_tracking_routes(const MlflowRouteAdder& add);
void add_mlflow_artifact_routes(const MlflowRouteAdder& add_tracking,
                                const MlflowRouteAdder& add_exact);

// Admin (admin_handlers.cc).
Result<Response> create_tenant(const HandlerContext& ctx);
Result<Response> list_tenants(const HandlerContext& ctx);
Result<Response> get_tenant(const HandlerContext& ctx);
Result<Response> patch_tenant(const HandlerContext& ctx);
Result<Response> create_key(const HandlerContext& ctx);
Result<Response> delete_key(const HandlerContext& ctx);
Result<Response> put_datasource(const HandlerContext& ctx);
Result<Response> list_datasources(const HandlerContext& ctx);
Result<Response> delete_datasource(const HandlerContext& ctx);

}  // namespace traind::api
