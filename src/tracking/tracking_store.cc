#include "tracking/tracking_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/ids.h"
#include "core/sqlite_statement.h"

namespace traind::tracking {
namespace {

using Statement = SqliteStatement;

// Experiment ids are per tenant; run ids are global (a random 32-hex id, or a job id),
// but every lookup of a run still names its tenant.
const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS experiments (
  tenant_id TEXT NOT NULL, experiment_id INTEGER NOT NULL, name TEXT NOT NULL,
  artifact_location TEXT NOT NULL, lifecycle_stage TEXT NOT NULL,
  creation_time INTEGER NOT NULL, last_update_time INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, experiment_id), UNIQUE (tenant_id, name));
CREATE TABLE IF NOT EXISTS experiment_tags (
  tenant_id TEXT NOT NULL, experiment_id INTEGER NOT NULL, key TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY (tenant_id, experiment_id, key));
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT UNIQUE NOT NULL,
  tenant_id TEXT NOT NULL, experiment_id INTEGER NOT NULL, run_name TEXT NOT NULL,
  user_id TEXT NOT NULL, status TEXT NOT NULL, start_time INTEGER NOT NULL,
  end_time INTEGER, artifact_uri TEXT NOT NULL, lifecycle_stage TEXT NOT NULL,
  job_run INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS runs_by_experiment ON runs (tenant_id, experiment_id);
CREATE TABLE IF NOT EXISTS params (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, key TEXT NOT NULL,
  value TEXT NOT NULL, UNIQUE (run_id, key));
CREATE TABLE IF NOT EXISTS tags (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, key TEXT NOT NULL,
  value TEXT NOT NULL, UNIQUE (run_id, key));
CREATE TABLE IF NOT EXISTS metrics (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, is_nan INTEGER NOT NULL,
  timestamp INTEGER NOT NULL, step INTEGER NOT NULL);
-- As MLflow's SQL store: the same value logged twice at the same step and time is one row
-- (a retried or resumed export does not double the history).
CREATE UNIQUE INDEX IF NOT EXISTS metrics_by_key ON metrics (run_id, key, step, timestamp, value,
                                                          is_nan);
CREATE TABLE IF NOT EXISTS latest_metrics (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, key TEXT NOT NULL,
  value REAL NOT NULL, is_nan INTEGER NOT NULL, timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL, UNIQUE (run_id, key));
)sql";

Status internal(const std::string& what, const std::string& detail) {
  return Status(ErrorCode::kInternal, fmt::format("tracking store: {}: {}", what, detail));
}

Status experiment_not_found(const std::string& id) {
  return Status(ErrorCode::kNotFound, fmt::format("No Experiment with id={} exists", id));
}

Status run_not_found(const std::string& run_id) {
  return Status(ErrorCode::kNotFound, fmt::format("Run with id={} not found", run_id));
}

