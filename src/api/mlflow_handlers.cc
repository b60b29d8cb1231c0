// MLflow's Tracking REST API (2.0 paths, mlflow/protos/service.proto) over the tracking
// store: experiments, runs, logging, search and metric history. Every call is scoped to
// the caller's tenant. Runs that traind records for jobs are read-only for logging.
#include <fmt/format.h>

#include <algorithm>

#include "api/mlflow_request.h"
#include "core/clock.h"
#include "tracking/mlflow_json.h"
#include "tracking/mlflow_validation.h"
#include "tracking/page_token.h"
#include "tracking/run_search.h"

namespace traind::api {
namespace {

using nlohmann::json;
using tracking::TrackingStore;

constexpr int64_t kSearchMaxResultsDefault = 1000;
constexpr int64_t kSearchMaxResultsLimit = 50000;

Result<tracking::ViewType> view_type(const json& m, const char* key) {
  TRAIND_ASSIGN_OR_RETURN(name, optional_string(m, key));
  if (!name || *name == "ACTIVE_ONLY") return tracking::ViewType::kActiveOnly;
  if (*name == "DELETED_ONLY") return tracking::ViewType::kDeletedOnly;
  if (*name == "ALL") return tracking::ViewType::kAll;
  return Status(ErrorCode::kInvalidConfig,
                fmt::format("Invalid value \"{}\" for parameter '{}': must be one of "
                            "ACTIVE_ONLY, DELETED_ONLY, ALL",
                            *name, key));
}

Result<int64_t> max_results(const json& m, int64_t fallback) {
  TRAIND_ASSIGN_OR_RETURN(n, int64_field(m, "max_results", fallback));
  if (n <= 0 || n > kSearchMaxResultsLimit) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Invalid value for request parameter max_results. It must be at "
                              "most {}, but got value {}",
                              kSearchMaxResultsLimit, n));
  }
  return n;
}

// Reads [{"key", "value"}] of a repeated Tag/Param field.
template <typename T>
Result<std::vector<T>> key_values(const json& m, const char* field) {
  std::vector<T> out;
  auto it = m.find(field);
  if (it == m.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Invalid value {} for parameter '{}' supplied.", it->dump(), field));
  }
  for (const json& item : *it) {
    if (!item.is_object()) {
      return Status(
          ErrorCode::kInvalidConfig,
          fmt::format("Invalid value {} for parameter '{}' supplied.", item.dump(), field));
    }
    TRAIND_ASSIGN_OR_RETURN(key, required_string(item, "key"));
    TRAIND_ASSIGN_OR_RETURN(value, optional_string(item, "value"));
    out.push_back({key, value.value_or("")});
  }
  return out;
}

Result<tracking::Metric> read_metric(const json& m, int64_t default_timestamp) {
  tracking::Metric metric;
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "key"));
  metric.key = key;
  if (!m.contains("value") || m["value"].is_null()) {
    return Status(ErrorCode::kInvalidConfig,
                  "Missing value for required parameter 'value'. See the API docs for more "
                  "information about request parameters.");
  }
  auto value = tracking::mlflow_double(m["value"]);
  if (!value.is_ok()) {
    return Status(
        ErrorCode::kInvalidConfig,
        fmt::format("Invalid value {} for parameter 'value' supplied.", m["value"].dump()));
  }
  metric.value = *value;
  TRAIND_ASSIGN_OR_RETURN(timestamp, optional_int64(m, "timestamp"));
  if (!timestamp && default_timestamp < 0) {
    return Status(ErrorCode::kInvalidConfig,
                  "Missing value for required parameter 'timestamp'. See the API docs for more "
                  "information about request parameters.");
  }
  metric.timestamp = timestamp.value_or(default_timestamp);
  TRAIND_ASSIGN_OR_RETURN(step, int64_field(m, "step", 0));
  metric.step = step;
  return metric;
}

std::string run_id_of(const json& m) {
  for (const char* key : {"run_id", "run_uuid"}) {
    if (m.contains(key) && m[key].is_string() && !m[key].get<std::string>().empty()) {
      return m[key].get<std::string>();
    }
  }
  return "";
}

Result<std::string> required_run_id(const json& m) {
  std::string id = run_id_of(m);
  if (id.empty()) return required_string(m, "run_id");
  return id;
}

