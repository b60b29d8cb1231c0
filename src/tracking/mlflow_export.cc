// The requests, in order (all JSON bodies as MLflow's message_to_json writes them):
//   GET  /api/2.0/mlflow/experiments/get-by-name?experiment_name=...
//   POST /api/2.0/mlflow/experiments/create          (only on RESOURCE_DOES_NOT_EXIST; a
//        RESOURCE_ALREADY_EXISTS answer means a concurrent creator won: get-by-name again)
//   POST /api/2.0/mlflow/runs/search                  (the run already exported, by its tag)
//   POST /api/2.0/mlflow/runs/create                  (unless found)
//   POST /api/2.0/mlflow/runs/log-batch               (repeated, within MLflow's batch limits)
//   PUT  /api/2.0/mlflow-artifacts/artifacts/<artifact_uri path>/<artifact path>  (each file)
//   POST /api/2.0/mlflow/runs/update                  (status and end_time, last)
#include "tracking/mlflow_export.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <thread>

#include "tracking/http_client.h"

namespace traind::tracking {
namespace {

using json = nlohmann::json;

// MLflow's limits (mlflow/utils/validation.py).
constexpr size_t kMaxParamsTagsPerBatch = 100;    // MAX_PARAMS_TAGS_PER_BATCH
constexpr size_t kMaxMetricsPerBatch = 1000;      // MAX_METRICS_PER_BATCH
constexpr size_t kMaxEntitiesPerBatch = 1000;     // MAX_ENTITIES_PER_BATCH
constexpr size_t kMaxBatchRequestBytes = 900000;  // MAX_BATCH_LOG_REQUEST_SIZE is 1e6; headroom
constexpr size_t kMaxParamValueChars = 6000;      // MAX_PARAM_VAL_LENGTH
// MAX_TAG_VAL_LENGTH is 8000 in recent MLflow but 5000 in earlier 2.x servers, which reject
// longer values instead of truncating them; 5000 is accepted by every 2.x server.
constexpr size_t kMaxTagValueChars = 5000;
constexpr int kMaxRetries = 9;                            // MLflow refuses max_retries >= 10
constexpr std::chrono::milliseconds kMaxBackoff{120000};  // urllib3's DEFAULT_BACKOFF_MAX

constexpr const char* kApi = "/api/2.0/mlflow";
constexpr const char* kArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";
constexpr const char* kArtifactsScheme = "mlflow-artifacts:";

bool is_terminal(const std::string& status) {
  return status == "FINISHED" || status == "FAILED" || status == "KILLED";
}

// MLflow's _TRANSIENT_FAILURE_RESPONSE_CODES.
bool is_transient(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

// The first `max_chars` characters (code points, as MLflow counts them) of UTF-8 text.
std::string truncate_chars(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return text.substr(0, i);
    }
  }
  return text;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string excerpt(const std::string& text) {
  return text.size() <= 300 ? text : text.substr(0, 300) + "...";
}

// A double as proto3 JSON writes it: non-finite values as strings.
json metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

// MLflow's _guess_mime_type: a few names of its own, else the usual extension table.
std::string mime_type(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (name == "MLmodel" || name == "MLproject") return "text/plain";
  static const std::map<std::string, std::string> kByExtension = {
      {".json", "application/json"}, {".txt", "text/plain"},       {".log", "text/plain"},
      {".md", "text/markdown"},      {".csv", "text/csv"},         {".html", "text/html"},
      {".yaml", "application/yaml"}, {".yml", "application/yaml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"},        {".svg", "image/svg+xml"},    {".pdf", "application/pdf"},
      {".zip", "application/zip"},   {".gz", "application/gzip"},
  };
  auto it = kByExtension.find(std::filesystem::path(name).extension().string());
  return it == kByExtension.end() ? "application/octet-stream" : it->second;
}

// MLflow's run id pattern; the id also goes into a search filter between quotes.
bool is_valid_run_id(const std::string& id) {
  if (id.empty() || id.size() > 256) return false;
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  return std::all_of(id.begin(), id.end(), word) && id.front() != '_' && id.front() != '-';
}

// A relative path inside the run, as MLflow's verify_artifact_path wants it.
bool is_valid_artifact_path(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view segment(path.data() + start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// What the remote knows of a run.
struct RemoteRun {
  std::string run_id;
  std::string status;
  std::string artifact_uri;
};

RemoteRun remote_run_from(const json& info) {
  RemoteRun run;
  if (!info.is_object()) return run;
  auto text = [&](const char* key) {
    auto it = info.find(key);
    return it != info.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  run.run_id = text("run_id");
  if (run.run_id.empty()) run.run_id = text("run_uuid");
  run.status = text("status");
  run.artifact_uri = text("artifact_uri");
  return run;
}

// One tracking server as MLflow's rest_utils talks to it: bearer auth, retries with backoff on
// transient failures, a 200 answer with a JSON object or an error.
class MlflowClient {
 public:
  MlflowClient(const ExportTarget& target, std::string base)
      : target_(target), base_(std::move(base)), random_(std::random_device{}()) {}

  const std::string& base() const { return base_; }

  // Calls an endpoint under /api/2.0/mlflow. On an error answer, `remote_error_code` (when
  // given) receives the remote's error_code.
  Result<json> call(const std::string& step, const std::string& method, const std::string& endpoint,
                    const json* body, std::string* remote_error_code = nullptr) {
    HttpRequest request;
    request.method = method;
    request.url = base_ + kApi + endpoint;
    request.timeout_ms = target_.timeout_ms;
    if (body != nullptr) {
      request.body = dump(*body);
      request.headers.emplace_back("Content-Type", "application/json");
    }
    Result<HttpResponse> response = send(step, request);
    if (!response) return response.status();
    if (response->status != 200) {
      return error_answer(step, request, *response, remote_error_code);
    }
    json answer = json::parse(response->body, nullptr, false);
    if (!answer.is_object()) {
      return Status(ErrorCode::kInternal, describe(step, request) +
                                              " answered 200 but not with a JSON object: '" +
                                              excerpt(response->body) + "'");
    }
    return answer;
  }

  // PUTs a local file to a URL on the same server; any 2xx answer is success.
  Status upload(const std::string& step, const std::string& url, const std::string& local_path) {
    HttpRequest request;
    request.method = "PUT";
    request.url = url;
    request.body_file = local_path;
    request.headers.emplace_back("Content-Type", mime_type(local_path));
    // The timeout covers the whole exchange; give large files 1 ms per KB (1 MB/s) on top.
    std::error_code ec;
    auto size = std::filesystem::file_size(local_path, ec);
    int64_t timeout = target_.timeout_ms + (ec ? 0 : static_cast<int64_t>(size / 1000));
    request.timeout_ms = static_cast<int>(std::min<int64_t>(timeout, 24LL * 3600 * 1000));
    Result<HttpResponse> response = send(step, request);
    if (!response) return response.status();
    if (response->status < 200 || response->status >= 300) {
      return error_answer(step, request, *response, nullptr);
    }
    return Status::ok();
  }

 private:
  static std::string describe(const std::string& step, const HttpRequest& request) {
    return "MLflow export: " + step + ": " + request.method + " " + request.url;
  }

  Status error_answer(const std::string& step, const HttpRequest& request,
                      const HttpResponse& response, std::string* remote_error_code) const {
    std::string message =
        describe(step, request) + " answered HTTP " + std::to_string(response.status);
    json error = json::parse(response.body, nullptr, false);
    std::string code;
    if (error.is_object() && error.contains("error_code") && error["error_code"].is_string()) {
      code = error["error_code"].get<std::string>();
      message += " " + code;
      if (error.contains("message") && error["message"].is_string()) {
        message += ": " + error["message"].get<std::string>();
      }
    } else if (!response.body.empty()) {
      message += ": '" + excerpt(response.body) + "'";
    }
    if (attempts_ > 1) message += " (after " + std::to_string(attempts_) + " attempts)";
    if (remote_error_code != nullptr) *remote_error_code = code;
    bool denied = response.status == 401 || response.status == 403;
    return Status(denied ? ErrorCode::kUnauthenticated : ErrorCode::kInternal, message);
  }

  // Sends with MLflow's retry policy: connection failures and transient statuses are retried
  // up to target.retries times, waiting backoff_factor * 2^(n-1) + jitter before retry n.
  Result<HttpResponse> send(const std::string& step, HttpRequest& request) {
    if (!target_.token.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + target_.token);
    }
    const int max_attempts = 1 + std::clamp(target_.retries, 0, kMaxRetries);
    for (attempts_ = 1;; ++attempts_) {
      Result<HttpResponse> response = http_request(request);
      bool transport_failure = !response && (response.status().code() == ErrorCode::kInternal ||
                                             response.status().code() == ErrorCode::kTimeout);
      bool retry = transport_failure || (response && is_transient(response->status));
      if (!retry || attempts_ >= max_attempts) {
        if (response) return response;
        std::string message = "MLflow export: " + step + ": " + response.status().message();
        if (attempts_ > 1) message += " (after " + std::to_string(attempts_) + " attempts)";
        return Status(transport_failure ? ErrorCode::kInternal : response.status().code(), message);
      }
      std::this_thread::sleep_for(backoff(attempts_, response ? &*response : nullptr));
    }
  }

  std::chrono::milliseconds backoff(int retry, const HttpResponse* response) {
    if (response != nullptr && (response->status == 429 || response->status == 503)) {
      // urllib3 honours Retry-After (in seconds) on these answers instead of its backoff.
      const std::string* after = response->header("Retry-After");
      if (after != nullptr && !after->empty() && after->size() < 7 &&
          std::all_of(after->begin(), after->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::min(kMaxBackoff, std::chrono::milliseconds(std::stoll(*after) * 1000));
      }
    }
    int64_t factor = std::max(target_.backoff_factor_ms, 0);
    int64_t wait = std::min<int64_t>(factor << std::min(retry - 1, 20), kMaxBackoff.count());
    if (target_.backoff_jitter_ms > 0) {
      wait += std::uniform_int_distribution<int64_t>(0, target_.backoff_jitter_ms)(random_);
    }
    return std::chrono::milliseconds(wait);
  }

  const ExportTarget& target_;
  std::string base_;  // the tracking URI without a trailing '/'
  std::mt19937_64 random_;
  int attempts_ = 0;  // of the request last sent
};

Result<std::string> experiment_id_from(const json& answer, const std::string& name) {
  const json* experiment = answer.contains("experiment") ? &answer["experiment"] : nullptr;
  if (experiment == nullptr || !experiment->is_object() || !experiment->contains("experiment_id") ||
      !(*experiment)["experiment_id"].is_string()) {
    return Status(ErrorCode::kInternal, "MLflow export: get experiment by name: the answer for '" +
                                            name + "' has no experiment_id");
  }
  if (experiment->value("lifecycle_stage", std::string(kActive)) == kDeleted) {
    return Status(ErrorCode::kInternal,
                  "MLflow export: experiment '" + name +
                      "' is deleted on the remote; restore it there or export under another name");
  }
  return (*experiment)["experiment_id"].get<std::string>();
}

// MLflow's set_experiment: get by name, else create; losing a creation race means the
// experiment now exists, so get it again.
Result<std::string> ensure_experiment(MlflowClient& client, const std::string& name) {
  const std::string by_name = "/experiments/get-by-name?experiment_name=" + url_encode(name);
  std::string remote_code;
  Result<json> found = client.call("get experiment by name", "GET", by_name, nullptr, &remote_code);
  if (found) return experiment_id_from(*found, name);
  if (remote_code != "RESOURCE_DOES_NOT_EXIST") return found.status();

  json body = {{"name", name}};
  remote_code.clear();
  Result<json> created =
      client.call("create experiment", "POST", "/experiments/create", &body, &remote_code);
  if (created) {
    if (created->contains("experiment_id") && (*created)["experiment_id"].is_string()) {
      return (*created)["experiment_id"].get<std::string>();
    }
    return Status(ErrorCode::kInternal,
                  "MLflow export: create experiment: the answer has no experiment_id");
  }
  if (remote_code != "RESOURCE_ALREADY_EXISTS") return created.status();
  found = client.call("get experiment by name", "GET", by_name, nullptr);
  if (!found) return found.status();
  return experiment_id_from(*found, name);
}

// The active run of the experiment that an earlier export of `source_run_id` created.
Result<std::optional<RemoteRun>> find_exported_run(MlflowClient& client,
                                                   const std::string& experiment_id,
                                                   const std::string& source_run_id) {
  json body = {
      {"experiment_ids", json::array({experiment_id})},
      {"filter", std::string("tags.`") + kSourceRunIdTag + "` = '" + source_run_id + "'"},
      {"run_view_type", "ACTIVE_ONLY"},
      {"max_results", 1},
  };
  Result<json> answer = client.call("search runs", "POST", "/runs/search", &body);
  if (!answer) return answer.status();
  auto runs = answer->find("runs");
  if (runs == answer->end() || !runs->is_array() || runs->empty()) {
    return std::optional<RemoteRun>();
  }
  const json& first = (*runs)[0];
  RemoteRun run =
      remote_run_from(first.is_object() && first.contains("info") ? first["info"] : json());
  if (run.run_id.empty()) {
    return Status(ErrorCode::kInternal, "MLflow export: search runs: a run without run_id");
  }
  return std::optional<RemoteRun>(run);
}

// The run's tags with ours added, one value per key (the last), values within MLflow's limit.
std::vector<Tag> tags_to_send(const RunExport& in) {
  std::vector<Tag> tags;
  auto put = [&](const std::string& key, const std::string& value) {
    auto it = std::find_if(tags.begin(), tags.end(), [&](const Tag& t) { return t.key == key; });
    std::string v = truncate_chars(value, kMaxTagValueChars);
    if (it == tags.end()) {
      tags.push_back({key, std::move(v)});
    } else {
      it->value = std::move(v);
    }
  };
  for (const Tag& tag : in.run.tags) put(tag.key, tag.value);
  if (!in.run.info.run_name.empty()) put("mlflow.runName", in.run.info.run_name);
  put(kSourceRunIdTag, in.run.info.run_id);
  return tags;
}

std::vector<Param> params_to_send(const RunExport& in) {
  std::vector<Param> params;
  for (const Param& p : in.run.params) {
    auto it =
        std::find_if(params.begin(), params.end(), [&](const Param& q) { return q.key == p.key; });
    std::string value = truncate_chars(p.value, kMaxParamValueChars);
    if (it == params.end()) {
      params.push_back({p.key, std::move(value)});
    } else {
      it->value = std::move(value);
    }
  }
  return params;
}

std::vector<Metric> metrics_to_send(const RunExport& in) {
  std::vector<Metric> metrics = in.metric_history;
  std::set<std::string> keys;
  for (const Metric& m : in.metric_history) keys.insert(m.key);
  for (const Metric& latest : in.run.metrics) {
    if (keys.count(latest.key) == 0) metrics.push_back(latest);
  }
  return metrics;
}

json to_json(const Tag& t) { return {{"key", t.key}, {"value", t.value}}; }
json to_json(const Param& p) { return {{"key", p.key}, {"value", p.value}}; }
json to_json(const Metric& m) {
  return {{"key", m.key},
          {"value", metric_value(m.value)},
          {"timestamp", m.timestamp},
          {"step", m.step}};
}

// Splits params, tags and metrics into log-batch bodies within MLflow's limits: params and tags
// first (as MLflow's client fills its batches), then metrics up to the entity and size limits.
std::vector<json> log_batches(const std::string& run_id, const std::vector<Param>& params,
                              const std::vector<Tag>& tags, const std::vector<Metric>& metrics) {
  std::vector<json> batches;
  size_t p = 0, t = 0, m = 0;
  while (p < params.size() || t < tags.size() || m < metrics.size()) {
    json params_json = json::array(), tags_json = json::array(), metrics_json = json::array();
    size_t bytes = 100 + run_id.size();
    auto fits = [&](const json& item) {
      size_t size = dump(item).size() + 1;
      // An item larger than the whole budget still goes alone; the server will judge it.
      bool empty = params_json.empty() && tags_json.empty() && metrics_json.empty();
      if (!empty && bytes + size > kMaxBatchRequestBytes) return false;
      bytes += size;
      return true;
    };
    for (; p < params.size() && params_json.size() < kMaxParamsTagsPerBatch; ++p) {
      json item = to_json(params[p]);
      if (!fits(item)) break;
      params_json.push_back(std::move(item));
    }
    for (; t < tags.size() && tags_json.size() < kMaxParamsTagsPerBatch; ++t) {
      json item = to_json(tags[t]);
      if (!fits(item)) break;
      tags_json.push_back(std::move(item));
    }
    size_t room =
        std::min(kMaxMetricsPerBatch, kMaxEntitiesPerBatch - params_json.size() - tags_json.size());
    for (; m < metrics.size() && metrics_json.size() < room; ++m) {
      json item = to_json(metrics[m]);
      if (!fits(item)) break;
      metrics_json.push_back(std::move(item));
    }
    json body = {{"run_id", run_id}};
    if (!metrics_json.empty()) body["metrics"] = std::move(metrics_json);
    if (!params_json.empty()) body["params"] = std::move(params_json);
    if (!tags_json.empty()) body["tags"] = std::move(tags_json);
    batches.push_back(std::move(body));
  }
  return batches;
}

// The base URL that a proxied artifact URI ("mlflow-artifacts:/<path>" or, with its own host,
// "mlflow-artifacts://host[:port]/<path>") resolves to, as MLflowArtifactsRepository does: the
// tracking server's scheme, the URI's host if it names one, the tracking path prefix, then
// /api/2.0/mlflow-artifacts/artifacts/<path>.
Result<std::string> artifact_base_url(const std::string& tracking_base,
                                      const std::string& artifact_uri) {
  std::string_view rest =
      std::string_view(artifact_uri).substr(std::string_view(kArtifactsScheme).size());
  Result<Url> tracking = parse_url(tracking_base);
  if (!tracking) return tracking.status();
  std::string origin = tracking->origin();
  std::string prefix = tracking->target == "/" ? "" : tracking->target;
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view netloc = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (!netloc.empty()) origin = tracking->scheme + "://" + std::string(netloc);
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string url = origin + prefix + kArtifactsApi;
  if (!rest.empty()) url += "/" + url_encode(rest, /*keep_slashes=*/true);
  return url;
}

// runs/create with the source run's start time, name, user and tags.
Result<RemoteRun> create_run(MlflowClient& client, const std::string& experiment_id,
                             const RunInfo& info, const std::vector<Tag>& tags) {
  // MLflow's client stamps the current time when no start time is given.
  int64_t start_time = info.start_time > 0
                           ? info.start_time
                           : std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  json body = {{"experiment_id", experiment_id}, {"start_time", start_time}};
  if (!info.user_id.empty()) body["user_id"] = info.user_id;
  if (!info.run_name.empty()) body["run_name"] = info.run_name;
  json tags_json = json::array();
  for (const Tag& tag : tags) tags_json.push_back(to_json(tag));
  body["tags"] = std::move(tags_json);
  Result<json> created = client.call("create run", "POST", "/runs/create", &body);
  if (!created) return created.status();
  const json* run_info = nullptr;
  if (created->contains("run") && (*created)["run"].is_object() &&
      (*created)["run"].contains("info")) {
    run_info = &(*created)["run"]["info"];
  }
  RemoteRun remote = remote_run_from(run_info != nullptr ? *run_info : json());
  if (remote.run_id.empty()) {
    return Status(ErrorCode::kInternal, "MLflow export: create run: the answer has no run id");
  }
  return remote;
}

Status check_arguments(const RunExport& in) {
  auto invalid = [](const std::string& why) {
    return Status(ErrorCode::kInvalidConfig, "MLflow export: " + why);
  };
  if (in.experiment_name.empty()) return invalid("the experiment name is empty");
  if (!is_valid_run_id(in.run.info.run_id)) {
    return invalid("run id '" + in.run.info.run_id +
                   "' is not a valid MLflow run id (letters, digits, '_' and '-')");
  }
  for (const auto& [artifact_path, local_path] : in.artifacts) {
    if (!is_valid_artifact_path(artifact_path)) {
      return invalid("artifact path '" + artifact_path +
                     "' must be relative, without empty, '.' or '..' segments");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(local_path, ec)) {
      return invalid("artifact '" + artifact_path + "': local file '" + local_path +
                     "' does not exist or is not a regular file");
    }
  }
  return Status::ok();
}

Result<std::string> export_checked(const ExportTarget& target, const RunExport& in) {
  TRAIND_RETURN_IF_ERROR(check_arguments(in));
  Result<Url> url = parse_url(target.tracking_uri);
  if (!url) {
    return Status(ErrorCode::kInvalidConfig,
                  "MLflow export: tracking URI: " + url.status().message());
  }
  if (url->target.find('?') != std::string::npos) {
    return Status(ErrorCode::kInvalidConfig,
                  "MLflow export: the tracking URI must not have a query string");
  }
  std::string base = target.tracking_uri.substr(0, target.tracking_uri.find('#'));
  while (!base.empty() && base.back() == '/') base.pop_back();
  MlflowClient client(target, base);

  Result<std::string> experiment_id = ensure_experiment(client, in.experiment_name);
  if (!experiment_id) return experiment_id.status();

  const RunInfo& info = in.run.info;
  Result<std::optional<RemoteRun>> found = find_exported_run(client, *experiment_id, info.run_id);
  if (!found) return found.status();
  std::vector<Tag> tags = tags_to_send(in);
  RemoteRun remote;
  bool resumed = found->has_value();
  if (resumed) {
    remote = **found;
    // runs/update is the last request of an export: a run that already has the final status
    // got everything else before.
    if (is_terminal(remote.status) && remote.status == info.status) return remote.run_id;
  } else {
    Result<RemoteRun> created = create_run(client, *experiment_id, info, tags);
    if (!created) return created.status();
    remote = *created;
  }

  std::string artifacts_url;
  if (!in.artifacts.empty()) {
    if (remote.artifact_uri.rfind(kArtifactsScheme, 0) != 0) {
      return Status(ErrorCode::kInternal,
                    "MLflow export: remote run " + remote.run_id + " stores artifacts at '" +
                        remote.artifact_uri +
                        "', which the tracking server does not proxy; only 'mlflow-artifacts:' "
                        "URIs can be uploaded (run the server with --serve-artifacts), or export "
                        "without artifacts");
    }
    Result<std::string> resolved = artifact_base_url(base, remote.artifact_uri);
    if (!resolved) return resolved.status();
    artifacts_url = *resolved;
  }

  // A resumed run already has the tags it was created with; send them again in case they
  // changed since.
  std::vector<json> batches = log_batches(remote.run_id, params_to_send(in),
                                          resumed ? tags : std::vector<Tag>{}, metrics_to_send(in));
  for (size_t i = 0; i < batches.size(); ++i) {
    std::string step =
        "log batch " + std::to_string(i + 1) + " of " + std::to_string(batches.size());
    Result<json> logged = client.call(step, "POST", "/runs/log-batch", &batches[i]);
    if (!logged) return logged.status();
  }

  for (const auto& [artifact_path, local_path] : in.artifacts) {
    TRAIND_RETURN_IF_ERROR(client.upload("upload artifact '" + artifact_path + "'",
                                         artifacts_url + "/" + url_encode(artifact_path, true),
                                         local_path));
  }

  json update = {{"run_id", remote.run_id}, {"run_uuid", remote.run_id}, {"status", info.status}};
  if (info.end_time) update["end_time"] = *info.end_time;
  Result<json> updated = client.call("update run", "POST", "/runs/update", &update);
  if (!updated) return updated.status();
  return remote.run_id;
}

}  // namespace

Result<std::string> export_run(const ExportTarget& target, const RunExport& run) {
  try {
    return export_checked(target, run);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("MLflow export: ") + e.what());
  } catch (...) {
    return Status(ErrorCode::kInternal, "MLflow export: unknown error");
  }
}

}  // namespace traind::tracking
