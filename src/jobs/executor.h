// Executor: where a job's worker process runs. `local` (child processes of the server)
// is the embedded default; a cluster executor implements the same interface.
//
// The executor starts the worker with the job's limits applied before it loads any data,
// streams the worker's events back, and reports how the process ended. Callbacks run on
// the executor's own threads; they must not block for long.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind::jobs {

struct WorkerLaunch {
  std::string job_id;
  std::string job_file;  // JSON the worker reads: config, data sources, limits, output dirs
  std::string work_dir;  // the job's directory (logs go here)
  int cpu_cores = 1;
  int64_t memory_bytes = 0;
  int gpus = 0;
};

struct WorkerExit {
  bool exited = false;  // exited normally (else killed by a signal)
  int exit_code = 0;
  int signal = 0;
};

struct WorkerCallbacks {
  std::function<void(const nlohmann::json& event)> on_event;
  // A line that was not a JSON object: the worker is misbehaving.
  std::function<void(const std::string& line)> on_garbage;
  std::function<void(const WorkerExit&)> on_exit;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual std::string name() const = 0;
  // How the memory limit is enforced ("rlimit", "cgroup"), for /readyz.
  virtual std::string memory_enforcement() const = 0;
  // Starts the worker; returns its pid (or cluster id).
  virtual Result<int64_t> start(const WorkerLaunch& launch, WorkerCallbacks callbacks) = 0;
  // Asks the worker to stop (graceful); `force` kills it at once.
  virtual void stop(int64_t worker_id, bool force) = 0;
  // Whether a worker from an earlier server run is still alive (for reconciliation).
  virtual bool alive(int64_t worker_id, const std::string& job_id) = 0;
};

// Runs `worker_binary` as a child process per job. With `standby_worker`, one worker is
// always started ahead of need (`traind-worker --standby`) and given the next job, so a job
// does not wait for a process to start and load its libraries.
std::unique_ptr<Executor> make_local_executor(const std::string& worker_binary,
                                              bool standby_worker = false);

}  // namespace traind::jobs