// Runs that traind records for jobs take no client logging: they are the job's record.
Status check_client_run(TrackingStore& store, const std::string& tenant,
                        const std::string& run_id) {
  TRAIND_ASSIGN_OR_RETURN(job_run, store.is_job_run(tenant, run_id));
  if (job_run) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Run '{}' records a traind training job; its params, metrics and "
                              "status are the job's and cannot be logged or changed by clients",
                              run_id));
  }
  return Status::ok();
}

// The page of `items` that `token` names, and the token of the next page ("" when none).
template <typename T>
Result<std::pair<std::vector<T>, std::string>> page_of(std::vector<T> items, const json& m,
                                                       int64_t limit) {
  TRAIND_ASSIGN_OR_RETURN(token, optional_string(m, "page_token"));
  int64_t offset = 0;
  if (token && !token->empty()) {
    TRAIND_ASSIGN_OR_RETURN(decoded, tracking::decode_offset_token(*token));
    offset = decoded;
  }
  if (offset < 0) offset = 0;
  const auto n = static_cast<int64_t>(items.size());
  std::vector<T> page;
  for (int64_t i = offset; i < n && i < offset + limit; ++i) {
    page.push_back(std::move(items[static_cast<size_t>(i)]));
  }
  std::string next = offset + limit < n ? tracking::encode_offset_token(offset + limit) : "";
  return std::make_pair(std::move(page), next);
}

// A job's run that is not finished may trail its job by a moment: settle it first.
Result<tracking::Run> current_run(const HandlerContext& ctx, const std::string& tenant,
                                  const std::string& run_id) {
  TRAIND_ASSIGN_OR_RETURN(run, ctx.service.tracking().run(tenant, run_id));
  if (tracking::is_final_run_status(run.info.status)) return run;
  ctx.service.settle_job_run(tenant, run_id);
  return ctx.service.tracking().run(tenant, run_id);
}

// ---- Experiments -----------------------------------------------------------------------

Result<Response> create_experiment(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(name, required_string(m, "name"));
  TRAIND_RETURN_IF_ERROR(tracking::validate_experiment_name(name));
  TRAIND_ASSIGN_OR_RETURN(location, optional_string(m, "artifact_location"));
  if (location && !location->empty() && location->rfind("mlflow-artifacts:", 0) != 0) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("artifact_location '{}' is not supported: traind keeps runs' "
                              "artifacts itself and serves them as mlflow-artifacts:/ URIs",
                              *location));
  }
  TRAIND_ASSIGN_OR_RETURN(tags, key_values<tracking::Tag>(m, "tags"));
  for (const tracking::Tag& t : tags) TRAIND_RETURN_IF_ERROR(tracking::validate_tag(t));
  TRAIND_ASSIGN_OR_RETURN(e,
                          ctx.service.tracking().create_experiment(tenant, name, tags, now_ms()));
  return mlflow_ok({{"experiment_id", e.experiment_id}});
}

Result<Response> get_experiment(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(id, required_string(m, "experiment_id"));
  TRAIND_ASSIGN_OR_RETURN(e, ctx.service.tracking().experiment(tenant, id));
  return mlflow_ok({{"experiment", tracking::to_mlflow_json(e)}});
}

Result<Response> get_experiment_by_name(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(name, required_string(m, "experiment_name"));
  TRAIND_ASSIGN_OR_RETURN(e, ctx.service.tracking().experiment_by_name(tenant, name));
  return mlflow_ok({{"experiment", tracking::to_mlflow_json(e)}});
}

Result<Response> search_experiments(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(limit, max_results(m, kSearchMaxResultsDefault));
  TRAIND_ASSIGN_OR_RETURN(view, view_type(m, "view_type"));
  TRAIND_ASSIGN_OR_RETURN(filter_text, optional_string(m, "filter"));
  TRAIND_ASSIGN_OR_RETURN(filter, tracking::parse_experiment_filter(filter_text.value_or("")));
  TRAIND_ASSIGN_OR_RETURN(order_by, string_list(m, "order_by"));
  TRAIND_ASSIGN_OR_RETURN(order, tracking::parse_experiment_order(order_by));
  std::vector<tracking::Experiment> found;
  for (auto& e : ctx.service.tracking().experiments(tenant, view)) {
    if (tracking::matches(filter, e)) found.push_back(std::move(e));
  }
  tracking::sort_experiments(found, order);
  TRAIND_ASSIGN_OR_RETURN(page, page_of(std::move(found), m, limit));
  json body = json::object();
  if (!page.first.empty()) {
    json list = json::array();
    for (const auto& e : page.first) list.push_back(tracking::to_mlflow_json(e));
    body["experiments"] = std::move(list);
  }
  if (!page.second.empty()) body["next_page_token"] = page.second;
  return mlflow_ok(body);
}

