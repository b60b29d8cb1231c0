// JobService end to end: a real SQLite store in a temporary directory and real child
// processes (jobs_test_worker) as workers.
#include "jobs/job_service.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "core/ids.h"
#include "jobs/jobs_test_support.h"

namespace traind::jobs {
namespace {
namespace fs = std::filesystem;
using testing::eventually;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

class JobServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { open_service(false); }

  void TearDown() override {
    if (service_) {
      // Leave no worker behind: cancel what is still going and kill its process group.
      JobFilter f;
      f.limit = 500;
      f.statuses = {JobStatus::kQueued, JobStatus::kRunning};
      auto jobs = service_->list(admin_, f);
      if (jobs) {
        for (auto& job : jobs->first) {
          (void)service_->cancel(admin_, job.job_id);
          if (job.worker_pid > 0) ::kill(-static_cast<pid_t>(job.worker_pid), SIGKILL);
        }
      }
      EXPECT_TRUE(eventually([&] { return metric("traind_running_workers") == 0; }));
      service_->shutdown();
    }
  }

  void open_service(bool demo, bool requeue = false, bool standby = false) {
    JobServiceOptions options;
    options.standby_worker = standby;
    options.data_dir = dir_.path() + "/data";
    options.worker_binary = TRAIND_JOBS_TEST_WORKER;
    options.create_demo_tenant = demo;
    options.stop_grace_ms = 300;
    options.requeue_on_restart = requeue;
    report_ = BootstrapReport{};
    auto s = JobService::open(options, &report_);
    ASSERT_TRUE(s) << s.status().to_string();
    service_ = std::move(s).value();
  }

  void close_service() {
    service_->shutdown();
    service_.reset();
  }

  std::string data_dir() const { return dir_.path() + "/data"; }

  // Writes a job into the (closed) service's store as an earlier server would have left
  // it: running, with worker `pid`.
  void leave_job_running(const std::string& job_id, const std::string& behaviour, int64_t pid) {
    auto store = MetadataStore::open(data_dir() + "/traind.db");
    ASSERT_TRUE(store);
    JobRecord job;
    job.job_id = job_id;
    job.tenant_id = "acme";
    job.config = config(behaviour);
    job.resources = nlohmann::json::object();
    job.created_at_ms = now_ms();
    ASSERT_TRUE((*store)->insert_job(job));
    ASSERT_TRUE((*store)->transition(job.job_id, JobStatus::kQueued, JobStatus::kRunning, now_ms(),
                                     nullptr, pid));
  }

  // A new tenant with the given limits, and a caller holding its key.
  Caller tenant(const std::string& id, const nlohmann::json& limits = nlohmann::json::object()) {
    auto created = service_->create_tenant(admin_, id, limits);
    EXPECT_TRUE(created) << created.status().to_string();
    auto caller = service_->authenticate((*created)["api_key"].get<std::string>());
    EXPECT_TRUE(caller) << caller.status().to_string();
    return *caller;
  }

  nlohmann::json config(const std::string& behaviour, const std::string& name = "test-job") {
    return {{"name", name},
            {"algorithm", "xgboost"},
            {"task_type", "classification"},
            {"dataset", {{"source", "sql"}, {"query", "SELECT * FROM ml_features.customer_churn"}}},
            {"target_column", "churned"},
            {"hyperparameters", {{"behaviour", behaviour}}}};
  }

  JobRecord submit(const Caller& caller, const std::string& behaviour,
                   const std::string& key = "") {
    auto job = service_->submit(caller, config(behaviour), key);
    EXPECT_TRUE(job) << job.status().to_string();
    return job ? *job : JobRecord{};
  }

  JobRecord wait_for(const std::string& job_id, const std::function<bool(JobStatus)>& done) {
    JobRecord last;
    bool ok = eventually([&] {
      auto job = service_->get(admin_, job_id);
      if (!job) return false;
      last = *job;
      return done(job->status);
    });
    EXPECT_TRUE(ok) << "job " << job_id << " stayed " << job_status_name(last.status);
    return last;
  }
  JobRecord wait_terminal(const std::string& job_id) { return wait_for(job_id, is_terminal); }
  JobRecord wait_running(const std::string& job_id) {
    return wait_for(job_id, [](JobStatus s) { return s == JobStatus::kRunning; });
  }