// Experiment ids are decimal strings on the wire; anything else names no experiment.
std::optional<int64_t> parse_experiment_id(const std::string& id) {
  if (id.empty() || id.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

const char* stage_filter(ViewType view) {
  switch (view) {
    case ViewType::kActiveOnly:
      return "('active')";
    case ViewType::kDeletedOnly:
      return "('deleted')";
    case ViewType::kAll:
      break;
  }
  return "('active','deleted')";
}

// MLflow stores NaN in a separate flag (SQLite would turn it into NULL).
double stored_value(double v) { return std::isnan(v) ? 0.0 : v; }
double loaded_value(double v, bool is_nan) { return is_nan ? std::nan("") : v; }

// MLflow's rule for the latest value of a metric: the highest step, then the latest
// timestamp, then the largest value.
bool newer_than(const Metric& a, const Metric& b) {
  if (a.step != b.step) return a.step > b.step;
  if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {
    ok_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Transaction() {
    if (ok_ && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool ok() const { return ok_; }
  bool commit() {
    done_ = true;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool done_ = false;
};

}  // namespace

bool is_run_status(const std::string& s) {
  return s == "RUNNING" || s == "SCHEDULED" || s == "FINISHED" || s == "FAILED" || s == "KILLED";
}

bool is_final_run_status(const std::string& s) {
  return s == "FINISHED" || s == "FAILED" || s == "KILLED";
}

Result<std::unique_ptr<TrackingStore>> TrackingStore::open(const std::string& db_path,
                                                           const std::string& artifact_root) {
  TRAIND_ASSIGN_OR_RETURN(db, open_sqlite_store(db_path, "NORMAL", kSchema));
  return std::unique_ptr<TrackingStore>(new TrackingStore(db, artifact_root));
}

TrackingStore::~TrackingStore() { sqlite3_close(db_); }

bool TrackingStore::healthy() {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT count(*) FROM experiments");
  return s.step() == SQLITE_ROW;
}

std::string TrackingStore::artifact_dir(const std::string& tenant, const RunInfo& run) const {
  return fmt::format("{}/{}/{}/{}/artifacts", artifact_root_, tenant, run.experiment_id,
                     run.run_id);
}

// ---- Experiments -----------------------------------------------------------------------

Status TrackingStore::ensure_default_experiment(const std::string& tenant) {
  Statement s(db_,
              "INSERT OR IGNORE INTO experiments (tenant_id, experiment_id, name, "
              "artifact_location, lifecycle_stage, creation_time, last_update_time) "
              "VALUES (?, 0, 'Default', 'mlflow-artifacts:/0', 'active', 0, 0)");
  s.bind(tenant);
  if (s.step() != SQLITE_DONE) return internal("default experiment", s.error());
  return Status::ok();
}

Result<Experiment> TrackingStore::read_experiment(const std::string& tenant,
                                                  const std::string& where,
                                                  const std::string& value) {
  TRAIND_RETURN_IF_ERROR(ensure_default_experiment(tenant));
  Statement s(db_, fmt::format("SELECT experiment_id, name, artifact_location, lifecycle_stage, "
                               "creation_time, last_update_time FROM experiments "
                               "WHERE tenant_id = ? AND {} = ?",
                               where));
  s.bind(tenant);
  if (where == "experiment_id") {
    auto id = parse_experiment_id(value);
    if (!id) return experiment_not_found(value);
    s.bind(*id);
  } else {
    s.bind(value);
  }
  if (s.step() != SQLITE_ROW) {
    if (where == "experiment_id") return experiment_not_found(value);
    return Status(ErrorCode::kNotFound,
                  fmt::format("Could not find experiment with name '{}'", value));
  }
  Experiment e;
  e.experiment_id = std::to_string(s.integer(0));
  e.name = s.text(1);
  e.artifact_location = s.text(2);
  e.lifecycle_stage = s.text(3);
  e.creation_time = s.integer(4);
  e.last_update_time = s.integer(5);
  Statement t(db_,
              "SELECT key, value FROM experiment_tags WHERE tenant_id = ? AND experiment_id = ? "
              "ORDER BY key");
  t.bind(tenant).bind(s.integer(0));
  while (t.step() == SQLITE_ROW) e.tags.push_back({t.text(0), t.text(1)});
  return e;
}

Result<Experiment> TrackingStore::create_experiment(const std::string& tenant,
                                                    const std::string& name,
                                                    const std::vector<Tag>& tags, int64_t now_ms) {
  std::lock_guard lock(mu_);
  TRAIND_RETURN_IF_ERROR(ensure_default_experiment(tenant));
  Transaction tx(db_);
  if (!tx.ok()) return internal("create experiment", sqlite3_errmsg(db_));
  Statement exists(db_, "SELECT 1 FROM experiments WHERE tenant_id = ? AND name = ?");
  exists.bind(tenant).bind(name);
  if (exists.step() == SQLITE_ROW) {
    return Status(ErrorCode::kConflict, fmt::format("Experiment(name={}) already exists.", name));
  }
  Statement next(db_,
                 "SELECT coalesce(max(experiment_id), 0) + 1 FROM experiments WHERE tenant_id = ?");
  next.bind(tenant);
  if (next.step() != SQLITE_ROW) return internal("create experiment", next.error());
  const int64_t id = next.integer(0);
  Statement ins(db_,
                "INSERT INTO experiments (tenant_id, experiment_id, name, artifact_location, "
                "lifecycle_stage, creation_time, last_update_time) VALUES (?,?,?,?,'active',?,?)");
  ins.bind(tenant).bind(id).bind(name).bind(fmt::format("mlflow-artifacts:/{}", id));
  ins.bind(now_ms).bind(now_ms);
  if (ins.step() != SQLITE_DONE) return internal("create experiment", ins.error());
  for (const Tag& tag : tags) {
    Statement t(db_,
                "INSERT OR REPLACE INTO experiment_tags (tenant_id, experiment_id, key, value) "
                "VALUES (?,?,?,?)");
    t.bind(tenant).bind(id).bind(tag.key).bind(tag.value);
    if (t.step() != SQLITE_DONE) return internal("create experiment", t.error());
  }
  if (!tx.commit()) return internal("create experiment", sqlite3_errmsg(db_));
  return read_experiment(tenant, "experiment_id", std::to_string(id));
}

Result<Experiment> TrackingStore::experiment(const std::string& tenant,
                                             const std::string& experiment_id) {
  std::lock_guard lock(mu_);
  return read_experiment(tenant, "experiment_id", experiment_id);
}

Result<Experiment> TrackingStore::experiment_by_name(const std::string& tenant,
                                                     const std::string& name) {
  std::lock_guard lock(mu_);
  return read_experiment(tenant, "name", name);
}

Result<Experiment> TrackingStore::ensure_experiment(const std::string& tenant,
                                                    const std::string& name, int64_t now_ms) {
  auto found = experiment_by_name(tenant, name);
  if (found.is_ok()) {
    if (found->lifecycle_stage == kDeleted) {
      TRAIND_RETURN_IF_ERROR(
          set_experiment_deleted(tenant, found->experiment_id, false, now_ms, false));
      return experiment(tenant, found->experiment_id);
    }
    return found;
  }
  if (found.status().code() != ErrorCode::kNotFound) return found.status();
  auto created = create_experiment(tenant, name, {}, now_ms);
  // Another thread may have created it between the two calls.
  if (!created.is_ok() && created.status().code() == ErrorCode::kConflict) {
    return experiment_by_name(tenant, name);
  }
  return created;
}

std::vector<Experiment> TrackingStore::experiments(const std::string& tenant, ViewType view) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    if (!ensure_default_experiment(tenant).is_ok()) return {};
    Statement s(db_, fmt::format("SELECT experiment_id FROM experiments WHERE tenant_id = ? AND "
                                 "lifecycle_stage IN {} ORDER BY experiment_id",
                                 stage_filter(view)));
    s.bind(tenant);
    while (s.step() == SQLITE_ROW) ids.push_back(std::to_string(s.integer(0)));
  }
  std::vector<Experiment> out;
  for (const std::string& id : ids) {
    auto e = experiment(tenant, id);
    if (e.is_ok()) out.push_back(std::move(e).value());
  }
  return out;
}

Status TrackingStore::rename_experiment(const std::string& tenant, const std::string& experiment_id,
                                        const std::string& new_name, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto e = read_experiment(tenant, "experiment_id", experiment_id);
  if (!e.is_ok()) return e.status();
  if (e->lifecycle_stage != kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  "Cannot rename a non-active experiment: " + experiment_id);
  }
  Statement taken(db_, "SELECT 1 FROM experiments WHERE tenant_id = ? AND name = ?");
  taken.bind(tenant).bind(new_name);
  if (taken.step() == SQLITE_ROW && e->name != new_name) {
    return Status(ErrorCode::kConflict,
                  fmt::format("Experiment(name={}) already exists.", new_name));
  }
  Statement s(db_,
              "UPDATE experiments SET name = ?, last_update_time = ? WHERE tenant_id = ? AND "
              "experiment_id = ?");
  s.bind(new_name).bind(now_ms).bind(tenant).bind(*parse_experiment_id(experiment_id));
  if (s.step() != SQLITE_DONE) return internal("rename experiment", s.error());
  return Status::ok();
}

Status TrackingStore::set_experiment_deleted(const std::string& tenant,
                                             const std::string& experiment_id, bool deleted,
                                             int64_t now_ms, bool with_runs) {
  std::lock_guard lock(mu_);
  auto e = read_experiment(tenant, "experiment_id", experiment_id);
  if (!e.is_ok()) return e.status();
  const int64_t id = *parse_experiment_id(experiment_id);
  if (deleted && e->lifecycle_stage == kDeleted) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Cannot delete an already deleted experiment: {}", experiment_id));
  }
  if (!deleted && e->lifecycle_stage == kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("Cannot restore an active experiment: {}", experiment_id));
  }
  if (deleted && id == 0) {
    return Status(ErrorCode::kInvalidConfig,
                  "Cannot delete the default experiment '0'. This is "
                  "an internally reserved experiment.");
  }
  const char* stage = deleted ? kDeleted : kActive;
  Transaction tx(db_);
  if (!tx.ok()) return internal("delete experiment", sqlite3_errmsg(db_));
  Statement s(db_,
              "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE "
              "tenant_id = ? AND experiment_id = ?");
  s.bind(stage).bind(now_ms).bind(tenant).bind(id);
  if (s.step() != SQLITE_DONE) return internal("delete experiment", s.error());
  if (with_runs) {
    Statement r(db_,
                "UPDATE runs SET lifecycle_stage = ? WHERE tenant_id = ? AND experiment_id = ?");
    r.bind(stage).bind(tenant).bind(id);
    if (r.step() != SQLITE_DONE) return internal("delete experiment", r.error());
  }
  if (!tx.commit()) return internal("delete experiment", sqlite3_errmsg(db_));
  return Status::ok();
}

