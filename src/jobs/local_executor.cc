// The local executor: one child process per job, limits applied between fork and exec.
//
// Limits: memory by RLIMIT_DATA (this machine's cgroups are v1 and not delegated to us,
// so a cgroup cannot be created; /readyz reports "rlimit"), CPU cores by affinity plus
// OMP_NUM_THREADS and --threads, no GPU visible (CUDA_VISIBLE_DEVICES=""). The worker gets
// its own process group so that a stop reaches every thread and child it started.
// Events arrive as JSON lines on the worker's fd 3; a reader thread per worker parses them
// and, at end of stream, reaps the process and reports how it ended.
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

#include "jobs/executor.h"
#include "jobs/worker_job.h"

namespace traind::jobs {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The address and thread sanitizers reserve terabytes of address space for their shadow
// memory, which no data limit allows: a sanitizer build runs its workers without one.
constexpr bool kLimitData = false;
#else
constexpr bool kLimitData = true;
#endif

class LocalExecutor : public Executor {
 public:
  explicit LocalExecutor(std::string worker_binary) : worker_binary_(std::move(worker_binary)) {}

  std::string name() const override { return "local"; }
  std::string memory_enforcement() const override { return kLimitData ? "rlimit" : "none"; }

  Result<int64_t> start(const WorkerLaunch& launch, WorkerCallbacks callbacks) override {
    // Checked here: after fork, a failed exec could only say "exit code 127".
    if (::access(worker_binary_.c_str(), X_OK) != 0) {
      return Status(ErrorCode::kInternal, fmt::format("the worker program {} cannot be run: {}",
                                                      worker_binary_, std::strerror(errno)));
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return Status(ErrorCode::kInternal, fmt::format("pipe: {}", std::strerror(errno)));
    }
    std::string log_path = launch.work_dir + "/worker.log";
    int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
      close(fds[0]);
      close(fds[1]);
      return Status(ErrorCode::kInternal,
                    fmt::format("open {}: {}", log_path, std::strerror(errno)));
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int cores = std::max(1, std::min<int>(launch.cpu_cores, static_cast<int>(std::max(1L, ncpu))));
    // Everything the child needs is prepared before fork: after fork only
    // async-signal-safe calls are allowed.
    std::vector<std::string> args = {worker_binary_, "--job-file", launch.job_file, "--threads",
                                     std::to_string(cores)};
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
      std::string kv = *e;
      if (kv.rfind("OMP_NUM_THREADS=", 0) == 0 || kv.rfind("CUDA_VISIBLE_DEVICES=", 0) == 0 ||
          kv.rfind("MALLOC_ARENA_MAX=", 0) == 0) {
        continue;
      }
      env_strings.push_back(kv);
    }
    env_strings.push_back(fmt::format("OMP_NUM_THREADS={}", cores));
    env_strings.push_back(launch.gpus > 0 ? "CUDA_VISIBLE_DEVICES=0" : "CUDA_VISIBLE_DEVICES=");
    // Each thread's malloc arena counts against the data limit; keep them few.
    env_strings.push_back("MALLOC_ARENA_MAX=2");
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    int first = next_core_.fetch_add(cores) % std::max(1L, ncpu);
    for (int i = 0; i < cores; ++i) CPU_SET((first + i) % std::max(1L, ncpu), &cpus);
    rlimit mem{static_cast<rlim_t>(launch.memory_bytes), static_cast<rlim_t>(launch.memory_bytes)};

    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      close(log_fd);
      return Status(ErrorCode::kInternal, fmt::format("fork: {}", std::strerror(errno)));
    }
    if (pid == 0) {
      setpgid(0, 0);
      // A worker cannot be re-adopted by a later server (its events pipe is gone), so it
      // dies with the server that started it. The death signal follows the thread that
      // forked: the scheduler's, which lives as long as the server.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      // The events pipe becomes fd 3; stdout and stderr go to the job's log. Both are first
      // moved above 3 so that neither is overwritten by the other's dup2, and so that dup2
      // always makes a new descriptor (which clears close-on-exec).
      int events_fd = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
      int output_fd = fcntl(log_fd, F_DUPFD_CLOEXEC, 10);
      if (events_fd < 0 || output_fd < 0) _exit(127);
      dup2(events_fd, kWorkerEventsFd);
      dup2(output_fd, 1);
      dup2(output_fd, 2);
      int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (devnull >= 0) dup2(devnull, 0);
      if (kLimitData && launch.memory_bytes > 0) setrlimit(RLIMIT_DATA, &mem);
      sched_setaffinity(0, sizeof(cpus), &cpus);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      signal(SIGPIPE, SIG_DFL);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    setpgid(pid, pid);  // also from the parent: no race with an early stop()
    close(fds[1]);
    close(log_fd);
    std::thread([fd = fds[0], pid, cb = std::move(callbacks)]() {
      read_events(fd, pid, cb);
    }).detach();
    return static_cast<int64_t>(pid);
  }

  void stop(int64_t worker_id, bool force) override {
    if (worker_id <= 0) return;
    kill(-static_cast<pid_t>(worker_id), force ? SIGKILL : SIGTERM);
  }

  bool alive(int64_t worker_id, const std::string& job_id) override {
    if (worker_id <= 0) return false;
    // A pid may have been reused: it is our worker only if its command line is a worker's
    // (--job-file) and names the job (the job file lives in the job's directory).
    std::ifstream in(fmt::format("/proc/{}/cmdline", worker_id), std::ios::binary);
    if (!in) return false;
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return cmdline.find("--job-file") != std::string::npos &&
           cmdline.find("/" + job_id + "/") != std::string::npos;
  }

 private:
  static void read_events(int fd, pid_t pid, const WorkerCallbacks& cb) {
    std::string buffer;
    char chunk[8192];
    constexpr size_t kMaxLine = 4 << 20;  // a worker cannot make us hold more than this
    bool overflow = false;
    for (;;) {
      ssize_t n = read(fd, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      size_t start = 0, nl;
      while ((nl = buffer.find('\n', start)) != std::string::npos) {
        std::string line = buffer.substr(start, nl - start);
        start = nl + 1;
        if (overflow) {
          overflow = false;
          continue;
        }
        auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_object()) {
          if (cb.on_event) cb.on_event(event);
        } else if (!line.empty() && cb.on_garbage) {
          cb.on_garbage(line.substr(0, 200));
        }
      }
      buffer.erase(0, start);
      if (buffer.size() > kMaxLine) {
        if (cb.on_garbage) cb.on_garbage(buffer.substr(0, 200));
        buffer.clear();
        overflow = true;
      }
    }
    close(fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    WorkerExit exit;
    exit.exited = WIFEXITED(status);
    exit.exit_code = exit.exited ? WEXITSTATUS(status) : 0;
    exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    // The worker is gone; make sure nothing it started outlives it.
    kill(-pid, SIGKILL);
    if (cb.on_exit) cb.on_exit(exit);
  }

  std::string worker_binary_;
  std::atomic<int> next_core_{0};
};

}  // namespace

std::unique_ptr<Executor> make_local_executor(const std::string& worker_binary) {
  return std::make_unique<LocalExecutor>(worker_binary);
}

}  // namespace traind::jobs