  long metric(const std::string& name) {
    std::istringstream in(service_->prometheus_metrics());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(name + " ", 0) == 0) return std::stol(line.substr(name.size() + 1));
    }
    return -1;
  }

  testing::TempDir dir_;
  BootstrapReport report_;
  std::unique_ptr<JobService> service_;
  Caller admin_{"", "admin"};
};

TEST_F(JobServiceTest, CompletedJobHasItsModelRegisteredAndItsResultStored) {
  Caller acme = tenant("acme");
  JobRecord queued = submit(acme, "succeed");
  EXPECT_EQ(queued.status, JobStatus::kQueued);
  EXPECT_EQ(queued.tenant_id, "acme");
  EXPECT_EQ(queued.config["dataset"]["tenant_id"], "acme");
  EXPECT_EQ(queued.resources["cpu_cores"], 4);
  EXPECT_EQ(queued.resources["max_duration_seconds"], 14400);

  JobRecord done = wait_terminal(queued.job_id);
  ASSERT_EQ(done.status, JobStatus::kCompleted) << done.error.dump();
  nlohmann::json j = done.to_json(true);
  EXPECT_EQ(j["metrics"]["accuracy"], 0.9);
  EXPECT_EQ(j["training_duration_seconds"], 0.125);
  EXPECT_EQ(j["feature_importance"]["tenure"], 1.0);
  ASSERT_FALSE(done.model_artifact_id.empty());
  EXPECT_EQ(j["model_artifact_id"], done.model_artifact_id);
  EXPECT_EQ(done.progress["phase"], "saving");

  auto model = service_->model(acme, done.model_artifact_id);
  ASSERT_TRUE(model) << model.status().to_string();
  EXPECT_EQ(model->job_id, done.job_id);
  EXPECT_EQ(model->format, "test-json");
  EXPECT_EQ(model->dir, data_dir() + "/models/" + done.model_artifact_id);
  EXPECT_EQ(model->sha256, sha256_file_hex(model->dir + "/model.json"));
  EXPECT_EQ(model->size_bytes, static_cast<int64_t>(fs::file_size(model->dir + "/model.json")));
  EXPECT_FALSE(fs::exists(data_dir() + "/jobs/" + done.job_id + "/model.tmp"));
  EXPECT_EQ(file_mode(data_dir() + "/jobs/" + done.job_id + "/job.json"), 0600);

  Caller other = tenant("globex");
  EXPECT_EQ(service_->model(other, done.model_artifact_id).status().code(), ErrorCode::kNotFound);
}

TEST_F(JobServiceTest, SubscriberGetsASnapshotFirstAndTheStreamEndsAfterTheTerminalStatus) {
  Caller acme = tenant("acme");
  JobRecord job = submit(acme, "succeed");
  auto sub = service_->subscribe(acme, job.job_id);
  ASSERT_TRUE(sub);
  std::vector<nlohmann::json> events;
  ASSERT_TRUE(eventually([&] { return !(*sub)->drain(events); }));
  ASSERT_GE(events.size(), 1u);
  EXPECT_EQ(events.front()["type"], "status");
  EXPECT_EQ(events.front()["job_id"], job.job_id);
  EXPECT_EQ(events.back()["type"], "status");
  EXPECT_EQ(events.back()["status"], "completed");
  // Either the job finished before we subscribed (snapshot only) or we saw its result.
  bool saw_result = std::any_of(events.begin(), events.end(),
                                [](const nlohmann::json& e) { return e["type"] == "result"; });
  EXPECT_TRUE(events.size() == 1 || saw_result);
}

TEST_F(JobServiceTest, CrashingWorkerFailsTheJobWithWorkerCrashed) {
  Caller acme = tenant("acme");
  JobRecord done = wait_terminal(submit(acme, "crash").job_id);
  EXPECT_EQ(done.status, JobStatus::kFailed);
  EXPECT_EQ(done.error["code"], "WORKER_CRASHED");
  EXPECT_EQ(done.error["message"], "the worker process ended with signal 11 (SIGSEGV)");
}

TEST_F(JobServiceTest, WorkerExitingWithCodeThreeFailsWithOutOfMemory) {
  Caller acme = tenant("acme", {{"memory_bytes", 1LL << 30}});
  JobRecord done = wait_terminal(submit(acme, "oom").job_id);
  EXPECT_EQ(done.error["code"], "OUT_OF_MEMORY");
  EXPECT_EQ(done.error["message"], "the worker ran out of memory (limit 1073741824 bytes)");
}

