// jobs_test_worker: a stand-in for traind-worker in the jobs layer's tests.
//
// It speaks the worker protocol of jobs/worker_job.h (job file in, JSON lines on fd 3,
// exit codes) and does what config.hyperparameters.behaviour asks:
//   succeed   progress, a model bundle with one file, a result line, exit 0
//   garbage   lines that are not JSON objects, then as succeed
//   crash     raises SIGSEGV
//   sleep     sleeps until killed (at most 120 s, so a lost test cannot leave it forever)
//   stubborn  as sleep, but ignores SIGTERM
//   oom       exits with code 3
//   error     an error event (DATA_ERROR), exit 1
// With --standby it first waits for the job line on stdin, as traind-worker does.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "jobs/worker_job.h"

namespace {

void write_line(const std::string& line) {
  std::string data = line + "\n";
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(traind::jobs::kWorkerEventsFd, data.data() + done, data.size() - done);
    if (n <= 0) _exit(2);
    done += static_cast<size_t>(n);
  }
}

void emit(const nlohmann::json& event) { write_line(event.dump()); }

void sleep_until_killed() {
  for (int i = 0; i < 1200; ++i) usleep(100 * 1000);
}

int succeed(const traind::jobs::WorkerJob& job) {
  emit({{"type", "progress"}, {"phase", "loading_data"}, {"percent", 0.0}});
  emit({{"type", "log"}, {"level", "info"}, {"message", "loaded 3 rows"}});
  emit({{"type", "progress"},
        {"phase", "training"},
        {"percent", 50.0},
        {"iteration", 5},
        {"total_iterations", 10},
        {"metrics", {{"train_logloss", 0.4}}}});
  if (::mkdir(job.model_dir.c_str(), 0700) != 0) return 1;
  const std::string artifact = R"({"learner": "test"})";
  std::ofstream(job.model_dir + "/model.json") << artifact;
  emit({{"type", "progress"}, {"phase", "saving"}, {"percent", 100.0}});
  nlohmann::json result = {{"metrics", {{"accuracy", 0.9}}},
                           {"feature_importance", {{"tenure", 1.0}}},
                           {"training_duration_seconds", 0.125},
                           {"data_summary", {{"total_samples", 3}}},
                           {"model",
                            {{"algorithm", job.config.value("algorithm", "")},
                             {"format", "test-json"},
                             {"file", "model.json"},
                             {"feature_schema", {{"columns", {"tenure"}}}}}}};
  emit({{"type", "result"}, {"result", result}});
  return traind::jobs::kWorkerExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string job_file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--job-file") == 0 && i + 1 < argc) job_file = argv[i + 1];
    if (std::strcmp(argv[i], "--standby") == 0) {
      std::string line;
      if (!std::getline(std::cin, line)) return 0;  // not needed after all
      const auto handover = nlohmann::json::parse(line, nullptr, false);
      if (!handover.is_object()) return 2;
      job_file = handover.value("job_file", "");
      if (!std::freopen(handover.value("log_file", "").c_str(), "a", stdout)) return 2;
    }
  }
  std::ifstream in(job_file);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed =
      traind::jobs::WorkerJob::from_json(nlohmann::json::parse(text.str(), nullptr, false));
  if (!parsed) {
    std::cerr << "bad job file " << job_file << ": " << parsed.status().to_string() << "\n";
    return 2;
  }
  const auto& job = *parsed;
  std::string behaviour = "succeed";
  if (job.config.contains("hyperparameters") && job.config["hyperparameters"].is_object()) {
    behaviour = job.config["hyperparameters"].value("behaviour", "succeed");
  }
  std::cout << "test worker: job " << job.job_id << " behaviour " << behaviour << std::endl;
  if (behaviour == "succeed") return succeed(job);
  if (behaviour == "garbage") {
    write_line("this is not json");
    write_line("[1, 2, 3]");
    write_line("{\"type\": \"progress\", broken");
    return succeed(job);
  }
  if (behaviour == "crash") {
    emit({{"type", "progress"}, {"phase", "training"}, {"percent", 10.0}});
    signal(SIGSEGV, SIG_DFL);  // a sanitizer's handler would turn the crash into exit 1
    raise(SIGSEGV);
    return 1;
  }
  if (behaviour == "sleep" || behaviour == "stubborn") {
    if (behaviour == "stubborn") signal(SIGTERM, SIG_IGN);
    emit({{"type", "progress"}, {"phase", "training"}, {"percent", 1.0}});
    sleep_until_killed();
    return 1;
  }
  if (behaviour == "oom") return traind::jobs::kWorkerExitOutOfMemory;
  if (behaviour == "error") {
    emit({{"type", "error"},
          {"error", {{"code", "DATA_ERROR"}, {"message", "no such table: ml_features.nothing"}}}});
    return traind::jobs::kWorkerExitFailed;
  }
  std::cerr << "unknown behaviour " << behaviour << "\n";
  return 2;
}