Result<Response> update_experiment(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(id, required_string(m, "experiment_id"));
  TRAIND_ASSIGN_OR_RETURN(new_name, optional_string(m, "new_name"));
  if (new_name) {
    TRAIND_RETURN_IF_ERROR(tracking::validate_experiment_name(*new_name));
    TRAIND_RETURN_IF_ERROR(
        ctx.service.tracking().rename_experiment(tenant, id, *new_name, now_ms()));
  } else {
    TRAIND_ASSIGN_OR_RETURN(e, ctx.service.tracking().experiment(tenant, id));
    (void)e;
  }
  return mlflow_ok();
}

Result<Response> set_experiment_deleted(const HandlerContext& ctx, bool deleted) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(id, required_string(m, "experiment_id"));
  TRAIND_RETURN_IF_ERROR(
      ctx.service.tracking().set_experiment_deleted(tenant, id, deleted, now_ms()));
  return mlflow_ok();
}

Result<Response> delete_experiment(const HandlerContext& ctx) {
  return set_experiment_deleted(ctx, true);
}

Result<Response> restore_experiment(const HandlerContext& ctx) {
  return set_experiment_deleted(ctx, false);
}

Result<Response> set_experiment_tag(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(id, required_string(m, "experiment_id"));
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "key"));
  TRAIND_ASSIGN_OR_RETURN(value, optional_string(m, "value"));
  tracking::Tag tag{key, value.value_or("")};
  TRAIND_RETURN_IF_ERROR(tracking::validate_tag(tag));
  TRAIND_RETURN_IF_ERROR(ctx.service.tracking().set_experiment_tag(tenant, id, tag));
  return mlflow_ok();
}

// ---- Runs ------------------------------------------------------------------------------

Result<Response> create_run(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  tracking::NewRun spec;
  TRAIND_ASSIGN_OR_RETURN(experiment_id, optional_string(m, "experiment_id"));
  spec.experiment_id = experiment_id && !experiment_id->empty() ? *experiment_id : "0";
  TRAIND_ASSIGN_OR_RETURN(user_id, optional_string(m, "user_id"));
  spec.user_id = user_id.value_or("");
  TRAIND_ASSIGN_OR_RETURN(run_name, optional_string(m, "run_name"));
  spec.run_name = run_name.value_or("");
  TRAIND_ASSIGN_OR_RETURN(start_time, int64_field(m, "start_time", now_ms()));
  spec.start_time = start_time;
  TRAIND_ASSIGN_OR_RETURN(tags, key_values<tracking::Tag>(m, "tags"));
  for (const tracking::Tag& t : tags) {
    TRAIND_RETURN_IF_ERROR(tracking::validate_tag(t));
    if (t.key == "mlflow.runName" && spec.run_name.empty()) spec.run_name = t.value;
    if (t.key == "mlflow.user" && spec.user_id.empty()) spec.user_id = t.value;
  }
  if (spec.run_name.empty()) spec.run_name = tracking::random_run_name();
  spec.tags = std::move(tags);
  TRAIND_ASSIGN_OR_RETURN(run, ctx.service.tracking().create_run(tenant, spec));
  return mlflow_ok({{"run", tracking::to_mlflow_json(run)}});
}

Result<Response> get_run(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(run, current_run(ctx, tenant, run_id));
  return mlflow_ok({{"run", tracking::to_mlflow_json(run)}});
}