TEST_F(JobServiceTest, ReportedErrorBecomesTheJobsError) {
  Caller acme = tenant("acme");
  JobRecord done = wait_terminal(submit(acme, "error").job_id);
  EXPECT_EQ(done.status, JobStatus::kFailed);
  EXPECT_EQ(done.error["code"], "DATA_ERROR");
  EXPECT_EQ(done.error["message"], "no such table: ml_features.nothing");
}

TEST_F(JobServiceTest, GarbageLinesAreIgnoredAndTheJobStillCompletes) {
  Caller acme = tenant("acme");
  JobRecord done = wait_terminal(submit(acme, "garbage").job_id);
  EXPECT_EQ(done.status, JobStatus::kCompleted) << done.error.dump();
}

TEST_F(JobServiceTest, JobPastItsDurationLimitFailsWithTimeout) {
  Caller acme = tenant("acme", {{"max_duration_seconds", 1}});
  JobRecord done = wait_terminal(submit(acme, "sleep").job_id);
  EXPECT_EQ(done.status, JobStatus::kFailed);
  EXPECT_EQ(done.error["code"], "TIMEOUT");
  EXPECT_EQ(done.error["message"], "the job ran longer than the tenant's limit of 1 s");
}

TEST_F(JobServiceTest, WorkerIgnoringSigtermIsKilledAfterTheGracePeriod) {
  Caller acme = tenant("acme", {{"max_duration_seconds", 1}});
  JobRecord done = wait_terminal(submit(acme, "stubborn").job_id);
  EXPECT_EQ(done.error["code"], "TIMEOUT");
}

TEST_F(JobServiceTest, CancellingARunningJobStopsItsWorkerAndEndsItCancelled) {
  Caller acme = tenant("acme");
  JobRecord running = wait_running(submit(acme, "sleep").job_id);
  ASSERT_GT(running.worker_pid, 0);
  auto cancelled = service_->cancel(acme, running.job_id);
  ASSERT_TRUE(cancelled) << cancelled.status().to_string();
  EXPECT_EQ(cancelled->status, JobStatus::kCancelled);
  EXPECT_TRUE(eventually([&] { return metric("traind_running_workers") == 0; }));
  // The worker ended by our SIGTERM; the status stays cancelled.
  EXPECT_EQ(service_->get(acme, running.job_id)->status, JobStatus::kCancelled);
  EXPECT_EQ(::kill(static_cast<pid_t>(running.worker_pid), 0), -1);
}

// A standby worker (started ahead of need) runs the next job and is replaced, and a job it
// runs is supervised as any other: crash, cancel, timeout.
TEST_F(JobServiceTest, StandbyWorkersRunJobsAndAreSupervisedLikeOthers) {
  close_service();
  open_service(false, false, /*standby=*/true);
  Caller acme = tenant("acme", {{"max_duration_seconds", 1}});
  JobRecord first = wait_terminal(submit(acme, "succeed").job_id);
  EXPECT_EQ(first.status, JobStatus::kCompleted) << first.error.dump();
  JobRecord second = wait_terminal(submit(acme, "succeed").job_id);
  EXPECT_EQ(second.status, JobStatus::kCompleted) << second.error.dump();
  // The job's output went to its own log, not to the standby's /dev/null.
  std::ifstream log(data_dir() + "/jobs/" + second.job_id + "/worker.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("job " + second.job_id), std::string::npos) << text;

  JobRecord crashed = wait_terminal(submit(acme, "crash").job_id);
  EXPECT_EQ(crashed.error["code"], "WORKER_CRASHED");
  JobRecord timed_out = wait_terminal(submit(acme, "stubborn").job_id);
  EXPECT_EQ(timed_out.error["code"], "TIMEOUT");
  JobRecord running = wait_running(submit(acme, "sleep").job_id);
  std::ifstream cmdline("/proc/" + std::to_string(running.worker_pid) + "/cmdline");
  std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  EXPECT_NE(args.find("--standby"), std::string::npos) << "the job did not run in a standby worker";
  auto cancelled = service_->cancel(acme, running.job_id);
  ASSERT_TRUE(cancelled) << cancelled.status().to_string();
  EXPECT_TRUE(eventually([&] { return ::kill(static_cast<pid_t>(running.worker_pid), 0) == -1; }));
}

TEST_F(JobServiceTest, CancellingAQueuedJobRemovesItFromTheQueue) {
  Caller acme = tenant("acme", {{"max_concurrent_jobs", 1}});
  JobRecord first = wait_running(submit(acme, "sleep").job_id);
  JobRecord second = submit(acme, "succeed");
  auto cancelled = service_->cancel(acme, second.job_id);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, JobStatus::kCancelled);
  ASSERT_TRUE(service_->cancel(acme, first.job_id));
  EXPECT_TRUE(eventually([&] { return metric("traind_running_workers") == 0; }));
  EXPECT_EQ(service_->get(acme, second.job_id)->started_at_ms, 0);
}

