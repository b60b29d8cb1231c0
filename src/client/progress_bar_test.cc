#include "client/progress_bar.h"

#include <gtest/gtest.h>

namespace traind::client {
namespace {

using nlohmann::json;

ProgressState training_at(int iteration) {
  ProgressState s;
  apply_event(s, json::parse(R"({"type":"status","status":"running","job_id":"train-1",
      "progress":{"phase":"training","percent":0,"iteration":0,"total_iterations":100}})"));
  apply_event(s, json{{"type", "progress"},
                      {"phase", "training"},
                      {"percent", iteration},
                      {"iteration", iteration},
                      {"total_iterations", 100},
                      {"metrics", {{"train_logloss", 0.31}, {"valid_logloss", 0.35}}},
                      {"eta_seconds", 11.5}});
  return s;
}

TEST(ProgressLine, ShowsPhaseBarIterationMetricAndEta) {
  ProgressState s = training_at(42);
  EXPECT_EQ(render_progress_line(s, ProgressStyle{.bar_width = 10}),
            "training      [####------]  42%  iter 42/100  valid_logloss 0.3500  ETA 12s");
}

TEST(ProgressLine, UnicodeBarHasTheSameWidth) {
  ProgressState s = training_at(50);
  std::string line = render_progress_line(s, ProgressStyle{.unicode = true, .bar_width = 4});
  EXPECT_NE(line.find("[\u2588\u2588\u2591\u2591]"), std::string::npos) << line;
}

TEST(ProgressLine, QueuedJobHasAnEmptyBar) {
  ProgressState s;
  apply_event(s, json{{"type", "status"}, {"status", "queued"}});
  EXPECT_EQ(render_progress_line(s, ProgressStyle{.bar_width = 4}), "queued        [----]   0%");
}

TEST(ProgressLine, NewPhaseDropsTheIterations) {
  ProgressState s = training_at(100);
  apply_event(s, json{{"type", "progress"}, {"phase", "evaluating"}, {"percent", 0}});
  EXPECT_EQ(render_progress_line(s, ProgressStyle{.bar_width = 4}),
            "evaluating    [----]   0%  valid_logloss 0.3500");
}

TEST(MainMetric, PrefersValidation) {
  EXPECT_EQ(main_metric_name(json{{"train_loss", 1}, {"valid_auc", 0.8}}), "valid_auc");
  EXPECT_EQ(main_metric_name(json{{"loss", 1}}), "loss");
  EXPECT_EQ(main_metric_name(json::object()), "");
}

TEST(Duration, ReadsLikeAPersonWouldWriteIt) {
  EXPECT_EQ(format_duration(2.345), "2.3s");
  EXPECT_EQ(format_duration(42), "42s");
  EXPECT_EQ(format_duration(185), "3m 05s");
  EXPECT_EQ(format_duration(3720), "1h 02m");
}

TEST(Throttle, PrintsPhaseChangesTenPercentStepsAndEveryFiveSeconds) {
  ProgressThrottle t(5.0);
  ProgressState s;
  s.status = "running";
  s.phase = "training";
  s.percent = 1;
  EXPECT_TRUE(t.should_print(s, 0.0));  // first
  s.percent = 5;
  EXPECT_FALSE(t.should_print(s, 0.1));  // same decile
  s.percent = 12;
  EXPECT_TRUE(t.should_print(s, 0.2));  // new 10%
  s.percent = 13;
  EXPECT_FALSE(t.should_print(s, 1.0));
  EXPECT_TRUE(t.should_print(s, 5.3));  // 5 s since the last line
  s.phase = "evaluating";
  s.percent = 0;
  EXPECT_TRUE(t.should_print(s, 5.4));  // phase change
}

}  // namespace
}  // namespace traind::client
