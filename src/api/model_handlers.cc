// Catalogue and model routes: schema, algorithms, model metadata, download, predict.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "api/error_response.h"
#include "api/handler_context.h"
#include "train/config.h"

namespace traind::api {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<Response> get_schema(const HandlerContext&) {
  Response r = json_response(train::config_json_schema());
  r.set_header("Content-Type", "application/schema+json; charset=utf-8");
  return r;
}

Result<Response> get_algorithms(const HandlerContext&) {
  return json_response(train::algorithms_description());
}

Result<Response> get_model(const HandlerContext& ctx) {
  auto model = ctx.service.model(ctx.caller, ctx.param("model_id"));
  if (!model.is_ok()) return model.status();
  return json_response(model->to_json());
}

Result<Response> download_model(const HandlerContext& ctx) {
  auto model = ctx.service.model(ctx.caller, ctx.param("model_id"));
  if (!model.is_ok()) return model.status();
  const std::string path = model->dir + "/" + model->file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(ErrorCode::kInternal,
                  fmt::format("the artifact file of model {} cannot be read", model->model_id));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Response r;
  r.body = std::move(bytes).str();
  // XGBoost's JSON model is served as JSON; every other native format is opaque bytes.
  r.set_header("Content-Type",
               ends_with(model->file, ".json") ? "application/json" : "application/octet-stream");
  r.set_header("Content-Disposition",
               fmt::format("attachment; filename=\"{}-{}\"", model->model_id, model->file));
  if (!model->sha256.empty()) r.set_header("X-Model-Sha256", model->sha256);
  return r;
}

Result<Response> predict(const HandlerContext& ctx) {
  auto body = parse_json_body(ctx.request);
  if (!body.is_ok()) return body.status();
  auto model = ctx.service.model(ctx.caller, ctx.param("model_id"));
  if (!model.is_ok()) return model.status();
  auto predictor = ctx.predictors.get(model->model_id, model->dir);
  if (!predictor.is_ok()) {
    return Status(ErrorCode::kInternal, fmt::format("model {} cannot be loaded: {}",
                                                    model->model_id, predictor.status().message()));
  }
  auto answer = (*predictor)->predict(*body);
  if (!answer.is_ok()) return answer.status();
  return json_response(*answer);
}

}  // namespace traind::api