Result<Response> update_run(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_RETURN_IF_ERROR(check_client_run(ctx.service.tracking(), tenant, run_id));
  TRAIND_ASSIGN_OR_RETURN(status, optional_string(m, "status"));
  if (status && !tracking::is_run_status(*status)) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Invalid value \"{}\" for parameter 'status': must be one of "
                              "RUNNING, SCHEDULED, FINISHED, FAILED, KILLED",
                              *status));
  }
  TRAIND_ASSIGN_OR_RETURN(end_time, optional_int64(m, "end_time"));
  TRAIND_ASSIGN_OR_RETURN(run_name, optional_string(m, "run_name"));
  if (run_name && run_name->empty()) run_name.reset();
  TRAIND_ASSIGN_OR_RETURN(
      info, ctx.service.tracking().update_run(tenant, run_id, status, end_time, run_name));
  return mlflow_ok({{"run_info", tracking::to_mlflow_json(info)}});
}

Result<Response> set_run_deleted(const HandlerContext& ctx, bool deleted) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_RETURN_IF_ERROR(ctx.service.tracking().set_run_deleted(tenant, run_id, deleted));
  return mlflow_ok();
}

Result<Response> delete_run(const HandlerContext& ctx) { return set_run_deleted(ctx, true); }
Result<Response> restore_run(const HandlerContext& ctx) { return set_run_deleted(ctx, false); }

Result<Response> search_runs(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(experiment_ids, string_list(m, "experiment_ids"));
  TRAIND_ASSIGN_OR_RETURN(limit, max_results(m, kSearchMaxResultsDefault));
  TRAIND_ASSIGN_OR_RETURN(view, view_type(m, "run_view_type"));
  TRAIND_ASSIGN_OR_RETURN(filter_text, optional_string(m, "filter"));
  TRAIND_ASSIGN_OR_RETURN(filter, tracking::parse_run_filter(filter_text.value_or("")));
  TRAIND_ASSIGN_OR_RETURN(order_by, string_list(m, "order_by"));
  TRAIND_ASSIGN_OR_RETURN(order, tracking::parse_run_order(order_by));
  std::vector<tracking::Run> found;
  for (auto& run : ctx.service.tracking().runs(tenant, experiment_ids, view)) {
    if (!tracking::is_final_run_status(run.info.status)) {
      auto current = current_run(ctx, tenant, run.info.run_id);
      if (current.is_ok()) run = std::move(current).value();
    }
    if (tracking::matches(filter, run)) found.push_back(std::move(run));
  }
  tracking::sort_runs(found, order);
  TRAIND_ASSIGN_OR_RETURN(page, page_of(std::move(found), m, limit));
  json body = json::object();
  if (!page.first.empty()) {
    json list = json::array();
    for (const auto& run : page.first) list.push_back(tracking::to_mlflow_json(run));
    body["runs"] = std::move(list);
  }
  if (!page.second.empty()) body["next_page_token"] = page.second;
  return mlflow_ok(body);
}

Status log_to_run(const HandlerContext& ctx, const std::string& tenant, const std::string& run_id,
                  const std::vector<tracking::Metric>& metrics,
                  const std::vector<tracking::Param>& params,
                  const std::vector<tracking::Tag>& tags) {
  TRAIND_RETURN_IF_ERROR(
      tracking::validate_batch_limits(metrics.size(), params.size(), tags.size()));
  for (const auto& x : metrics) TRAIND_RETURN_IF_ERROR(tracking::validate_metric(x));
  for (const auto& x : params) TRAIND_RETURN_IF_ERROR(tracking::validate_param(x));
  for (const auto& x : tags) TRAIND_RETURN_IF_ERROR(tracking::validate_tag(x));
  if (!metrics.empty() || !params.empty()) {
    TRAIND_RETURN_IF_ERROR(check_client_run(ctx.service.tracking(), tenant, run_id));
  }
  for (const auto& t : tags) {
    if (t.key.rfind("traind.", 0) == 0) {
      TRAIND_ASSIGN_OR_RETURN(job_run, ctx.service.tracking().is_job_run(tenant, run_id));
      if (job_run) {
        return Status(ErrorCode::kInvalidConfig,
                      fmt::format("tag '{}' is set by traind on a job's run", t.key));
      }
    }
  }
  return ctx.service.tracking().log_batch(tenant, run_id, metrics, params, tags);
}

Result<Response> log_metric(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(metric, read_metric(m, -1));
  TRAIND_RETURN_IF_ERROR(log_to_run(ctx, tenant, run_id, {metric}, {}, {}));
  return mlflow_ok();
}

