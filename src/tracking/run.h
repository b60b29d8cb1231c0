// MLflow's tracking entities as traind stores them: experiments, runs and what a run
// carries (params, metrics with their history, tags). Field names and meanings follow
// MLflow's REST API (mlflow/protos/service.proto); times are milliseconds since the epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace traind::tracking {

// MLflow's lifecycle stages and run statuses, as their wire names.
inline constexpr const char* kActive = "active";
inline constexpr const char* kDeleted = "deleted";

struct Tag {
  std::string key;
  std::string value;
};

struct Param {
  std::string key;
  std::string value;
};

struct Metric {
  std::string key;
  double value = 0.0;
  int64_t timestamp = 0;  // ms since the epoch
  int64_t step = 0;
};

struct Experiment {
  std::string experiment_id;  // decimal string, unique within a tenant ("0" = Default)
  std::string name;
  std::string artifact_location;
  std::string lifecycle_stage = kActive;
  int64_t creation_time = 0;
  int64_t last_update_time = 0;
  std::vector<Tag> tags;
};

struct RunInfo {
  std::string run_id;  // also MLflow's deprecated run_uuid
  std::string run_name;
  std::string experiment_id;
  std::string user_id;
  std::string status = "RUNNING";  // RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
  int64_t start_time = 0;
  std::optional<int64_t> end_time;  // unset while the run is not finished
  std::string artifact_uri;
  std::string lifecycle_stage = kActive;
};

struct Run {
  RunInfo info;
  std::vector<Metric> metrics;  // the latest value of each key (MLflow's run.data.metrics)
  std::vector<Param> params;
  std::vector<Tag> tags;

  // The value of a param, tag or latest metric, if the run has it.
  const Param* param(const std::string& key) const;
  const Tag* tag(const std::string& key) const;
  const Metric* metric(const std::string& key) const;
};

// A name for a run created without one, in the form MLflow gives such runs:
// "<adjective>-<noun>-<0..999>" (e.g. "brisk-heron-417").
std::string random_run_name();

}  // namespace traind::tracking
