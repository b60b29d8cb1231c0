// Follows one training job until it ends: its Server-Sent Events stream
// (GET /api/v1/ml/train/<id>/events), reconnecting once if the stream drops, then polling
// GET /api/v1/ml/train/<id>. Every event (the first is a snapshot of the job) goes to the
// caller as it arrives; polled job records are handed over as "status" events.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "client/api_client.h"
#include "core/status.h"

namespace traind::client {

// A status that a job never leaves.
bool is_terminal_status(const std::string& status);

struct WatchOptions {
  int idle_timeout_ms = 60000;  // silence on the stream that counts as a dropped connection
  int poll_interval_ms = 1000;
  // Told when the watcher changes course ("event stream dropped; reconnecting").
  std::function<void(const std::string&)> on_notice;
};

// `event` is the parsed JSON; `raw` its text as the server sent it.
using OnJobEvent = std::function<void(const nlohmann::json& event, const std::string& raw)>;

// Returns the job's final record (the terminal status event, or the polled record). An API
// error (unknown job, bad key) is returned as its Status, a server that cannot be reached as
// the ApiClient's transport Status.
Result<nlohmann::json> watch_job(const ApiClient& client, const std::string& job_id,
                                 const OnJobEvent& on_event, const WatchOptions& options = {});

}  // namespace traind::client