Result<Response> log_param(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "key"));
  TRAIND_ASSIGN_OR_RETURN(value, optional_string(m, "value"));
  TRAIND_RETURN_IF_ERROR(log_to_run(ctx, tenant, run_id, {}, {{key, value.value_or("")}}, {}));
  return mlflow_ok();
}

Result<Response> set_tag(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "key"));
  TRAIND_ASSIGN_OR_RETURN(value, optional_string(m, "value"));
  TRAIND_RETURN_IF_ERROR(log_to_run(ctx, tenant, run_id, {}, {}, {{key, value.value_or("")}}));
  return mlflow_ok();
}

Result<Response> delete_tag(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "key"));
  if (key.rfind("traind.", 0) == 0) {
    TRAIND_ASSIGN_OR_RETURN(job_run, ctx.service.tracking().is_job_run(tenant, run_id));
    if (job_run) {
      return Status(ErrorCode::kInvalidConfig,
                    fmt::format("tag '{}' is set by traind on a job's run", key));
    }
  }
  TRAIND_RETURN_IF_ERROR(ctx.service.tracking().delete_tag(tenant, run_id, key));
  return mlflow_ok();
}

Result<Response> log_batch(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  std::vector<tracking::Metric> metrics;
  if (m.contains("metrics") && !m["metrics"].is_null()) {
    if (!m["metrics"].is_array()) {
      return Status(
          ErrorCode::kInvalidConfig,
          fmt::format("Invalid value {} for parameter 'metrics' supplied.", m["metrics"].dump()));
    }
    for (const json& item : m["metrics"]) {
      if (!item.is_object()) {
        return Status(
            ErrorCode::kInvalidConfig,
            fmt::format("Invalid value {} for parameter 'metrics' supplied.", item.dump()));
      }
      TRAIND_ASSIGN_OR_RETURN(metric, read_metric(item, -1));
      metrics.push_back(metric);
    }
  }
  TRAIND_ASSIGN_OR_RETURN(params, key_values<tracking::Param>(m, "params"));
  TRAIND_ASSIGN_OR_RETURN(tags, key_values<tracking::Tag>(m, "tags"));
  TRAIND_RETURN_IF_ERROR(log_to_run(ctx, tenant, run_id, metrics, params, tags));
  return mlflow_ok();
}

Result<Response> get_metric_history(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_run_id(m));
  TRAIND_ASSIGN_OR_RETURN(key, required_string(m, "metric_key"));
  TRAIND_ASSIGN_OR_RETURN(limit, int64_field(m, "max_results", 25000));
  if (limit <= 0) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Invalid value for request parameter max_results: {}", limit));
  }
  TRAIND_ASSIGN_OR_RETURN(history, ctx.service.tracking().metric_history(tenant, run_id, key));
  TRAIND_ASSIGN_OR_RETURN(page, page_of(std::move(history), m, limit));
  json body = json::object();
  if (!page.first.empty()) {
    json list = json::array();
    for (const auto& metric : page.first) list.push_back(tracking::to_mlflow_json(metric));
    body["metrics"] = std::move(list);
  }
  if (!page.second.empty()) body["next_page_token"] = page.second;
  return mlflow_ok(body);
}

}  // namespace

void add_mlflow_tracking_routes(const MlflowRouteAdder& add) {
  add("POST", "experiments/create", create_experiment);
  add("GET", "experiments/get", get_experiment);
  add("GET", "experiments/get-by-name", get_experiment_by_name);
  add("POST", "experiments/search", search_experiments);
  add("GET", "experiments/search", search_experiments);
  add("POST", "experiments/update", update_experiment);
  add("POST", "experiments/delete", delete_experiment);
  add("POST", "experiments/restore", restore_experiment);
  add("POST", "experiments/set-experiment-tag", set_experiment_tag);
  add("POST", "runs/create", create_run);
  add("GET", "runs/get", get_run);
  add("POST", "runs/update", update_run);
  add("POST", "runs/delete", delete_run);
  add("POST", "runs/restore", restore_run);
  add("POST", "runs/search", search_runs);
  add("POST", "runs/log-metric", log_metric);
  add("POST", "runs/log-parameter", log_param);
  add("POST", "runs/log-batch", log_batch);
  add("POST", "runs/set-tag", set_tag);
  add("POST", "runs/delete-tag", delete_tag);
  add("GET", "metrics/get-history", get_metric_history);
}

}  // namespace traind::api