TEST_F(JobServiceTest, CancellingAFinishedJobIsAConflict) {
  Caller acme = tenant("acme");
  JobRecord done = wait_terminal(submit(acme, "succeed").job_id);
  auto again = service_->cancel(acme, done.job_id);
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(again.status().message(),
            "job " + done.job_id + " already finished with status completed");
}

TEST_F(JobServiceTest, SixthJobWaitsWhileFiveRunAndStartsWhenOneIsCancelled) {
  Caller acme = tenant("acme", {{"max_concurrent_jobs", 5}});
  std::vector<JobRecord> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(submit(acme, "sleep"));
  for (auto& j : jobs) wait_running(j.job_id);
  JobRecord sixth = submit(acme, "sleep");
  // Five are running, so the scheduler cannot start it whenever it looks.
  EXPECT_TRUE(eventually([&] { return metric("traind_running_workers") == 5; }));
  EXPECT_EQ(service_->get(acme, sixth.job_id)->status, JobStatus::kQueued);
  EXPECT_EQ(metric("traind_queue_length"), 1);
  ASSERT_TRUE(service_->cancel(acme, jobs[2].job_id));
  wait_running(sixth.job_id);
  EXPECT_EQ(service_->get(acme, jobs[2].job_id)->status, JobStatus::kCancelled);
}

TEST_F(JobServiceTest, FullQueueAnswersQuotaExceeded) {
  Caller acme = tenant("acme", {{"max_concurrent_jobs", 1}, {"max_queued_jobs", 1}});
  submit(acme, "sleep");
  submit(acme, "sleep");
  auto third = service_->submit(acme, config("sleep"), "");
  EXPECT_EQ(third.status().code(), ErrorCode::kQuotaExceeded);
}

