// Run artifacts as MLflow serves them: listing (/api/2.0/mlflow/artifacts/list), the
// artifact proxy (/api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>:
// GET download, PUT upload, and a GET listing with ?path=) and the UI's /get-artifact.
//
// An artifact path is only ever joined under the run's own directory after it is checked:
// relative, no "." or ".." segment, no backslash or NUL. A run of another tenant is not
// found, exactly like an unknown one.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/error_response.h"
#include "api/mlflow_request.h"
#include "core/ids.h"
#include "tracking/page_token.h"

namespace traind::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kProxyScheme = "mlflow-artifacts:/";

Status bad_path(const std::string& path) {
  return Status(ErrorCode::kInvalidConfig,
                fmt::format("Invalid artifact path: '{}'. Artifact paths are relative to the run's "
                            "artifact root and may not contain '..', '.', empty segments, "
                            "backslashes or NUL",
                            path));
}

// One round of %XX decoding.
std::string percent_decoded(const std::string& s) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<std::string> checked_segments(const std::string& path);

// "" (the root) or a/b/c with ordinary segments. As MLflow's validate_path_is_safe, the
// path is also decoded again and again ("%252e%252e" -> "%2e%2e" -> ".."), and refused
// when any decoding of it would escape.
Result<std::string> checked_relative_path(const std::string& path) {
  std::string decoded = path;
  for (int round = 0; round < 5; ++round) {
    std::string next = percent_decoded(decoded);
    if (next == decoded) break;
    decoded = std::move(next);
    if (!checked_segments(decoded).is_ok()) return bad_path(path);
  }
  return checked_segments(path);
}

Result<std::string> checked_segments(const std::string& path) {
  if (path.empty()) return std::string();
  if (path.front() == '/' || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos) {
    return bad_path(path);
  }
  std::string out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(start, end - start);
    if (segment.empty()) {
      if (end == path.size()) break;  // one trailing slash ("dir/") names the directory
      return bad_path(path);
    }
    if (segment == "." || segment == "..") return bad_path(path);
    out += (out.empty() ? "" : "/") + segment;
    start = end + 1;
  }
  return out;
}

struct ArtifactTarget {
  tracking::RunInfo run;
  std::string root;      // the run's artifact directory on disk
  std::string relative;  // checked path below it ("" = the root)
  std::string disk() const { return relative.empty() ? root : root + "/" + relative; }
};

Result<ArtifactTarget> run_target(const HandlerContext& ctx, const std::string& tenant,
                                  const std::string& run_id, const std::string& path) {
  TRAIND_ASSIGN_OR_RETURN(run, ctx.service.tracking().run(tenant, run_id));
  TRAIND_ASSIGN_OR_RETURN(relative, checked_relative_path(path));
  return ArtifactTarget{run.info, ctx.service.tracking().artifact_dir(tenant, run.info), relative};
}

// "<experiment>/<run>/artifacts[/<path>]", as the proxy routes name an artifact.
Result<ArtifactTarget> proxy_target(const HandlerContext& ctx, const std::string& tenant,
                                    const std::string& proxy_path) {
  TRAIND_ASSIGN_OR_RETURN(checked, checked_relative_path(proxy_path));
  const size_t a = checked.find('/');
  const size_t b = a == std::string::npos ? a : checked.find('/', a + 1);
  const size_t c = b == std::string::npos ? b : checked.find('/', b + 1);
  const std::string third =
      b == std::string::npos ? "" : checked.substr(b + 1, c == std::string::npos ? c : c - b - 1);
  if (b == std::string::npos || third != "artifacts") {
    return Status(ErrorCode::kNotFound,
                  fmt::format("No artifact at '{}': paths are <experiment_id>/<run_id>/artifacts/"
                              "<path>",
                              proxy_path));
  }
  const std::string experiment_id = checked.substr(0, a);
  const std::string run_id = checked.substr(a + 1, b - a - 1);
  TRAIND_ASSIGN_OR_RETURN(
      target, run_target(ctx, tenant, run_id, c == std::string::npos ? "" : checked.substr(c + 1)));
  if (target.run.experiment_id != experiment_id ||
      target.run.artifact_uri.rfind(kProxyScheme, 0) != 0) {
    return Status(ErrorCode::kNotFound, fmt::format("Run with id={} not found", run_id));
  }
  return target;
}

json file_infos(const std::string& dir, const std::string& prefix) {
  json files = json::array();
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto& x, const auto& y) { return x.path().filename() < y.path().filename(); });
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".tmp", 0) == 0 || name.find(".tmp.") != std::string::npos) continue;
    json info = {{"path", prefix.empty() ? name : prefix + "/" + name}};
    if (entry.is_directory(ec)) {
      info["is_dir"] = true;
    } else {
      info["is_dir"] = false;
      info["file_size"] = static_cast<int64_t>(entry.file_size(ec));
    }
    files.push_back(std::move(info));
  }
  return files;
}