Status TrackingStore::set_experiment_tag(const std::string& tenant,
                                         const std::string& experiment_id, const Tag& tag) {
  std::lock_guard lock(mu_);
  auto e = read_experiment(tenant, "experiment_id", experiment_id);
  if (!e.is_ok()) return e.status();
  if (e->lifecycle_stage != kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("The experiment {} must be in the 'active' state. Current state is "
                              "deleted.",
                              experiment_id));
  }
  Statement s(db_,
              "INSERT OR REPLACE INTO experiment_tags (tenant_id, experiment_id, key, value) "
              "VALUES (?,?,?,?)");
  s.bind(tenant).bind(*parse_experiment_id(experiment_id)).bind(tag.key).bind(tag.value);
  if (s.step() != SQLITE_DONE) return internal("set experiment tag", s.error());
  return Status::ok();
}

// ---- Runs ------------------------------------------------------------------------------

Result<RunInfo> TrackingStore::read_run_info(const std::string& tenant, const std::string& run_id) {
  Statement s(db_,
              "SELECT run_id, run_name, experiment_id, user_id, status, start_time, end_time, "
              "artifact_uri, lifecycle_stage FROM runs WHERE run_id = ? AND tenant_id = ?");
  s.bind(run_id).bind(tenant);
  if (s.step() != SQLITE_ROW) return run_not_found(run_id);
  RunInfo info;
  info.run_id = s.text(0);
  info.run_name = s.text(1);
  info.experiment_id = std::to_string(s.integer(2));
  info.user_id = s.text(3);
  info.status = s.text(4);
  info.start_time = s.integer(5);
  if (!s.is_null(6)) info.end_time = s.integer(6);
  info.artifact_uri = s.text(7);
  info.lifecycle_stage = s.text(8);
  return info;
}

