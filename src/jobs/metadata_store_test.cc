#include "jobs/metadata_store.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "jobs/jobs_test_support.h"

namespace traind::jobs {
namespace {

class MetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = MetadataStore::open(dir_.path() + "/traind.db");
    ASSERT_TRUE(s) << s.status().to_string();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->create_tenant("acme", TenantLimits{}));
  }

  JobRecord insert(const std::string& id, const std::string& tenant = "acme",
                   const std::string& idempotency_key = "") {
    JobRecord job;
    job.job_id = id;
    job.tenant_id = tenant;
    job.name = "name-" + id;
    job.algorithm = "xgboost";
    job.task_type = "classification";
    job.config = {{"name", job.name}, {"n", 1}};
    job.resources = {{"cpu_cores", 2}};
    job.idempotency_key = idempotency_key;
    job.created_at_ms = now_ms();
    Status st = store_->insert_job(job);
    EXPECT_TRUE(st) << st.to_string();
    return job;
  }

  testing::TempDir dir_;
  std::unique_ptr<MetadataStore> store_;
};

TEST_F(MetadataStoreTest, InsertedJobReadsBackWithEveryField) {
  JobRecord in = insert("train-1", "acme", "key-1");
  EXPECT_GT(in.seq, 0);
  auto out = store_->get_job("train-1");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->tenant_id, "acme");
  EXPECT_EQ(out->name, "name-train-1");
  EXPECT_EQ(out->algorithm, "xgboost");
  EXPECT_EQ(out->task_type, "classification");
  EXPECT_EQ(out->status, JobStatus::kQueued);
  EXPECT_EQ(out->config, in.config);
  EXPECT_EQ(out->resources, in.resources);
  EXPECT_EQ(out->idempotency_key, "key-1");
  EXPECT_EQ(out->created_at_ms, in.created_at_ms);
  EXPECT_EQ(out->seq, in.seq);
  EXPECT_FALSE(store_->get_job("train-2").has_value());
}

TEST_F(MetadataStoreTest, ListIsNewestFirstAndPagesBySeq) {
  for (int i = 0; i < 5; ++i) insert("train-" + std::to_string(i));
  ASSERT_TRUE(store_->create_tenant("globex", TenantLimits{}));
  insert("train-other", "globex");
  JobFilter f;
  f.tenant_id = "acme";
  f.limit = 2;
  auto page1 = store_->list_jobs(f);
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].job_id, "train-4");
  EXPECT_EQ(page1[1].job_id, "train-3");
  f.before_seq = page1.back().seq;
  auto page2 = store_->list_jobs(f);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].job_id, "train-2");
  f.before_seq = store_->get_job("train-1")->seq;
  auto last = store_->list_jobs(f);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].job_id, "train-0");

  JobFilter by_status;
  by_status.statuses = {JobStatus::kRunning};
  EXPECT_TRUE(store_->list_jobs(by_status).empty());
  JobFilter every_tenant;
  EXPECT_EQ(store_->list_jobs(every_tenant).size(), 6u);
}

TEST_F(MetadataStoreTest, TransitionHappensOnlyFromTheExpectedState) {
  insert("train-1");
  EXPECT_TRUE(
      store_->transition("train-1", JobStatus::kQueued, JobStatus::kRunning, 1000, nullptr, 42));
  EXPECT_FALSE(store_->transition("train-1", JobStatus::kQueued, JobStatus::kCancelled, 1001));
  auto running = store_->get_job("train-1");
  EXPECT_EQ(running->status, JobStatus::kRunning);
  EXPECT_EQ(running->worker_pid, 42);
  EXPECT_EQ(running->started_at_ms, 1000);
  nlohmann::json error = {{"code", "TIMEOUT"}, {"message", "too long"}};
  EXPECT_TRUE(store_->transition("train-1", JobStatus::kRunning, JobStatus::kFailed, 2000, error));
  EXPECT_FALSE(store_->transition("train-1", JobStatus::kRunning, JobStatus::kCompleted, 2001));
  auto failed = store_->get_job("train-1");
  EXPECT_EQ(failed->status, JobStatus::kFailed);
  EXPECT_EQ(failed->error, error);
  EXPECT_EQ(failed->finished_at_ms, 2000);
}

TEST_F(MetadataStoreTest, RequeuedJobForgetsItsRun) {
  insert("train-1");
  ASSERT_TRUE(
      store_->transition("train-1", JobStatus::kQueued, JobStatus::kRunning, 1000, nullptr, 42));
  store_->set_progress("train-1", {{"phase", "training"}});
  ASSERT_TRUE(store_->transition("train-1", JobStatus::kRunning, JobStatus::kQueued, 2000));
  auto job = store_->get_job("train-1");
  EXPECT_EQ(job->status, JobStatus::kQueued);
  EXPECT_EQ(job->started_at_ms, 0);
  EXPECT_EQ(job->finished_at_ms, 0);
  EXPECT_EQ(job->worker_pid, 0);
  EXPECT_TRUE(job->progress.is_null());
}

