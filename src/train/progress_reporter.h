// ProgressReporter: the events a running training job sends to whoever watches it.
//
// Progress per phase ({"type":"progress","phase":...,"percent":...}), per training
// iteration (with metrics and a measured ETA, at most one every 200 ms) and log lines
// ({"type":"log","level":...,"message":...}), all through PipelineEnv::emit. Also answers
// whether the job was asked to stop. Used from the training thread only.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "algorithms/trainer.h"
#include "train/pipeline.h"

namespace traind::train {

// Seconds since `start`, rounded to milliseconds as API.md shows durations (842.137).
double seconds_since(std::chrono::steady_clock::time_point start);

class ProgressReporter {
 public:
  explicit ProgressReporter(const PipelineEnv& env) : env_(env) {}

  // A phase begins (percent 0 unless `extra` says otherwise).
  void phase(const std::string& name, nlohmann::json extra = nlohmann::json::object()) const;
  void log(const std::string& level, const std::string& message) const;
  bool stop_requested() const;

  // The training phase begins: announces it and starts the clock the ETA is measured on.
  void begin_training();
  // TrainOptions::on_iteration: reports the iteration, returns false once a stop was asked.
  bool on_iteration(const algorithms::IterationReport& report);

 private:
  void send(const nlohmann::json& event) const;

  const PipelineEnv& env_;
  std::chrono::steady_clock::time_point training_start_{};
  std::chrono::steady_clock::time_point last_iteration_event_{};
  // Every iteration's metrics since the last event, sent with it as "history" (the run's
  // metric history keeps each boosting round or epoch, not one per event).
  nlohmann::json history_ = nlohmann::json::array();
};

}  // namespace traind::train
