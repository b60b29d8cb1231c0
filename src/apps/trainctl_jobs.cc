// The job commands: submit, validate, status, list, cancel, logs.
#include <iostream>

#include "apps/trainctl_commands.h"
#include "client/job_file.h"
#include "client/job_summary.h"
#include "tracking/http_client.h"

namespace traind::trainctl {
namespace {

using nlohmann::json;

// Loads a configuration file; an unreadable file is a usage error (2), a malformed one is
// refused (3) before anything is sent.
Result<json> load_config(const Session& session, const std::string& file, int* exit_code) {
  Result<json> config = client::load_document_file(file);
  if (!config) {
    *exit_code = config.status().code() == ErrorCode::kNotFound
                     ? session.usage_error(config.status().message())
                     : session.fail(config.status());
  }
  return config;
}

void append_query(std::string& query, const std::string& name, const std::string& value) {
  if (value.empty()) return;
  query += query.empty() ? "?" : "&";
  query += name + "=" + tracking::url_encode(value);
}

}  // namespace

std::string job_path(const std::string& job_id, const std::string& suffix) {
  return "/api/v1/ml/train/" + tracking::url_encode(job_id) + suffix;
}

int run_submit(const Session& session, const SubmitArgs& args) {
  int exit_code = 0;
  Result<json> config = load_config(session, args.file, &exit_code);
  if (!config) return exit_code;
  tracking::HttpHeaders headers;
  if (!args.idempotency_key.empty()) headers.emplace_back("Idempotency-Key", args.idempotency_key);
  Result<client::ApiResponse> answer =
      session.call("POST", "/api/v1/ml/train", config->dump(), headers);
  if (!answer) return session.fail(answer.status());
  json job = answer->json();
  std::string job_id = job.value("job_id", "");
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    std::cout << "submitted " << job_id << " (" << job.value("name", "") << ", "
              << job.value("algorithm", "") << ", " << job.value("status", "") << ")\n"
              << std::flush;
  }
  if (!args.watch) return client::kExitOk;
  return run_watch(session, job_id);
}

int run_validate(const Session& session, const std::string& file) {
  int exit_code = 0;
  Result<json> config = load_config(session, file, &exit_code);
  if (!config) return exit_code;
  Result<client::ApiResponse> answer =
      session.call("POST", "/api/v1/ml/train/validate", config->dump());
  if (!answer) return session.fail(answer.status());
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    json body = answer->json();
    std::cout << "valid: " << file << "\nresolved configuration:\n"
              << body.value("resolved", json::object()).dump(2) << '\n';
  }
  return client::kExitOk;
}

int run_status(const Session& session, const std::string& job_id) {
  Result<client::ApiResponse> answer = session.call("GET", job_path(job_id));
  if (!answer) return session.fail(answer.status());
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    std::cout << client::render_job_summary(answer->json(), session.color());
  }
  return client::kExitOk;
}

int run_list(const Session& session, const ListArgs& args) {
  std::string query;
  append_query(query, "status", args.status);
  append_query(query, "algorithm", args.algorithm);
  append_query(query, "name", args.name);
  if (args.limit > 0) append_query(query, "limit", std::to_string(args.limit));
  Result<client::ApiResponse> answer = session.call("GET", "/api/v1/ml/train" + query);
  if (!answer) return session.fail(answer.status());
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    std::cout << client::render_job_list(answer->json(), session.color());
  }
  return client::kExitOk;
}

int run_cancel(const Session& session, const std::string& job_id) {
  Result<client::ApiResponse> answer = session.call("DELETE", job_path(job_id));
  if (!answer) return session.fail(answer.status());
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    json job = answer->json();
    std::cout << "cancelled " << job_id << " (status: " << job.value("status", "?") << ")\n";
  }
  return client::kExitOk;
}

int run_logs(const Session& session, const LogsArgs& args) {
  std::string path = job_path(args.job_id, "/logs");
  if (args.tail_bytes > 0) path += "?tail_bytes=" + std::to_string(args.tail_bytes);
  Result<client::ApiResponse> answer = session.call("GET", path);
  if (!answer) return session.fail(answer.status());
  std::cout << answer->body << std::flush;
  return client::kExitOk;
}

}  // namespace traind::trainctl