TEST_F(MetadataStoreTest, IdempotencyKeyIsUniquePerTenant) {
  insert("train-1", "acme", "same");
  JobRecord dup;
  dup.job_id = "train-2";
  dup.tenant_id = "acme";
  dup.idempotency_key = "same";
  dup.config = nlohmann::json::object();
  dup.resources = nlohmann::json::object();
  EXPECT_EQ(store_->insert_job(dup).code(), ErrorCode::kConflict);
  ASSERT_TRUE(store_->create_tenant("globex", TenantLimits{}));
  insert("train-3", "globex", "same");
  EXPECT_EQ(store_->find_job_by_idempotency_key("acme", "same")->job_id, "train-1");
  EXPECT_EQ(store_->find_job_by_idempotency_key("globex", "same")->job_id, "train-3");
  EXPECT_FALSE(store_->find_job_by_idempotency_key("acme", "other").has_value());
}

TEST_F(MetadataStoreTest, CompleteStoresResultAndModelTogether) {
  insert("train-1");
  ModelRecord model;
  model.model_id = "model-1";
  model.tenant_id = "acme";
  model.job_id = "train-1";
  model.algorithm = "xgboost";
  model.format = "xgboost-json";
  model.dir = "/x";
  model.file = "model.json";
  model.size_bytes = 12;
  model.sha256 = "ab";
  model.feature_schema = {{"columns", {"a"}}};
  nlohmann::json result = {{"metrics", {{"accuracy", 0.5}}}, {"model_artifact_id", "model-1"}};
  // Not running yet: refused, and no model is left behind.
  EXPECT_FALSE(store_->complete("train-1", result, model, 3000));
  EXPECT_FALSE(store_->get_model("model-1").has_value());
  ASSERT_TRUE(
      store_->transition("train-1", JobStatus::kQueued, JobStatus::kRunning, 1000, nullptr, 7));
  EXPECT_TRUE(store_->complete("train-1", result, model, 3000));
  auto job = store_->get_job("train-1");
  EXPECT_EQ(job->status, JobStatus::kCompleted);
  EXPECT_EQ(job->result, result);
  EXPECT_EQ(job->model_artifact_id, "model-1");
  auto m = store_->get_model("model-1");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->feature_schema, model.feature_schema);
  EXPECT_EQ(m->size_bytes, 12);
  EXPECT_EQ(job->to_json(false)["metrics"]["accuracy"], 0.5);
}

TEST_F(MetadataStoreTest, TenantsKeysAndDataSourcesRoundTrip) {
  TenantLimits limits;
  limits.max_concurrent_jobs = 2;
  ASSERT_TRUE(store_->create_tenant("globex", limits));
  EXPECT_EQ(store_->create_tenant("globex", limits).code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->tenant_limits("globex")->max_concurrent_jobs, 2);
  EXPECT_EQ(store_->list_tenants().size(), 2u);

  EXPECT_FALSE(store_->has_admin_key());
  ASSERT_TRUE(store_->add_key({"k1", "", "hash", false}));
  EXPECT_TRUE(store_->has_admin_key());
  ASSERT_TRUE(store_->add_key({"k2", "globex", "hash2", false}));
  EXPECT_EQ(store_->revoke_key("acme", "k2").code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->revoke_key("globex", "k2"));
  EXPECT_TRUE(store_->find_key("k2")->revoked);

  data::AttachedDatabase db;
  db.schema = "sales";
  db.path = "/data/sales.db";
  ASSERT_TRUE(store_->put_datasource("globex", db));
  db.path = "/data/sales2.db";
  ASSERT_TRUE(store_->put_datasource("globex", db));
  auto dbs = store_->datasources("globex");
  ASSERT_EQ(dbs.size(), 1u);
  EXPECT_EQ(dbs[0].path, "/data/sales2.db");
  EXPECT_TRUE(store_->datasources("acme").empty());
  ASSERT_TRUE(store_->delete_datasource("globex", "sales"));
  EXPECT_EQ(store_->delete_datasource("globex", "sales").code(), ErrorCode::kNotFound);
}

TEST_F(MetadataStoreTest, SurvivesReopening) {
  insert("train-1");
  store_.reset();
  auto s = MetadataStore::open(dir_.path() + "/traind.db");
  ASSERT_TRUE(s);
  EXPECT_TRUE((*s)->get_job("train-1").has_value());
  EXPECT_EQ((*s)->count_jobs("acme", JobStatus::kQueued), 1);
  EXPECT_EQ((*s)->count_jobs_by_status("")[JobStatus::kQueued], 1);
}

}  // namespace
}  // namespace traind::jobs