void TrackingStore::read_run_data(Run& run) {
  const std::string& id = run.info.run_id;
  Statement p(db_, "SELECT key, value FROM params WHERE run_id = ? ORDER BY seq");
  p.bind(id);
  while (p.step() == SQLITE_ROW) run.params.push_back({p.text(0), p.text(1)});
  Statement t(db_, "SELECT key, value FROM tags WHERE run_id = ? ORDER BY seq");
  t.bind(id);
  while (t.step() == SQLITE_ROW) run.tags.push_back({t.text(0), t.text(1)});
  Statement m(db_,
              "SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_id = ? "
              "ORDER BY seq");
  m.bind(id);
  while (m.step() == SQLITE_ROW) {
    run.metrics.push_back(
        {m.text(0), loaded_value(m.real(1), m.integer(2) != 0), m.integer(3), m.integer(4)});
  }
}

Result<Run> TrackingStore::create_run(const std::string& tenant, const NewRun& spec) {
  std::lock_guard lock(mu_);
  auto e = read_experiment(tenant, "experiment_id", spec.experiment_id);
  if (!e.is_ok()) return e.status();
  if (e->lifecycle_stage != kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("The experiment {} must be in the 'active' state. Current state is "
                              "deleted.",
                              spec.experiment_id));
  }
  const std::string run_id = spec.run_id.empty() ? random_hex(16) : spec.run_id;
  Transaction tx(db_);
  if (!tx.ok()) return internal("create run", sqlite3_errmsg(db_));
  Statement exists(db_, "SELECT 1 FROM runs WHERE run_id = ?");
  exists.bind(run_id);
  if (exists.step() == SQLITE_ROW) {
    return Status(ErrorCode::kConflict, fmt::format("Run with id={} already exists", run_id));
  }
  Statement s(db_,
              "INSERT INTO runs (run_id, tenant_id, experiment_id, run_name, user_id, status, "
              "start_time, end_time, artifact_uri, lifecycle_stage, job_run) "
              "VALUES (?,?,?,?,?,?,?,NULL,?,'active',?)");
  s.bind(run_id).bind(tenant).bind(*parse_experiment_id(spec.experiment_id)).bind(spec.run_name);
  s.bind(spec.user_id).bind(spec.status).bind(spec.start_time);
  s.bind(fmt::format("{}/{}/artifacts", e->artifact_location, run_id));
  s.bind(spec.job_run ? 1 : 0);
  if (s.step() != SQLITE_DONE) return internal("create run", s.error());
  std::vector<Tag> tags = spec.tags;
  // MLflow keeps the run name in the mlflow.runName tag too.
  if (!spec.run_name.empty() && std::none_of(tags.begin(), tags.end(), [](const Tag& t) {
        return t.key == "mlflow.runName";
      })) {
    tags.push_back({"mlflow.runName", spec.run_name});
  }
  for (const Tag& tag : tags) {
    Statement t(db_,
                "INSERT INTO tags (run_id, key, value) VALUES (?,?,?) "
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
    t.bind(run_id).bind(tag.key).bind(tag.value);
    if (t.step() != SQLITE_DONE) return internal("create run", t.error());
  }
  if (!tx.commit()) return internal("create run", sqlite3_errmsg(db_));
  Run run;
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  run.info = std::move(info).value();
  read_run_data(run);
  return run;
}

