#include "jobs/job_record.h"

#include "core/clock.h"

namespace traind::jobs {
namespace {

nlohmann::json time_or_null(int64_t ms) {
  return ms > 0 ? nlohmann::json(format_rfc3339(ms)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json JobRecord::to_json(bool include_config) const {
  nlohmann::json j = nlohmann::json::object();
  j["job_id"] = job_id;
  j["name"] = name;
  j["tenant_id"] = tenant_id;
  j["algorithm"] = algorithm;
  j["task_type"] = task_type;
  j["status"] = job_status_name(status);
  nlohmann::json p = progress.is_object() ? progress : nlohmann::json::object();
  // A job that never reported progress is in the first phase of where it got to.
  if (!p.contains("phase")) p["phase"] = started_at_ms == 0 ? "queued" : "loading_data";
  j["progress"] = p;
  j["created_at"] = time_or_null(created_at_ms);
  j["started_at"] = time_or_null(started_at_ms);
  j["finished_at"] = time_or_null(finished_at_ms);
  if (include_config) j["config"] = config;
  j["resources"] = resources;
  if (!error.is_null()) j["error"] = error;
  if (status == JobStatus::kCompleted && result.is_object()) {
    // The seed's result fields sit at the top level of a completed job.
    for (const char* key :
         {"metrics", "feature_importance", "feature_importance_type", "training_duration_seconds",
          "timings", "data_summary", "forecast", "series_metrics"}) {
      if (result.contains(key)) j[key] = result[key];
    }
    // A forecast's fitted parameters (ARIMA orders, coefficients, criteria; Prophet's
    // changepoints and rates) are part of its answer (API.md "Forecasting configuration").
    if (task_type == "forecasting" && result.contains("model")) j["model"] = result["model"];
    // The points to plot (a few hundred per curve): in the job's own record, not in lists.
    if (include_config && result.contains("curves")) j["curves"] = result["curves"];
    j["model_artifact_id"] = model_artifact_id;
  }
  return j;
}

nlohmann::json status_event(const JobRecord& job) {
  nlohmann::json event = {{"type", "status"}};
  event.update(job.to_json(true));
  return event;
}

}  // namespace traind::jobs
