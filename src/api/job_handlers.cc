// Training job routes: submit, validate, status, cancel, list and live events.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>

#include "api/error_response.h"
#include "api/handler_context.h"
#include "data/sql_source.h"
#include "train/config.h"
#include "train/context_validation.h"

namespace traind::api {
namespace {

// Validation problems that come back with a job-level code (a query past its deadline,
// an unreadable data file) are still problems of the submitted configuration: the
// client gets INVALID_CONFIG pointing at the query, not a 500.
Status as_config_error(const Status& st) {
  if (http_status_for(st.code()) < 500) return st;
  if (st.code() == ErrorCode::kInternal) return st;
  std::vector<ErrorDetail> details = st.details();
  if (details.empty()) details.push_back({"/dataset/query", st.message()});
  return Status(ErrorCode::kInvalidConfig, st.message(), std::move(details));
}

// Both validation layers of API.md. Returns the completed configuration (defaults and
// feature_columns filled in) whose dataset.tenant_id names the job's tenant.
Result<nlohmann::json> validate_submission(const HandlerContext& ctx) {
  auto body = parse_json_body(ctx.request);
  if (!body.is_ok()) return body.status();
  const nlohmann::json& config = *body;

  std::string tenant = ctx.caller.tenant_id;
  const nlohmann::json* named = nullptr;
  if (config.is_object()) {
    auto ds = config.find("dataset");
    if (ds != config.end() && ds->is_object()) {
      auto t = ds->find("tenant_id");
      if (t != ds->end() && t->is_string()) named = &*t;
    }
  }
  if (named) {
    const std::string& wanted = named->get_ref<const std::string&>();
    if (!ctx.caller.is_admin() && wanted != ctx.caller.tenant_id) {
      return Status(ErrorCode::kForbidden,
                    fmt::format("this API key belongs to tenant '{}' and cannot use the data of "
                                "tenant '{}'; omit dataset.tenant_id or use that tenant's key",
                                ctx.caller.tenant_id, wanted),
                    {{"/dataset/tenant_id", "names another tenant than the caller's"}});
    }
    tenant = wanted;
    if (ctx.caller.is_admin() && !ctx.service.get_tenant(ctx.caller, tenant).is_ok()) {
      return Status(ErrorCode::kInvalidConfig, fmt::format("there is no tenant '{}'", tenant),
                    {{"/dataset/tenant_id", "no such tenant"}});
    }
  } else if (ctx.caller.is_admin()) {
    // An admin key has no tenant of its own: the configuration must name one. Shape
    // problems are reported together with this one.
    ErrorDetail missing{"/dataset/tenant_id",
                        "required with an admin key: name the tenant whose data to train on"};
    auto shape = train::resolve_config(config, "");
    std::vector<ErrorDetail> details;
    if (!shape.is_ok()) details = shape.status().details();
    bool reported = std::any_of(details.begin(), details.end(),
                                [&](const ErrorDetail& d) { return d.path == missing.path; });
    if (!reported) details.push_back(missing);
    return Status(ErrorCode::kInvalidConfig, "the training configuration is invalid; see details",
                  std::move(details));
  }

  auto resolved = train::resolve_config(config, tenant);
  if (!resolved.is_ok()) return resolved.status();
  auto source = data::open_sql_source(ctx.service.datasources(tenant));
  if (!source.is_ok()) return as_config_error(source.status());
  auto completed =
      train::validate_against_data(*resolved, **source, ctx.service.validation_limits(tenant));
  if (!completed.is_ok()) return as_config_error(completed.status());
  return completed;
}

// A job's events as serialized JSON, for the transport.
// A subscription's events as an EventStream; `on_close` unsubscribes.
class SubscriptionStream : public EventStream {
 public:
  SubscriptionStream(std::shared_ptr<jobs::Subscription> sub, std::function<void()> on_close)
      : sub_(std::move(sub)), on_close_(std::move(on_close)) {}
  ~SubscriptionStream() override { close(); }

