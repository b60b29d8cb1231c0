// Export of a finished traind run to an external MLflow 2.x tracking server, over MLflow's
// REST API the way MLflow's own Python client speaks it (rest_store.py, rest_utils.py,
// http_artifact_repo.py). Blocking; safe to call from several threads at once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "tracking/run.h"

namespace traind::tracking {

// The tag on the remote run that names the traind run it came from; a later export of the same
// run finds the remote run by it instead of creating another.
inline constexpr const char* kSourceRunIdTag = "traind.source_run_id";

struct ExportTarget {
  std::string tracking_uri;  // "http(s)://host[:port][/path prefix]"
  std::string token;         // sent as "Authorization: Bearer <token>" when not empty
  int timeout_ms = 10000;    // per request
  // Further attempts of one request after a connection error or a 408/429/5xx answer. MLflow's
  // client allows fewer than 10 (_MLFLOW_HTTP_REQUEST_MAX_RETRIES_LIMIT); more are clamped.
  int retries = 3;
  // Wait before retry n: backoff_factor_ms * 2^(n-1) plus up to backoff_jitter_ms at random,
  // at most 120 s; a Retry-After answer (413/429/503) is honoured within the same bound. These
  // are MLflow's MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR / _JITTER defaults (2 s, 1 s).
  int backoff_factor_ms = 2000;
  int backoff_jitter_ms = 1000;
};

struct RunExport {
  std::string experiment_name;  // created on the remote when missing
  Run run;  // info (run_id, run_name, user_id, start_time, end_time, status), params, tags
  // Every logged metric value with its step and timestamp. A key of run.metrics that has no
  // entry here is sent once as its latest value, so no metric is lost.
  std::vector<Metric> metric_history;
  std::vector<std::pair<std::string, std::string>> artifacts;  // (path in the run, local file)
};

// Logs the run on the remote and returns the remote run id. Idempotent per source run: the
// remote run carries kSourceRunIdTag = run.info.run_id; when an active run with that tag exists
// in the experiment it is reused (resumed if it is still RUNNING there, left alone if it already
// has the source run's final status) rather than duplicated.
// Errors: kInvalidConfig when the arguments are unusable (nothing was sent), kUnauthenticated
// when the remote answers 401/403, else kInternal. Messages name the step, the URL (never the
// token) and the remote's error_code and message.
Result<std::string> export_run(const ExportTarget& target, const RunExport& run);

}  // namespace traind::tracking