Result<Run> TrackingStore::run(const std::string& tenant, const std::string& run_id) {
  std::lock_guard lock(mu_);
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  Run run;
  run.info = std::move(info).value();
  read_run_data(run);
  return run;
}

Result<bool> TrackingStore::is_job_run(const std::string& tenant, const std::string& run_id) {
  std::lock_guard lock(mu_);
  Statement s(db_, "SELECT job_run FROM runs WHERE run_id = ? AND tenant_id = ?");
  s.bind(run_id).bind(tenant);
  if (s.step() != SQLITE_ROW) return run_not_found(run_id);
  return s.integer(0) != 0;
}

Result<RunInfo> TrackingStore::update_run(const std::string& tenant, const std::string& run_id,
                                          const std::optional<std::string>& status,
                                          const std::optional<int64_t>& end_time,
                                          const std::optional<std::string>& run_name,
                                          const std::optional<int64_t>& start_time) {
  std::lock_guard lock(mu_);
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  Transaction tx(db_);
  if (!tx.ok()) return internal("update run", sqlite3_errmsg(db_));
  Statement s(db_,
              "UPDATE runs SET status = ?, start_time = ?, end_time = ?, run_name = ? WHERE "
              "run_id = ? AND tenant_id = ?");
  s.bind(status.value_or(info->status)).bind(start_time.value_or(info->start_time));
  const std::optional<int64_t> end = end_time ? end_time : info->end_time;
  if (end) {
    s.bind(*end);
  } else {
    s.bind_null();
  }
  s.bind(run_name.value_or(info->run_name)).bind(run_id).bind(tenant);
  if (s.step() != SQLITE_DONE) return internal("update run", s.error());
  if (run_name) {
    Statement t(db_,
                "INSERT INTO tags (run_id, key, value) VALUES (?, 'mlflow.runName', ?) "
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
    t.bind(run_id).bind(*run_name);
    if (t.step() != SQLITE_DONE) return internal("update run", t.error());
  }
  if (!tx.commit()) return internal("update run", sqlite3_errmsg(db_));
  return read_run_info(tenant, run_id);
}

Status TrackingStore::set_run_deleted(const std::string& tenant, const std::string& run_id,
                                      bool deleted) {
  std::lock_guard lock(mu_);
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  Statement s(db_, "UPDATE runs SET lifecycle_stage = ? WHERE run_id = ? AND tenant_id = ?");
  s.bind(deleted ? kDeleted : kActive).bind(run_id).bind(tenant);
  if (s.step() != SQLITE_DONE) return internal("delete run", s.error());
  return Status::ok();
}

Status TrackingStore::check_active_run(const std::string& tenant, const std::string& run_id) {
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  if (info->lifecycle_stage != kActive) {
    return Status(ErrorCode::kInvalidConfig,
                  fmt::format("The run {} must be in the 'active' state. Current state is {}.",
                              run_id, info->lifecycle_stage));
  }
  return Status::ok();
}

Status TrackingStore::log_batch(const std::string& tenant, const std::string& run_id,
                                const std::vector<Metric>& metrics,
                                const std::vector<Param>& params, const std::vector<Tag>& tags,
                                bool any_stage) {
  std::lock_guard lock(mu_);
  if (any_stage) {
    auto info = read_run_info(tenant, run_id);
    if (!info.is_ok()) return info.status();
  } else {
    TRAIND_RETURN_IF_ERROR(check_active_run(tenant, run_id));
  }
  // Params are immutable: refuse the whole batch before writing anything.
  std::map<std::string, std::string> in_batch;
  for (const Param& p : params) {
    auto [it, inserted] = in_batch.emplace(p.key, p.value);
    if (!inserted && it->second != p.value) {
      return Status(ErrorCode::kInvalidConfig,
                    fmt::format("Duplicate parameter keys have been submitted: ['{}']. Please "
                                "ensure the request contains only one param value per param key.",
                                p.key));
    }
    Statement old(db_, "SELECT value FROM params WHERE run_id = ? AND key = ?");
    old.bind(run_id).bind(p.key);
    if (old.step() == SQLITE_ROW && old.text(0) != p.value) {
      return Status(ErrorCode::kInvalidConfig,
                    fmt::format("Changing param values is not allowed. Param with key='{}' was "
                                "already logged with value='{}' for run ID='{}'. Attempted "
                                "logging new value '{}'.",
                                p.key, old.text(0), run_id, p.value));
    }
  }
  Transaction tx(db_);
  if (!tx.ok()) return internal("log batch", sqlite3_errmsg(db_));
  for (const auto& [key, value] : in_batch) {
    Statement s(db_, "INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?,?,?)");
    s.bind(run_id).bind(key).bind(value);
    if (s.step() != SQLITE_DONE) return internal("log batch", s.error());
  }
  for (const Tag& tag : tags) {
    Statement s(db_,
                "INSERT INTO tags (run_id, key, value) VALUES (?,?,?) "
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
    s.bind(run_id).bind(tag.key).bind(tag.value);
    if (s.step() != SQLITE_DONE) return internal("log batch", s.error());
    if (tag.key == "mlflow.runName") {
      Statement r(db_, "UPDATE runs SET run_name = ? WHERE run_id = ?");
      r.bind(tag.value).bind(run_id);
      if (r.step() != SQLITE_DONE) return internal("log batch", r.error());
    }
  }
  // One prepared insert for the whole history, and one update of the latest value per key
  // (the newest of the batch, kept only if newer than the stored one): a progress event
  // carries hundreds of boosting rounds.
  Statement insert(db_,
                   "INSERT OR IGNORE INTO metrics (run_id, key, value, is_nan, timestamp, step) "
                   "VALUES (?,?,?,?,?,?)");
  std::map<std::string, const Metric*> newest;
  for (const Metric& m : metrics) {
    insert.reset();
    insert.bind(run_id).bind(m.key).bind(stored_value(m.value)).bind(std::isnan(m.value) ? 1 : 0);
    insert.bind(m.timestamp).bind(m.step);
    if (insert.step() != SQLITE_DONE) return internal("log batch", insert.error());
    auto [it, inserted] = newest.emplace(m.key, &m);
    if (!inserted && newer_than(m, *it->second)) it->second = &m;
  }
  Statement latest(db_,
                   "INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) "
                   "VALUES (?,?,?,?,?,?) ON CONFLICT (run_id, key) DO UPDATE SET "
                   "value = excluded.value, is_nan = excluded.is_nan, "
                   "timestamp = excluded.timestamp, step = excluded.step "
                   "WHERE excluded.step > latest_metrics.step OR "
                   "(excluded.step = latest_metrics.step AND "
                   " (excluded.timestamp > latest_metrics.timestamp OR "
                   "  (excluded.timestamp = latest_metrics.timestamp AND "
                   "   excluded.value > latest_metrics.value)))");
  for (const auto& [key, m] : newest) {
    latest.reset();
    latest.bind(run_id).bind(key).bind(stored_value(m->value)).bind(std::isnan(m->value) ? 1 : 0);
    latest.bind(m->timestamp).bind(m->step);
    if (latest.step() != SQLITE_DONE) return internal("log batch", latest.error());
  }
  if (!tx.commit()) return internal("log batch", sqlite3_errmsg(db_));
  return Status::ok();
}

Status TrackingStore::delete_tag(const std::string& tenant, const std::string& run_id,
                                 const std::string& key) {
  std::lock_guard lock(mu_);
  TRAIND_RETURN_IF_ERROR(check_active_run(tenant, run_id));
  Statement s(db_, "DELETE FROM tags WHERE run_id = ? AND key = ?");
  s.bind(run_id).bind(key);
  if (s.step() != SQLITE_DONE) return internal("delete tag", s.error());
  if (sqlite3_changes(db_) == 0) {
    return Status(ErrorCode::kNotFound,
                  fmt::format("No tag with name: {} in run with id {}", key, run_id));
  }
  return Status::ok();
}

Result<std::vector<Metric>> TrackingStore::metric_history(const std::string& tenant,
                                                          const std::string& run_id,
                                                          const std::string& key) {
  std::lock_guard lock(mu_);
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  Statement s(db_,
              "SELECT value, is_nan, timestamp, step FROM metrics WHERE run_id = ? AND key = ? "
              "ORDER BY step, timestamp, rowid");
  s.bind(run_id).bind(key);
  std::vector<Metric> out;
  while (s.step() == SQLITE_ROW) {
    out.push_back({key, loaded_value(s.real(0), s.integer(1) != 0), s.integer(2), s.integer(3)});
  }
  return out;
}

Result<std::vector<Metric>> TrackingStore::full_metric_history(const std::string& tenant,
                                                               const std::string& run_id) {
  std::lock_guard lock(mu_);
  auto info = read_run_info(tenant, run_id);
  if (!info.is_ok()) return info.status();
  Statement s(db_,
              "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = ? "
              "ORDER BY key, step, timestamp, rowid");
  s.bind(run_id);
  std::vector<Metric> out;
  while (s.step() == SQLITE_ROW) {
    out.push_back(
        {s.text(0), loaded_value(s.real(1), s.integer(2) != 0), s.integer(3), s.integer(4)});
  }
  return out;
}

std::vector<Run> TrackingStore::runs(const std::string& tenant,
                                     const std::vector<std::string>& experiment_ids,
                                     ViewType view) {
  std::lock_guard lock(mu_);
  std::vector<Run> out;
  std::set<int64_t> seen;
  for (const std::string& eid : experiment_ids) {
    auto id = parse_experiment_id(eid);
    if (!id || !seen.insert(*id).second) continue;
    Statement s(db_, fmt::format("SELECT run_id FROM runs WHERE tenant_id = ? AND "
                                 "experiment_id = ? AND lifecycle_stage IN {} ORDER BY seq",
                                 stage_filter(view)));
    s.bind(tenant).bind(*id);
    std::vector<std::string> run_ids;
    while (s.step() == SQLITE_ROW) run_ids.push_back(s.text(0));
    for (const std::string& run_id : run_ids) {
      auto info = read_run_info(tenant, run_id);
      if (!info.is_ok()) continue;
      Run run;
      run.info = std::move(info).value();
      read_run_data(run);
      out.push_back(std::move(run));
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> TrackingStore::job_runs(bool finished) {
  std::lock_guard lock(mu_);
  Statement s(db_, fmt::format("SELECT tenant_id, run_id FROM runs WHERE job_run = 1 AND status "
                               "{} IN ('RUNNING', 'SCHEDULED') ORDER BY seq",
                               finished ? "NOT" : ""));
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step() == SQLITE_ROW) out.emplace_back(s.text(0), s.text(1));
  return out;
}

}  // namespace traind::tracking