Result<Response> file_response(const std::string& path, const std::string& shown) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status(ErrorCode::kNotFound, fmt::format("No artifact found at '{}'", shown));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, fmt::format("No artifact found at '{}'", shown));
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.body = ss.str();
  const bool is_json = shown.size() >= 5 && shown.compare(shown.size() - 5, 5, ".json") == 0;
  r.set_header("Content-Type", is_json ? "application/json" : "application/octet-stream");
  const std::string name = fs::path(shown).filename().string();
  r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
  return r;
}

// GET /api/2.0/mlflow/artifacts/list?run_id=&path=
Result<Response> list_artifacts(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  std::string run_id;
  for (const char* key : {"run_id", "run_uuid"}) {
    TRAIND_ASSIGN_OR_RETURN(v, optional_string(m, key));
    if (v && !v->empty() && run_id.empty()) run_id = *v;
  }
  if (run_id.empty()) TRAIND_RETURN_IF_ERROR(required_string(m, "run_id").status());
  TRAIND_ASSIGN_OR_RETURN(path, optional_string(m, "path"));
  TRAIND_ASSIGN_OR_RETURN(target, run_target(ctx, tenant, run_id, path.value_or("")));
  json body = {{"root_uri", target.run.artifact_uri}};
  json files = file_infos(target.disk(), target.relative);
  if (!files.empty()) body["files"] = std::move(files);
  return mlflow_ok(body);
}

// GET /api/2.0/mlflow-artifacts/artifacts?path=<experiment>/<run>/artifacts[/sub]
Result<Response> proxy_list(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(path, required_string(m, "path"));
  TRAIND_ASSIGN_OR_RETURN(target, proxy_target(ctx, tenant, path));
  json body = json::object();
  // The proxy lists names relative to the listed directory, as MLflow's artifact server.
  json files = file_infos(target.disk(), "");
  if (!files.empty()) body["files"] = std::move(files);
  return mlflow_ok(body);
}

Result<Response> proxy_download(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(target, proxy_target(ctx, tenant, ctx.param("path")));
  if (target.relative.empty()) {
    return Status(ErrorCode::kInvalidConfig, "name an artifact file to download");
  }
  return file_response(target.disk(), target.relative);
}

Result<Response> proxy_upload(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(target, proxy_target(ctx, tenant, ctx.param("path")));
  if (target.relative.empty()) {
    return Status(ErrorCode::kInvalidConfig, "name the artifact file to upload");
  }
  TRAIND_ASSIGN_OR_RETURN(job_run, ctx.service.tracking().is_job_run(tenant, target.run.run_id));
  if (job_run) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Run '{}' records a traind training job; its artifacts are the "
                              "job's and cannot be replaced",
                              target.run.run_id));
  }
  if (target.run.lifecycle_stage != tracking::kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("The run {} must be in the 'active' state. Current state is {}.",
                              target.run.run_id, target.run.lifecycle_stage));
  }
  const fs::path file = target.disk();
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec || fs::is_directory(file, ec)) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("cannot write the artifact '{}'", target.relative));
  }
  // Written beside and renamed: a reader never sees half an artifact.
  const fs::path tmp = file.parent_path() / (".tmp." + random_hex(8));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(ctx.request.body.data(), static_cast<std::streamsize>(ctx.request.body.size()));
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return Status(ErrorCode::kInternal, "the artifact could not be written");
    }
  }
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status(ErrorCode::kInternal, "the artifact could not be stored");
  }
  return mlflow_ok();
}

// GET /get-artifact?path=&run_uuid= (MLflow's UI).
Result<Response> ui_get_artifact(const HandlerContext& ctx) {
  TRAIND_ASSIGN_OR_RETURN(tenant, mlflow_tenant(ctx));
  TRAIND_ASSIGN_OR_RETURN(m, mlflow_message(ctx));
  TRAIND_ASSIGN_OR_RETURN(run_id, required_string(m, "run_uuid"));
  TRAIND_ASSIGN_OR_RETURN(path, required_string(m, "path"));
  TRAIND_ASSIGN_OR_RETURN(target, run_target(ctx, tenant, run_id, path));
  return file_response(target.disk(), target.relative);
}

}  // namespace

void add_mlflow_artifact_routes(const MlflowRouteAdder& add_tracking,
                                const MlflowRouteAdder& add_exact) {
  add_tracking("GET", "artifacts/list", list_artifacts);
  add_exact("GET", "/api/2.0/mlflow-artifacts/artifacts", proxy_list);
  add_exact("GET", "/api/2.0/mlflow-artifacts/artifacts/{path...}", proxy_download);
  add_exact("PUT", "/api/2.0/mlflow-artifacts/artifacts/{path...}", proxy_upload);
  add_exact("GET", "/get-artifact", ui_get_artifact);
  add_exact("GET", "/ajax-api/2.0/mlflow/get-artifact", ui_get_artifact);
}

}  // namespace traind::api