TEST_F(JobServiceTest, AnotherTenantsJobIsNotFound) {
  Caller acme = tenant("acme");
  Caller globex = tenant("globex");
  JobRecord job = submit(acme, "succeed");
  auto got = service_->get(globex, job.job_id);
  EXPECT_EQ(got.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(got.status().message(), "no training job with id " + job.job_id);
  EXPECT_EQ(service_->cancel(globex, job.job_id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->subscribe(globex, job.job_id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(service_->get(admin_, job.job_id));
  // Naming another tenant is forbidden, not hidden.
  nlohmann::json cfg = config("succeed");
  cfg["dataset"]["tenant_id"] = "acme";
  EXPECT_EQ(service_->submit(globex, cfg, "").status().code(), ErrorCode::kForbidden);
  JobFilter f;
  f.tenant_id = "acme";
  EXPECT_EQ(service_->list(globex, f).status().code(), ErrorCode::kForbidden);
  wait_terminal(job.job_id);
}

TEST_F(JobServiceTest, IdempotencyKeyReturnsTheFirstJob) {
  Caller acme = tenant("acme");
  JobRecord first = submit(acme, "succeed", "retry-1");
  JobRecord again = submit(acme, "succeed", "retry-1");
  EXPECT_EQ(again.job_id, first.job_id);
  JobRecord other = submit(acme, "succeed", "retry-2");
  EXPECT_NE(other.job_id, first.job_id);
  JobFilter f;
  auto listed = service_->list(acme, f);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->first.size(), 2u);
  wait_terminal(first.job_id);
  wait_terminal(other.job_id);
}

TEST_F(JobServiceTest, ListIsNewestFirstPaginatedAndLimitedToTheCallersTenant) {
  Caller acme = tenant("acme", {{"max_concurrent_jobs", 1}});
  Caller globex = tenant("globex");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(submit(acme, "succeed").job_id);
  submit(globex, "succeed");
  JobFilter f;
  f.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto listed = service_->list(acme, f);
    ASSERT_TRUE(listed) << listed.status().to_string();
    for (auto& j : listed->first) {
      EXPECT_EQ(j.tenant_id, "acme");
      seen.push_back(j.job_id);
    }
    if (listed->second.empty()) break;
    auto seq = decode_page_token(listed->second);
    ASSERT_TRUE(seq);
    f.before_seq = *seq;
  }
  EXPECT_EQ(seen, std::vector<std::string>(ids.rbegin(), ids.rend()));
  EXPECT_FALSE(decode_page_token("not-a-token"));
  f.limit = 501;
  EXPECT_EQ(service_->list(acme, f).status().code(), ErrorCode::kInvalidConfig);
  for (auto& id : ids) wait_terminal(id);
}

TEST_F(JobServiceTest, JobLeftRunningByADeadWorkerFailsWithServerRestarted) {
  Caller acme = tenant("acme");
  close_service();
  // A pid that surely belongs to no worker: a child that has exited and been reaped.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  ::waitpid(dead, nullptr, 0);
  leave_job_running("train-left-running", "sleep", dead);
  open_service(false);
  auto job = service_->get(admin_, "train-left-running");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, JobStatus::kFailed);
  EXPECT_EQ(job->error["code"], "SERVER_RESTARTED");
  EXPECT_EQ(job->error["message"], "the server restarted while the job was running");
}

TEST_F(JobServiceTest, JobLeftRunningIsRequeuedAndRunsWhenConfigured) {
  Caller acme = tenant("acme");
  close_service();
  leave_job_running("train-requeued", "succeed", 0);
  open_service(false, /*requeue=*/true);
  JobRecord done = wait_terminal("train-requeued");
  EXPECT_EQ(done.status, JobStatus::kCompleted) << done.error.dump();
}

TEST_F(JobServiceTest, QueuedJobsSurviveARestartAndRun) {
  Caller acme = tenant("acme", {{"max_concurrent_jobs", 1}});
  JobRecord first = wait_running(submit(acme, "sleep").job_id);
  JobRecord second = submit(acme, "succeed");
  close_service();
  ::kill(-static_cast<pid_t>(first.worker_pid), SIGKILL);
  open_service(false);
  EXPECT_EQ(service_->get(admin_, first.job_id)->error["code"], "SERVER_RESTARTED");
  EXPECT_EQ(wait_terminal(second.job_id).status, JobStatus::kCompleted);
}

TEST_F(JobServiceTest, BootstrapWritesPrivateKeyFilesOnceAndRegistersTheDemoData) {
  close_service();
  fs::remove_all(data_dir());
  open_service(true);
  ASSERT_FALSE(report_.admin_key.empty());
  ASSERT_FALSE(report_.demo_tenant_key.empty());
  EXPECT_EQ(file_mode(data_dir()), 0700);
  EXPECT_EQ(file_mode(data_dir() + "/admin.key"), 0600);
  EXPECT_EQ(file_mode(data_dir() + "/acme-corp.key"), 0600);
  EXPECT_EQ(read_file(data_dir() + "/admin.key"), report_.admin_key + "\n");
  EXPECT_EQ(read_file(data_dir() + "/acme-corp.key"), report_.demo_tenant_key + "\n");
  auto admin = service_->authenticate(report_.admin_key);
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->is_admin());
  auto demo = service_->authenticate(report_.demo_tenant_key);
  ASSERT_TRUE(demo);
  EXPECT_EQ(demo->tenant_id, "acme-corp");
  auto dbs = service_->datasources("acme-corp");
  ASSERT_EQ(dbs.size(), 1u);
  EXPECT_EQ(dbs[0].schema, "ml_features");
  EXPECT_EQ(dbs[0].path, data_dir() + "/tenants/acme-corp/ml_features.db");
  EXPECT_TRUE(fs::is_regular_file(dbs[0].path));
  // The key is stored hashed only.
  EXPECT_EQ(read_file(data_dir() + "/traind.db").find(report_.admin_key.substr(21)),
            std::string::npos);

  std::string admin_key = report_.admin_key;
  close_service();
  open_service(true);
  EXPECT_TRUE(report_.admin_key.empty());
  EXPECT_TRUE(report_.demo_tenant_key.empty());
  EXPECT_EQ(read_file(data_dir() + "/admin.key"), admin_key + "\n");
  EXPECT_TRUE(service_->authenticate(admin_key));
}

