#include "tracking/tracking_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/ids.h"

namespace traind::tracking {
namespace {

class TrackingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tracking-store-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    auto store = TrackingStore::open((dir_ / "tracking.db").string(), (dir_ / "art").string());
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  tracking::Run new_run(const std::string& tenant, const std::string& experiment_id = "0") {
    NewRun spec;
    spec.experiment_id = experiment_id;
    spec.run_name = "r";
    spec.start_time = 1000;
    auto run = store_->create_run(tenant, spec);
    EXPECT_TRUE(run.is_ok()) << run.status().to_string();
    return run.is_ok() ? run.value() : tracking::Run{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<TrackingStore> store_;
};

TEST_F(TrackingStoreTest, EachTenantHasItsOwnDefaultExperimentAndIdSpace) {
  auto a_default = store_->experiment("a", "0");
  ASSERT_TRUE(a_default.is_ok());
  EXPECT_EQ(a_default->name, "Default");
  auto a1 = store_->create_experiment("a", "churn", {{"team", "x"}}, 5);
  auto b1 = store_->create_experiment("b", "churn", {}, 6);
  ASSERT_TRUE(a1.is_ok() && b1.is_ok());
  EXPECT_EQ(a1->experiment_id, "1");
  EXPECT_EQ(b1->experiment_id, "1");
  EXPECT_EQ(a1->artifact_location, "mlflow-artifacts:/1");
  ASSERT_EQ(a1->tags.size(), 1u);
  EXPECT_EQ(store_->create_experiment("a", "churn", {}, 7).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->experiment("a", "2").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->experiment("a", "not-a-number").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->experiment_by_name("b", "churn")->creation_time, 6);
  EXPECT_EQ(store_->experiments("a", ViewType::kAll).size(), 2u);
}

TEST_F(TrackingStoreTest, AnotherTenantsRunIsNotFound) {
  tracking::Run run = new_run("a");
  EXPECT_EQ(run.info.run_id.size(), 32u);
  EXPECT_EQ(run.info.artifact_uri, "mlflow-artifacts:/0/" + run.info.run_id + "/artifacts");
  ASSERT_TRUE(run.tag("mlflow.runName"));
  EXPECT_TRUE(store_->run("a", run.info.run_id).is_ok());
  EXPECT_EQ(store_->run("b", run.info.run_id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->log_batch("b", run.info.run_id, {}, {{"k", "v"}}, {}).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->set_run_deleted("b", run.info.run_id, true).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->runs("b", {"0"}, ViewType::kAll).empty());
  EXPECT_EQ(store_->runs("a", {"0"}, ViewType::kAll).size(), 1u);
}

TEST_F(TrackingStoreTest, ParamsAreImmutableAndBatchesAllOrNothing) {
  const std::string id = new_run("a").info.run_id;
  ASSERT_TRUE(store_->log_batch("a", id, {}, {{"lr", "0.1"}}, {}).is_ok());
  EXPECT_TRUE(store_->log_batch("a", id, {}, {{"lr", "0.1"}}, {}).is_ok());
  Status changed = store_->log_batch("a", id, {{"m", 1.0, 1, 0}}, {{"lr", "0.2"}}, {});
  EXPECT_EQ(changed.code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(changed.message().find("Changing param values is not allowed"), std::string::npos);
  auto run = store_->run("a", id);
  EXPECT_EQ(run->param("lr")->value, "0.1");
  EXPECT_EQ(run->metric("m"), nullptr) << "the refused batch wrote nothing";
}

TEST_F(TrackingStoreTest, LatestMetricFollowsStepThenTimestampAndHistoryKeepsAll) {
  const std::string id = new_run("a").info.run_id;
  ASSERT_TRUE(
      store_->log_batch("a", id, {{"loss", 0.5, 100, 2}, {"loss", 0.9, 200, 1}}, {}, {}).is_ok());
  EXPECT_EQ(store_->run("a", id)->metric("loss")->value, 0.5);
  ASSERT_TRUE(store_->log_batch("a", id, {{"loss", 0.4, 300, 2}}, {}, {}).is_ok());
  EXPECT_EQ(store_->run("a", id)->metric("loss")->value, 0.4);
  // The same value at the same step and time again is one row (a retried export).
  ASSERT_TRUE(store_->log_batch("a", id, {{"loss", 0.4, 300, 2}}, {}, {}).is_ok());
  auto history = store_->metric_history("a", id, "loss");
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].step, 1);
  EXPECT_EQ((*history)[2].value, 0.4);
  ASSERT_TRUE(store_->log_batch("a", id, {{"nan", std::nan(""), 1, 5}}, {}, {}).is_ok());
  EXPECT_TRUE(std::isnan(store_->run("a", id)->metric("nan")->value));
  EXPECT_EQ(store_->full_metric_history("a", id)->size(), 4u);
}

TEST_F(TrackingStoreTest, DeletingAnExperimentDeletesItsRunsAndRestoringRestoresThem) {
  auto e = store_->create_experiment("a", "e", {}, 1);
  ASSERT_TRUE(e.is_ok());
  const std::string id = new_run("a", e->experiment_id).info.run_id;
  ASSERT_TRUE(store_->set_experiment_deleted("a", e->experiment_id, true, 2).is_ok());
  EXPECT_EQ(store_->run("a", id)->info.lifecycle_stage, kDeleted);
  EXPECT_EQ(store_->log_batch("a", id, {}, {}, {{"t", "v"}}).code(), ErrorCode::kInvalidConfig);
  EXPECT_EQ(store_->create_run("a", NewRun{.experiment_id = e->experiment_id}).status().code(),
            ErrorCode::kInvalidConfig);
  EXPECT_TRUE(store_->runs("a", {e->experiment_id}, ViewType::kActiveOnly).empty());
  ASSERT_TRUE(store_->set_experiment_deleted("a", e->experiment_id, false, 3).is_ok());
  EXPECT_EQ(store_->run("a", id)->info.lifecycle_stage, kActive);
  EXPECT_EQ(store_->set_experiment_deleted("a", "0", true, 4).code(), ErrorCode::kInvalidConfig);
}

TEST_F(TrackingStoreTest, AJobBringsBackADeletedExperimentOfItsNameButNotItsRuns) {
  auto e = store_->create_experiment("a", "churn", {}, 1);
  ASSERT_TRUE(e.is_ok());
  const std::string old_run = new_run("a", e->experiment_id).info.run_id;
  ASSERT_TRUE(store_->set_experiment_deleted("a", e->experiment_id, true, 2).is_ok());
  auto again = store_->ensure_experiment("a", "churn", 3);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->experiment_id, e->experiment_id);
  EXPECT_EQ(again->lifecycle_stage, kActive);
  EXPECT_EQ(store_->run("a", old_run)->info.lifecycle_stage, kDeleted);
  // traind still records into a job's run that a client deleted; a client may not.
  EXPECT_EQ(store_->log_batch("a", old_run, {{"m", 1.0, 1, 0}}, {}, {}).code(),
            ErrorCode::kInvalidConfig);
  EXPECT_TRUE(store_->log_batch("a", old_run, {{"m", 1.0, 1, 0}}, {}, {}, true).is_ok());
}

TEST_F(TrackingStoreTest, JobRunsAreFoundForReconciliationAndUpdatesKeepUnsetFields) {
  NewRun spec;
  spec.run_id = "train-1";
  spec.status = "SCHEDULED";
  spec.job_run = true;
  ASSERT_TRUE(store_->create_run("a", spec).is_ok());
  EXPECT_TRUE(*store_->is_job_run("a", "train-1"));
  ASSERT_EQ(store_->job_runs(false).size(), 1u);
  EXPECT_TRUE(store_->job_runs(true).empty());
  auto info = store_->update_run("a", "train-1", std::string("FINISHED"), 99, std::nullopt);
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->status, "FINISHED");
  EXPECT_EQ(info->end_time, 99);
  EXPECT_EQ(store_->job_runs(true).size(), 1u);
  EXPECT_EQ(store_->create_run("b", spec).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->delete_tag("a", "train-1", "no-such").code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace traind::tracking
