// Training BOMs: a job's (GET /api/v1/ml/train/{job_id}/bom), the tenant's list
// (GET /api/v1/ml/boms), the JSON Schema (GET /api/v1/ml/schema/bom) and one made from any
// tracked run, as the seed's create_training_bom_from_mlflow (GET /api/v1/ml/runs/{run_id}/bom).
// A BOM is written exactly as pydantic's model_dump_json(indent=2) writes the seed's model.
#include <fmt/format.h>

#include "api/error_response.h"
#include "api/handler_context.h"
#include "api/mlflow_request.h"
#include "tracking/training_bom_builder.h"

namespace traind::api {
namespace {

Response bom_response(const tracking::TrainingBom& bom) {
  Response r;
  r.set_header("Content-Type", "application/json; charset=utf-8");
  r.body = bom.dump(2);
  return r;
}

}  // namespace

Result<Response> get_job_bom(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(bom, ctx.service.job_bom(ctx.caller, ctx.param("job_id")));
  return bom_response(bom);
}

Result<Response> list_boms(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(filter, job_filter_from_query(ctx));
  // Only ended jobs have a BOM; a status filter narrows that further.
  std::vector<jobs::JobStatus> ended;
  for (jobs::JobStatus s :
       {jobs::JobStatus::kCompleted, jobs::JobStatus::kFailed, jobs::JobStatus::kCancelled}) {
    if (filter.statuses.empty() ||
        std::find(filter.statuses.begin(), filter.statuses.end(), s) != filter.statuses.end()) {
      ended.push_back(s);
    }
  }
  if (ended.empty()) {
    return Status(ErrorCode::kInvalidConfig, "only ended jobs have a Training BOM",
                  {{"?status", "use completed, failed or cancelled"}});
  }
  filter.statuses = ended;
  const std::string model_type = [&] {
    auto v = ctx.request.query_values("model_type");
    return v.empty() ? std::string() : v.back();
  }();
  TRAIND_ASSIGN_OR_RETURN(page, ctx.service.list(ctx.caller, filter));
  // Each item is a BOM as dumped, so the list keeps the seed's key order too.
  std::string items;
  for (const jobs::JobRecord& job : page.first) {
    auto bom = ctx.service.job_bom(ctx.caller, job.job_id);
    if (!bom.is_ok()) continue;  // ended after the listing; the next call shows it
    if (!model_type.empty() && bom->model_info.type != model_type) continue;
    items += (items.empty() ? "" : ",") + bom->dump();
  }
  Response r;
  r.set_header("Content-Type", "application/json; charset=utf-8");
  r.body = fmt::format(R"({{"boms":[{}],"next_page_token":{}}})", items,
                       page.second.empty() ? "null" : nlohmann::json(page.second).dump());
  return r;
}

Result<Response> get_bom_schema(const HandlerContext&) {
  return json_response(tracking::training_bom_schema());
}

Result<Response> get_run_bom(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(run, ctx.service.tracking().run(tenant, ctx.param("run_id")));
  TRAIND_ASSIGN_OR_RETURN(bom, tracking::bom_from_run(run));
  return bom_response(bom);
}

}  // namespace traind::api