TEST_F(JobServiceTest, UnknownMalformedAndRevokedKeysAreUnauthenticated) {
  auto created = service_->create_tenant(admin_, "acme", nlohmann::json::object());
  ASSERT_TRUE(created);
  std::string token = (*created)["api_key"];
  EXPECT_TRUE(service_->authenticate(token));
  EXPECT_EQ(service_->authenticate("").status().code(), ErrorCode::kUnauthenticated);
  std::string wrong_secret = token.substr(0, token.size() - 1) + (token.back() == 'a' ? "b" : "a");
  auto denied = service_->authenticate(wrong_secret);
  EXPECT_EQ(denied.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(denied.status().message(), "missing or unknown API key");
  ASSERT_TRUE(service_->delete_key(admin_, "acme", (*created)["key_id"]));
  EXPECT_EQ(service_->authenticate(token).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JobServiceTest, AdminCallsAreForbiddenToTenantsAndValidateTheirInput) {
  Caller acme = tenant("acme");
  EXPECT_EQ(service_->list_tenants(acme).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(service_->create_tenant(acme, "x", nullptr).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(service_->create_tenant(admin_, "Bad Name", nullptr).status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_EQ(service_->create_tenant(admin_, "acme", nullptr).status().code(), ErrorCode::kConflict);
  auto bad_limits = service_->create_tenant(admin_, "globex", {{"cpu_cores", 0}});
  ASSERT_EQ(bad_limits.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(bad_limits.status().details().at(0).path, "/limits/cpu_cores");

  auto patched = service_->patch_tenant(admin_, "acme", {{"limits", {{"gpus", 1}}}});
  ASSERT_TRUE(patched) << patched.status().to_string();
  EXPECT_EQ((*patched)["limits"]["gpus"], 1);
  EXPECT_EQ((*patched)["limits"]["cpu_cores"], 4);
  EXPECT_EQ((*patched)["queued_jobs"], 0);
  EXPECT_EQ(service_->get_tenant(admin_, "nobody").status().code(), ErrorCode::kNotFound);

  fs::path db = fs::path(dir_.path()) / "sales.db";
  std::ofstream(db) << "x";
  EXPECT_TRUE(service_->put_datasource(admin_, "acme", "sales",
                                       {{"type", "sqlite"}, {"path", db.string()}}));
  Status relative =
      service_->put_datasource(admin_, "acme", "sales", {{"type", "sqlite"}, {"path", "sales.db"}});
  ASSERT_EQ(relative.code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(relative.details().at(0).path, "/path");
  EXPECT_EQ(
      service_->put_datasource(admin_, "acme", "main", {{"type", "sqlite"}, {"path", db.string()}})
          .code(),
      ErrorCode::kInvalidConfig);
  EXPECT_TRUE(
      service_->put_datasource(admin_, "acme", "warehouse",
                               {{"type", "postgresql"}, {"dsn", "postgresql://u:secret@h/db"}}));
  auto listed = service_->list_datasources(admin_, "acme");
  ASSERT_TRUE(listed);
  EXPECT_EQ((*listed)["datasources"].size(), 2u);
  EXPECT_EQ((*listed)["datasources"].dump().find("secret"), std::string::npos);
  EXPECT_EQ(service_->put_datasource(acme, "acme", "x", {{"type", "sqlite"}}).code(),
            ErrorCode::kForbidden);
  EXPECT_TRUE(service_->delete_datasource(admin_, "acme", "warehouse"));
  EXPECT_EQ(service_->delete_datasource(admin_, "acme", "warehouse").code(), ErrorCode::kNotFound);
}

TEST_F(JobServiceTest, ReadinessAndMetricsDescribeTheService) {
  EXPECT_TRUE(service_->ready());
  auto r = service_->readiness();
  EXPECT_EQ(r["store"], "ok");
  EXPECT_EQ(r["tracking"], "ok");
  EXPECT_EQ(r["executor"], "local");
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_EQ(r["memory_enforcement"], "rlimit");
#endif
  std::string metrics = service_->prometheus_metrics();
  EXPECT_NE(metrics.find("traind_jobs{status=\"queued\"} 0"), std::string::npos);
  EXPECT_EQ(metric("traind_queue_length"), 0);
}

}  // namespace
}  // namespace traind::jobs
