// TrackingStore: MLflow-style experiments and runs of every tenant, in one SQLite database
// (WAL, synchronous=NORMAL: metric history arrives every boosting round, and the jobs'
// own records stay in the metadata store, which is synced fully).
//
// Tenant walls live here: every call names the tenant, and an experiment or run of
// another tenant is kNotFound, exactly like one that does not exist. Each tenant has its
// own experiment-id space in which "0" is its Default experiment (made on first use).
// Thread-safe: one connection behind a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "tracking/run.h"

struct sqlite3;

namespace traind::tracking {

// MLflow's ViewType: which lifecycle stages a search returns.
enum class ViewType { kActiveOnly, kDeletedOnly, kAll };

struct NewRun {
  std::string experiment_id = "0";
  std::string run_id;  // "" = a new random id (32 hex digits, as MLflow's uuid4().hex)
  std::string run_name;
  std::string user_id;
  std::string status = "RUNNING";
  int64_t start_time = 0;
  std::vector<Tag> tags;
  bool job_run = false;  // recorded by traind for a job: clients may not log into it
};

class TrackingStore {
 public:
  // `artifact_root`: where runs' artifacts live, as <root>/<tenant>/<experiment>/<run>/artifacts.
  static Result<std::unique_ptr<TrackingStore>> open(const std::string& db_path,
                                                     const std::string& artifact_root);
  ~TrackingStore();

  // Experiments. kConflict when the name is taken (MLflow's RESOURCE_ALREADY_EXISTS).
  Result<Experiment> create_experiment(const std::string& tenant, const std::string& name,
                                       const std::vector<Tag>& tags, int64_t now_ms);
  Result<Experiment> experiment(const std::string& tenant, const std::string& experiment_id);
  Result<Experiment> experiment_by_name(const std::string& tenant, const std::string& name);
  // The active experiment of that name, created when there is none (jobs' runs). A deleted
  // experiment of that name is restored, as MLflow's set_experiment refuses it otherwise.
  Result<Experiment> ensure_experiment(const std::string& tenant, const std::string& name,
                                       int64_t now_ms);
  std::vector<Experiment> experiments(const std::string& tenant, ViewType view);
  Status rename_experiment(const std::string& tenant, const std::string& experiment_id,
                           const std::string& new_name, int64_t now_ms);
  // Deleting an experiment deletes its runs; restoring restores them (as MLflow does),
  // unless `with_runs` is false (a job recorded into a deleted experiment of its name
  // brings the experiment back, not the runs someone deleted with it).
  Status set_experiment_deleted(const std::string& tenant, const std::string& experiment_id,
                                bool deleted, int64_t now_ms, bool with_runs = true);
  Status set_experiment_tag(const std::string& tenant, const std::string& experiment_id,
                            const Tag& tag);

  // Runs.
  Result<Run> create_run(const std::string& tenant, const NewRun& run);
  Result<Run> run(const std::string& tenant, const std::string& run_id);
  Result<bool> is_job_run(const std::string& tenant, const std::string& run_id);
  // Fields left unset are unchanged.
  Result<RunInfo> update_run(const std::string& tenant, const std::string& run_id,
                             const std::optional<std::string>& status,
                             const std::optional<int64_t>& end_time,
                             const std::optional<std::string>& run_name,
                             const std::optional<int64_t>& start_time = std::nullopt);
  Status set_run_deleted(const std::string& tenant, const std::string& run_id, bool deleted);
  // MLflow's log_batch: params are immutable (the same value again is fine, another value
  // is kInvalidConfig), tags overwrite, metrics append to the history. The run must be
  // active, unless `any_stage` (traind recording a job's run, which a client may have
  // deleted: the record of the job is still completed). Everything is written or nothing.
  Status log_batch(const std::string& tenant, const std::string& run_id,
                   const std::vector<Metric>& metrics, const std::vector<Param>& params,
                   const std::vector<Tag>& tags, bool any_stage = false);
  Status delete_tag(const std::string& tenant, const std::string& run_id, const std::string& key);
  // Every value of one metric, in step then timestamp order.
  Result<std::vector<Metric>> metric_history(const std::string& tenant, const std::string& run_id,
                                             const std::string& key);
  // Every value of every metric of the run, in key, step and timestamp order.
  Result<std::vector<Metric>> full_metric_history(const std::string& tenant,
                                                  const std::string& run_id);
  // Every run of these experiments (of this tenant) in the given stages, with its data.
  std::vector<Run> runs(const std::string& tenant, const std::vector<std::string>& experiment_ids,
                        ViewType view);
  // Runs recorded for jobs, as (tenant, run_id): those in a final status, or those not yet
  // (for reconciliation at start-up).
  std::vector<std::pair<std::string, std::string>> job_runs(bool finished);

  // The directory holding a run's artifacts (not created here).
  std::string artifact_dir(const std::string& tenant, const RunInfo& run) const;

  bool healthy();

 private:
  TrackingStore(sqlite3* db, std::string artifact_root)
      : db_(db), artifact_root_(std::move(artifact_root)) {}
  Status ensure_default_experiment(const std::string& tenant);
  Result<Experiment> read_experiment(const std::string& tenant, const std::string& where,
                                     const std::string& value);
  Result<RunInfo> read_run_info(const std::string& tenant, const std::string& run_id);
  void read_run_data(Run& run);
  Status check_active_run(const std::string& tenant, const std::string& run_id);

  std::mutex mu_;
  sqlite3* db_;
  std::string artifact_root_;
};

// Whether a run status name is one MLflow knows, and whether it is final.
bool is_run_status(const std::string& status);
bool is_final_run_status(const std::string& status);

}  // namespace traind::tracking
