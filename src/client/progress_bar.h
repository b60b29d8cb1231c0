// The live progress line of `trainctl watch`: the job's state folded from its events, one
// line rendered from that state (a pure function, so tests pin its text), and when a line
// is worth printing where the output is not a terminal (a log file wants a line per phase
// and every ~10% or 5 s, not one per event).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace traind::client {

struct ProgressState {
  std::string job_id;
  std::string status;  // queued, running, ...
  std::string phase;   // loading_data, training, ...
  double percent = 0;  // of the current phase
  long iteration = -1;
  long total_iterations = -1;
  std::string metric_name;  // the main metric, e.g. valid_logloss
  std::optional<double> metric_value;
  std::optional<double> eta_seconds;
};

// The metric a person watches: the first validation metric ("valid_*", then "val_*",
// "test_*"), else the first one. "" when there are none.
std::string main_metric_name(const nlohmann::json& metrics);

// Folds a status snapshot (its `progress` object) or a progress event into the state.
void apply_event(ProgressState& state, const nlohmann::json& event);

struct ProgressStyle {
  bool unicode = false;  // block characters for the bar, else '#' and '-'
  bool color = false;
  int bar_width = 24;
};

// e.g. "training      [##########--------------]  42%  iter 42/100  valid_logloss 0.3500
// ETA 12s" (one line, no newline).
std::string render_progress_line(const ProgressState& state, const ProgressStyle& style);

// "12s", "3m 05s", "1h 02m".
std::string format_duration(double seconds);

// Decides which states a non-terminal output prints: the first, each change of status or
// phase, each new 10% of the phase, and otherwise one every `interval_seconds`.
class ProgressThrottle {
 public:
  explicit ProgressThrottle(double interval_seconds = 5.0) : interval_(interval_seconds) {}
  bool should_print(const ProgressState& state, double now_seconds);

 private:
  double interval_;
  bool printed_ = false;
  std::string status_;
  std::string phase_;
  int decile_ = -1;
  double last_time_ = 0;
};

}  // namespace traind::client
