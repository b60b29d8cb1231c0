#include "jobs/worker_job.h"

namespace traind::jobs {

nlohmann::json WorkerJob::to_json() const {
  nlohmann::json dbs = nlohmann::json::array();
  for (const auto& db : databases) {
    // The dsn goes to the worker (it must connect); the job file is private (0600).
    dbs.push_back({{"schema", db.schema}, {"type", db.type}, {"path", db.path}, {"dsn", db.dsn}});
  }
  return {{"job_id", job_id},
          {"tenant_id", tenant_id},
          {"config", config},
          {"databases", dbs},
          {"query_deadline_ms", query_deadline_ms},
          {"max_dataset_bytes", max_dataset_bytes},
          {"threads", threads},
          {"model_dir", model_dir}};
}

Result<WorkerJob> WorkerJob::from_json(const nlohmann::json& j) {
  auto bad = [](const std::string& path, const std::string& what) {
    return Status(ErrorCode::kInvalidConfig, "the job file is malformed: " + path + " " + what,
                  {{path, what}});
  };
  if (!j.is_object()) return bad("", "must be an object");
  WorkerJob job;
  for (const char* key : {"job_id", "tenant_id", "model_dir"}) {
    if (!j.contains(key) || !j[key].is_string())
      return bad(std::string("/") + key, "must be a string");
  }
  for (const char* key : {"query_deadline_ms", "max_dataset_bytes", "threads"}) {
    if (!j.contains(key) || !j[key].is_number_integer()) {
      return bad(std::string("/") + key, "must be an integer");
    }
  }
  if (!j.contains("config") || !j["config"].is_object()) return bad("/config", "must be an object");
  if (!j.contains("databases") || !j["databases"].is_array())
    return bad("/databases", "must be an array");
  job.job_id = j["job_id"].get<std::string>();
  job.tenant_id = j["tenant_id"].get<std::string>();
  job.model_dir = j["model_dir"].get<std::string>();
  job.query_deadline_ms = j["query_deadline_ms"].get<int64_t>();
  job.max_dataset_bytes = j["max_dataset_bytes"].get<int64_t>();
  job.threads = j["threads"].get<int>();
  job.config = j["config"];
  const auto& dbs = j["databases"];
  for (size_t i = 0; i < dbs.size(); ++i) {
    const auto& d = dbs[i];
    std::string path = "/databases/" + std::to_string(i);
    if (!d.is_object()) return bad(path, "must be an object");
    data::AttachedDatabase db;
    for (auto [key, field] : {std::pair{"schema", &db.schema}, std::pair{"type", &db.type},
                              std::pair{"path", &db.path}, std::pair{"dsn", &db.dsn}}) {
      if (!d.contains(key)) continue;
      if (!d[key].is_string()) return bad(path + "/" + key, "must be a string");
      *field = d[key].get<std::string>();
    }
    if (db.schema.empty()) return bad(path + "/schema", "must not be empty");
    job.databases.push_back(std::move(db));
  }
  return job;
}

}  // namespace traind::jobs