  bool drain(std::vector<std::string>& out) override {
    std::vector<nlohmann::json> events;
    bool more = sub_->drain(events);
    for (auto& e : events) {
      out.push_back(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return more;
  }
  void set_notifier(std::function<void()> notify) override {
    sub_->set_notifier(std::move(notify));
  }
  void close() override {
    if (closed_.exchange(true)) return;
    sub_->set_notifier(nullptr);
    on_close_();
  }

 private:
  std::shared_ptr<jobs::Subscription> sub_;
  std::function<void()> on_close_;
  std::atomic<bool> closed_{false};
};

// "?status=running,queued&status=failed" -> the statuses, or a detail per bad name.
void parse_statuses(const Request& request, std::vector<jobs::JobStatus>* out,
                    std::vector<ErrorDetail>* problems) {
  for (const std::string& value : request.query_values("status")) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(',', start);
      if (end == std::string::npos) end = value.size();
      std::string name = value.substr(start, end - start);
      while (!name.empty() && name.front() == ' ') name.erase(name.begin());
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (!name.empty()) {
        auto st = jobs::job_status_from_name(name);
        if (st) {
          out->push_back(*st);
        } else {
          problems->push_back({"?status", fmt::format("unknown status '{}'; use queued, running, "
                                                      "completed, failed or cancelled",
                                                      name)});
        }
      }
      start = end + 1;
    }
  }
}

std::string last_value(const Request& request, const std::string& name) {
  auto values = request.query_values(name);
  return values.empty() ? "" : values.back();
}

// A tenant key naming another tenant with ?tenant_id= gets 403 (API.md), whatever the
// route does with the parameter; the admin key may name any tenant.
Status check_named_tenant(const HandlerContext& ctx, const char* what) {
  if (ctx.caller.is_admin()) return Status::ok();
  for (const std::string& tenant : ctx.request.query_values("tenant_id")) {
    if (tenant != ctx.caller.tenant_id) {
      return Status(ErrorCode::kForbidden,
                    fmt::format("this API key belongs to tenant '{}' and cannot read the {} of "
                                "tenant '{}'",
                                ctx.caller.tenant_id, what, tenant),
                    {{"?tenant_id", "names another tenant than the caller's"}});
    }
  }
  return Status::ok();
}

}  // namespace

Result<Response> submit_job(const HandlerContext& ctx) {
  auto config = validate_submission(ctx);
  if (!config.is_ok()) return config.status();
  auto job = ctx.service.submit(ctx.caller, *config, ctx.request.header("idempotency-key"));
  if (!job.is_ok()) return job.status();
  Response r = json_response(job->to_json(true), 202);
  r.set_header("Location", "/api/v1/ml/train/" + job->job_id);
  return r;
}

Result<Response> validate_job(const HandlerContext& ctx) {
  auto config = validate_submission(ctx);
  if (!config.is_ok()) return config.status();
  return json_response({{"valid", true}, {"resolved", *config}});
}

Result<Response> get_job(const HandlerContext& ctx) {
  auto job = ctx.service.get(ctx.caller, ctx.param("job_id"));
  if (!job.is_ok()) return job.status();
  return json_response(job->to_json(true));
}

Result<Response> cancel_job(const HandlerContext& ctx) {
  auto job = ctx.service.cancel(ctx.caller, ctx.param("job_id"));
  if (!job.is_ok()) return job.status();
  return json_response(job->to_json(true));
}

Result<jobs::JobFilter> job_filter_from_query(const HandlerContext& ctx) {
  const Request& req = ctx.request;
  jobs::JobFilter filter;
  std::vector<ErrorDetail> problems;

  std::string tenant = last_value(req, "tenant_id");
  if (!tenant.empty() && !ctx.caller.is_admin() && tenant != ctx.caller.tenant_id) {
    return Status(ErrorCode::kForbidden,
                  fmt::format("this API key belongs to tenant '{}' and cannot list the jobs of "
                              "tenant '{}'",
                              ctx.caller.tenant_id, tenant),
                  {{"?tenant_id", "names another tenant than the caller's"}});
  }
  filter.tenant_id = ctx.caller.is_admin() ? tenant : ctx.caller.tenant_id;
  parse_statuses(req, &filter.statuses, &problems);
  filter.algorithm = last_value(req, "algorithm");
  filter.name = last_value(req, "name");

  std::string limit = last_value(req, "limit");
  if (!limit.empty()) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || ptr != limit.data() + limit.size() || n < 1 || n > 500) {
      problems.push_back(
          {"?limit", fmt::format("'{}' is not a whole number from 1 to 500", limit)});
    } else {
      filter.limit = n;
    }
  }
  std::string token = last_value(req, "page_token");
  if (!token.empty()) {
    auto seq = jobs::decode_page_token(token);
    if (!seq.is_ok()) {
      problems.push_back({"?page_token",
                          "not a page token this server issued; pass "
                          "next_page_token from the previous page as is"});
    } else {
      filter.before_seq = *seq;
    }
  }
  if (!problems.empty()) {
    return Status(ErrorCode::kInvalidConfig, "the list query is invalid; see details",
                  std::move(problems));
  }
  return filter;
}

