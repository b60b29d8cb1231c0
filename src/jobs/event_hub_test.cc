#include "jobs/event_hub.h"

#include <gtest/gtest.h>

#include "jobs/job_outcome.h"

namespace traind::jobs {
namespace {

nlohmann::json event(const std::string& type, int n) { return {{"type", type}, {"n", n}}; }

TEST(EventHubTest, DeliversEventsInOrderAndEndsAfterTheFinalOne) {
  EventHub hub;
  auto sub = hub.subscribe("job-1");
  int notified = 0;
  sub->set_notifier([&] { ++notified; });
  hub.publish("job-1", event("progress", 1));
  hub.publish("job-2", event("progress", 99));  // another job: not delivered
  hub.publish("job-1", event("log", 2));
  hub.publish("job-1", event("status", 3), true);
  hub.publish("job-1", event("progress", 4));  // after the end: not delivered
  EXPECT_EQ(notified, 3);
  std::vector<nlohmann::json> out;
  EXPECT_TRUE(sub->drain(out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["n"], 1);
  EXPECT_EQ(out[1]["n"], 2);
  EXPECT_EQ(out[2]["n"], 3);
  out.clear();
  EXPECT_FALSE(sub->drain(out));
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(EventHubTest, TenantSubscriptionSeesStatusAndProgressOfItsTenantsJobsOnly) {
  EventHub hub;
  auto acme = hub.subscribe_tenant("acme");
  auto other = hub.subscribe_tenant("other");
  nlohmann::json queued = {{"type", "status"},   {"job_id", "job-1"},    {"tenant_id", "acme"},
                           {"status", "queued"}, {"config", {{"a", 1}}}, {"curves", nullptr}};
  hub.publish("job-1", queued);
  hub.publish("job-1", {{"type", "progress"}, {"iteration", 3}, {"history", {1, 2, 3}}});
  hub.publish("job-1", {{"type", "log"}, {"message", "hello"}});   // not for lists
  hub.publish("job-2", {{"type", "progress"}, {"iteration", 1}});  // tenant unknown: dropped
  nlohmann::json done = queued;
  done["status"] = "completed";
  hub.publish("job-1", done, true);
  hub.publish("job-1", {{"type", "progress"}, {"iteration", 4}});  // after the end
  std::vector<nlohmann::json> out;
  EXPECT_TRUE(acme->drain(out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["status"], "queued");
  EXPECT_FALSE(out[0].contains("config"));
  EXPECT_FALSE(out[0].contains("curves"));
  EXPECT_EQ(out[1]["iteration"], 3);
  EXPECT_FALSE(out[1].contains("history"));
  EXPECT_EQ(out[2]["status"], "completed");
  out.clear();
  EXPECT_TRUE(acme->drain(out));  // a tenant stream never ends
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(other->drain(out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(hub.subscriber_count(), 2u);
  hub.unsubscribe_tenant("acme", acme);
  hub.unsubscribe_tenant("other", other);
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(EventHubTest, SnapshotComesFirstAndATerminalSnapshotEndsTheStream) {
  EventHub hub;
  auto live = hub.subscribe("job-1", [] { return std::make_pair(event("status", 0), false); });
  hub.publish("job-1", event("progress", 1));
  std::vector<nlohmann::json> out;
  ASSERT_TRUE(live->drain(out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]["type"], "status");
  EXPECT_EQ(out[1]["n"], 1);

  auto ended = hub.subscribe("job-2", [] { return std::make_pair(event("status", 7), true); });
  EXPECT_EQ(hub.subscriber_count(), 1u);  // only `live`: the ended stream is not kept
  out.clear();
  EXPECT_TRUE(ended->drain(out));
  ASSERT_EQ(out.size(), 1u);
  out.clear();
  EXPECT_FALSE(ended->drain(out));
}

TEST(EventHubTest, SlowSubscriberLosesProgressButNeverStatus) {
  EventHub hub;
  auto sub = hub.subscribe("job-1");
  hub.publish("job-1", event("status", -1));
  for (int i = 0; i < 3000; ++i) hub.publish("job-1", event("progress", i));
  hub.publish("job-1", event("status", -2), true);
  std::vector<nlohmann::json> out;
  sub->drain(out);
  EXPECT_LE(out.size(), 1001u);
  EXPECT_EQ(out.front()["n"], -1);
  EXPECT_EQ(out.back()["n"], -2);
  EXPECT_EQ(out[out.size() - 2]["n"], 2999);  // the newest progress survives
}

TEST(EventHubTest, UnsubscribedStreamReceivesNothing) {
  EventHub hub;
  auto sub = hub.subscribe("job-1");
  hub.unsubscribe("job-1", sub);
  hub.publish("job-1", event("progress", 1));
  std::vector<nlohmann::json> out;
  sub->drain(out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

WorkerReport report(bool exited, int code, int signal) {
  WorkerReport r;
  r.exit.exited = exited;
  r.exit.exit_code = code;
  r.exit.signal = signal;
  r.memory_bytes = 1024;
  r.max_duration_seconds = 60;
  return r;
}

TEST(JobOutcomeTest, EachEndingMapsToItsCode) {
  auto ok = report(true, 0, 0);
  ok.has_result = true;
  EXPECT_EQ(decide_outcome(ok).status, JobStatus::kCompleted);

  auto no_result = report(true, 0, 0);
  EXPECT_EQ(decide_outcome(no_result).error["code"], "WORKER_CRASHED");

  auto reported = report(true, 1, 0);
  reported.error_event = {{"code", "DATASET_TOO_LARGE"}, {"message", "too big"}};
  EXPECT_EQ(decide_outcome(reported).error["code"], "DATASET_TOO_LARGE");
  EXPECT_EQ(decide_outcome(reported).error["message"], "too big");

  auto odd_code = report(true, 1, 0);
  odd_code.error_event = {{"code", "FORBIDDEN"}, {"message", "x"}};
  EXPECT_EQ(decide_outcome(odd_code).error["code"], "TRAINING_ERROR");

  auto oom = report(true, 3, 0);
  EXPECT_EQ(decide_outcome(oom).error["code"], "OUT_OF_MEMORY");
  EXPECT_EQ(decide_outcome(oom).error["message"],
            "the worker ran out of memory (limit 1024 bytes)");

  auto killed = report(false, 0, 9);
  EXPECT_EQ(decide_outcome(killed).error["message"],
            "the worker process ended with signal 9 (SIGKILL)");

  auto timed_out = report(false, 0, 15);
  timed_out.stopped_by = StopReason::kTimeout;
  EXPECT_EQ(decide_outcome(timed_out).error["code"], "TIMEOUT");
  EXPECT_EQ(decide_outcome(timed_out).error["message"],
            "the job ran longer than the tenant's limit of 60 s");

  auto cancelled = report(false, 0, 15);
  cancelled.stopped_by = StopReason::kCancel;
  EXPECT_EQ(decide_outcome(cancelled).status, JobStatus::kCancelled);
}

}  // namespace
}  // namespace traind::jobs
