#include "client/job_summary.h"

#include <gtest/gtest.h>

#include "client/table.h"

namespace traind::client {
namespace {

using nlohmann::json;

TEST(Table, PadsColumnsAndTrimsLines) {
  Table t;
  t.headers = {"A", "NUM"};
  t.right_aligned = {false, true};
  t.rows = {{"long name", "1"}, {"x", "22"}};
  EXPECT_EQ(render_table(t), "A          NUM\nlong name    1\nx           22\n");
}

TEST(JobSummary, CompletedJobShowsMetricsModelAndTopFeatures) {
  json job = json::parse(R"({"job_id":"train-1","name":"churn","algorithm":"xgboost",
      "task_type":"classification","status":"completed","training_duration_seconds":2.3,
      "model_artifact_id":"model-9","metrics":{"accuracy":0.785,"labels":["0","1"],
      "confusion_matrix":[[779,103],[155,163]]},
      "feature_importance":{"tenure":0.61,"total_charges":0.14,"monthly_charges":0.25}})");
  std::string text = render_job_summary(job, false);
  EXPECT_NE(text.find("status    completed"), std::string::npos) << text;
  EXPECT_NE(text.find("model     model-9"), std::string::npos) << text;
  EXPECT_NE(text.find("accuracy  0.7850"), std::string::npos) << text;
  EXPECT_NE(text.find("779"), std::string::npos) << text;
  // Features by importance, the largest first.
  EXPECT_LT(text.find("tenure"), text.find("monthly_charges")) << text;
  EXPECT_LT(text.find("monthly_charges"), text.find("total_charges")) << text;
}

TEST(JobSummary, FailedJobShowsItsError) {
  json job = json::parse(R"({"job_id":"train-2","status":"failed",
      "error":{"code":"DATA_ERROR","message":"no rows"}})");
  std::string text = render_job_summary(job, false);
  EXPECT_NE(text.find("DATA_ERROR: no rows"), std::string::npos) << text;
}

TEST(RenderError, ListsEachDetailPath) {
  Status s(ErrorCode::kInvalidConfig, "INVALID_CONFIG: bad",
           {{"/split/test_size", "must be > 0"}, {"", "whole"}});
  EXPECT_EQ(render_error(s, false),
            "error: INVALID_CONFIG: bad\n  /split/test_size: must be > 0\n  (whole document): "
            "whole\n");
}

TEST(Predictions, ClassificationTable) {
  json answer =
      json::parse(R"({"predictions":[{"label":"1","probabilities":{"0":0.12,"1":0.88}}]})");
  std::string text = render_predictions(answer);
  EXPECT_NE(text.find("P(1)"), std::string::npos) << text;
  EXPECT_NE(text.find("0.8800"), std::string::npos) << text;
}

}  // namespace
}  // namespace traind::client