Result<Response> list_jobs(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(filter, job_filter_from_query(ctx));
  auto page = ctx.service.list(ctx.caller, filter);
  if (!page.is_ok()) return page.status();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& job : page->first) items.push_back(job.to_json(false));
  nlohmann::json next =
      page->second.empty() ? nlohmann::json(nullptr) : nlohmann::json(page->second);
  return json_response({{"jobs", std::move(items)}, {"next_page_token", std::move(next)}});
}

Result<Response> job_events(const HandlerContext& ctx) {
  const std::string& job_id = ctx.param("job_id");
  auto sub = ctx.service.subscribe(ctx.caller, job_id);
  if (!sub.is_ok()) return sub.status();
  std::shared_ptr<jobs::Subscription> subscription = std::move(sub).value();
  Response r;
  r.stream = std::make_shared<SubscriptionStream>(subscription,
                                                  [&service = ctx.service, job_id, subscription] {
                                                    service.unsubscribe(job_id, subscription);
                                                  });
  return r;
}

Result<Response> tenant_events(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(check_named_tenant(ctx, "events"));
  const std::vector<std::string> tenants = ctx.request.query_values("tenant_id");
  const std::string tenant = ctx.caller.is_admin() && !tenants.empty() ? tenants.front()
                             : ctx.caller.is_admin()                   ? std::string()
                                                                       : ctx.caller.tenant_id;
  auto sub = ctx.service.subscribe_tenant(ctx.caller, tenant);
  if (!sub.is_ok()) return sub.status();
  std::shared_ptr<jobs::Subscription> subscription = std::move(sub).value();
  Response r;
  r.stream = std::make_shared<SubscriptionStream>(
      subscription, [&service = ctx.service, tenant, subscription] {
        service.unsubscribe_tenant(tenant, subscription);
      });
  return r;
}

Result<Response> job_logs(const HandlerContext& ctx) {
  constexpr size_t kDefaultTail = size_t{1} << 20;
  constexpr size_t kMaxTail = size_t{16} << 20;
  size_t tail = kDefaultTail;
  if (auto values = ctx.request.query_values("tail_bytes"); !values.empty()) {
    const std::string& text = values.front();
    size_t parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc() || end != text.data() + text.size() || parsed < 1 || parsed > kMaxTail) {
      return Status(ErrorCode::kInvalidConfig,
                    fmt::format("tail_bytes must be an integer from 1 to {}", kMaxTail),
                    {{"?tail_bytes", "not an integer from 1 to " + std::to_string(kMaxTail)}});
    }
    tail = parsed;
  }
  auto log = ctx.service.job_log(ctx.caller, ctx.param("job_id"), tail);
  if (!log.is_ok()) return log.status();
  Response r;
  r.set_header("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(log).value();
  return r;
}

Result<Response> list_datasets(const HandlerContext& ctx) {
  TRAIND_RETURN_IF_ERROR(check_named_tenant(ctx, "datasets"));
  const std::vector<std::string> tenants = ctx.request.query_values("tenant_id");
  auto tables = ctx.service.datasets(ctx.caller, tenants.empty() ? std::string() : tenants.front());
  if (!tables.is_ok()) return tables.status();
  return json_response(std::move(tables).value());
}

}  // namespace traind::api
