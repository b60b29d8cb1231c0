// traind-worker: runs one training job in its own process (see jobs/worker_job.h).
//
// Reads the job file, runs the pipeline, and reports on file descriptor 3: progress and
// log events while it runs, then one "result" line (exit 0) or one "error" line (exit 1).
// Out of memory where nothing can be reported: exit 3. SIGTERM asks the pipeline to stop
// (it answers kCancelled). Log lines go to stderr, which the server keeps as worker.log.
//
// With --standby the worker is started before there is a job: it loads its libraries, then
// waits for one line on stdin naming the job ({"job_file", "log_file", "threads"}), points
// its output at the job's log and runs it as above. End of input = not needed; exit 0.
#include <fcntl.h>
#include <fmt/format.h>
#include <omp.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <new>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "jobs/worker_job.h"
#include "train/pipeline.h"

namespace {

std::atomic<bool> g_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_sigterm(int) { g_stop_requested.store(true); }

// One JSON line per event on fd 3; a mutex keeps lines whole when the pipeline's threads
// report at once.
class EventWriter {
 public:
  void write(const nlohmann::json& event) {
    std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    std::lock_guard lock(mu_);
    if (broken_) return;
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(traind::jobs::kWorkerEventsFd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        // The server is gone: keep training quietly; nobody reads the result.
        broken_ = true;
        return;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

 private:
  std::mutex mu_;
  bool broken_ = false;
};

// Codes a failed job may carry (API.md); request-level codes from the pipeline mean the
// data did not match what validation saw.
const char* job_error_code(traind::ErrorCode code) {
  using traind::ErrorCode;
  switch (code) {
    case ErrorCode::kTimeout:
    case ErrorCode::kOutOfMemory:
    case ErrorCode::kDatasetTooLarge:
    case ErrorCode::kDataError:
    case ErrorCode::kTrainingError:
    case ErrorCode::kWorkerCrashed:
    case ErrorCode::kServerRestarted:
    case ErrorCode::kCancelled:
      return traind::error_code_name(code);
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidConfig:
    case ErrorCode::kNotFound:
    case ErrorCode::kForbidden:
      return "DATA_ERROR";
    default:
      return "TRAINING_ERROR";
  }
}

int run(const std::string& job_file, int threads, EventWriter& events) {
  std::ifstream in(job_file);
  if (!in) {
    events.write({{"type", "error"},
                  {"error",
                   {{"code", "WORKER_CRASHED"},
                    {"message", fmt::format("cannot read the job file {}", job_file)}}}});
    return traind::jobs::kWorkerExitFailed;
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  auto job = doc.is_discarded()
                 ? traind::Result<traind::jobs::WorkerJob>(traind::Status(
                       traind::ErrorCode::kInternal, "the job file is not valid JSON"))
                 : traind::jobs::WorkerJob::from_json(doc);
  if (!job.is_ok()) {
    events.write(
        {{"type", "error"},
         {"error",
          {{"code", "WORKER_CRASHED"}, {"message", "bad job file: " + job.status().message()}}}});
    return traind::jobs::kWorkerExitFailed;
  }

  traind::train::PipelineEnv env;
  env.databases = job->databases;
  env.limits.deadline = std::chrono::milliseconds(
      job->query_deadline_ms > 0 ? job->query_deadline_ms
                                 : traind::data::QueryLimits{}.deadline.count());
  if (job->max_dataset_bytes > 0)
    env.limits.max_bytes = static_cast<uint64_t>(job->max_dataset_bytes);
  env.threads = threads > 0 ? threads : (job->threads > 0 ? job->threads : 1);
  env.model_dir = job->model_dir;
  env.emit = [&events](const nlohmann::json& e) { events.write(e); };
  env.stop_requested = &g_stop_requested;

  spdlog::info("job {} (tenant {}): training starts with {} thread(s)", job->job_id, job->tenant_id,
               env.threads);
  auto result = traind::train::run_training(job->config, env);
  if (!result.is_ok()) {
    const traind::Status& st = result.status();
    spdlog::error("job {} failed: {}", job->job_id, st.to_string());
    events.write({{"type", "error"},
                  {"error", {{"code", job_error_code(st.code())}, {"message", st.message()}}}});
    return traind::jobs::kWorkerExitFailed;
  }
  events.write({{"type", "result"}, {"result", *result}});
  spdlog::info("job {} completed", job->job_id);
  return traind::jobs::kWorkerExitOk;
}

// Waits for the job line of a standby worker; false when the server closed stdin or sent
// something that is not a job line.
bool read_standby_job(std::string& job_file, int& threads) {
  std::string line;
  char c;
  constexpr size_t kMaxLine = 64 << 10;
  for (;;) {
    const ssize_t n = ::read(0, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || line.size() > kMaxLine) return false;
    if (c == '\n') break;
    line += c;
  }
  const auto job = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!job.is_object() || !job.value("job_file", nlohmann::json()).is_string() ||
      !job.value("log_file", nlohmann::json()).is_string() ||
      !job.value("threads", nlohmann::json()).is_number_integer()) {
    return false;
  }
  job_file = job["job_file"].get<std::string>();
  threads = std::max(1, job["threads"].get<int>());
  const std::string log_file = job["log_file"].get<std::string>();
  const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return false;
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  ::close(log_fd);
  // OMP_NUM_THREADS was read when the libraries loaded, before the job was known.
  omp_set_num_threads(threads);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"traind-worker: runs one training job (started by traind; not for direct use)"};
  std::string job_file;
  int threads = 0;
  bool standby = false;
  auto* job_file_option =
      app.add_option("--job-file", job_file, "The job file (JSON) the server wrote");
  app.add_flag("--standby", standby,
               "Wait for the job on stdin: one JSON line {job_file, log_file, threads}")
      ->excludes(job_file_option);
  app.add_option("--threads", threads, "Library thread count (0 = the job file's)")
      ->check(CLI::Range(0, 1024));
  CLI11_PARSE(app, argc, argv);
  if (!standby && job_file.empty()) {
    std::fprintf(stderr, "traind-worker: --job-file or --standby is required\n");
    return traind::jobs::kWorkerExitFailed;
  }
  // SIGTERM asks a running job to stop; a standby worker waiting for its job just ends.
  if (standby && !read_standby_job(job_file, threads)) return traind::jobs::kWorkerExitOk;

  auto logger = spdlog::stderr_logger_mt("worker");
  spdlog::set_default_logger(logger);

  struct sigaction sa {};
  sa.sa_handler = on_sigterm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  // A server that went away must not kill the worker through SIGPIPE on fd 3.
  signal(SIGPIPE, SIG_IGN);

  EventWriter events;
  try {
    return run(job_file, threads, events);
  } catch (const std::bad_alloc&) {
    // Nothing may allocate here: report through the exit code alone.
    std::_Exit(traind::jobs::kWorkerExitOutOfMemory);
  } catch (const std::exception& e) {
    try {
      spdlog::error("unexpected exception: {}", e.what());
      events.write({{"type", "error"},
                    {"error",
                     {{"code", "TRAINING_ERROR"},
                      {"message", fmt::format("unexpected error: {}", e.what())}}}});
    } catch (const std::bad_alloc&) {
      std::_Exit(traind::jobs::kWorkerExitOutOfMemory);
    } catch (...) {
    }
    return traind::jobs::kWorkerExitFailed;
  }
}
