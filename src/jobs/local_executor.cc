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
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
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

// What a forked child does before exec: descriptors, process group, limits, signals.
// Prepared entirely before fork, because after fork only async-signal-safe calls are allowed.
struct ChildSetup {
  std::vector<std::string> args;
  std::vector<std::string> env;
  int events_fd = -1;  // becomes fd 3
  int input_fd = -1;   // becomes fd 0
  int output_fd = -1;  // becomes fds 1 and 2
  bool limit_data = false;
  rlimit data_limit{};
  bool set_affinity = false;
  cpu_set_t cpus{};
};

// Forks and execs; returns the child's pid or -1 (errno set).
pid_t fork_exec(ChildSetup& setup) {
  std::vector<char*> argv, envp;
  for (auto& a : setup.args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : setup.env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) {
    if (pid > 0) setpgid(pid, pid);  // also from the parent: no race with an early stop()
    return pid;
  }
  setpgid(0, 0);
  // A worker cannot be re-adopted by a later server (its events pipe is gone), so it dies
  // with the server that started it. The death signal follows the thread that forked: the
  // scheduler's (or, for the first standby worker, the main thread), which live as long as
  // the server.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  // Every descriptor is first moved above 3 so that no dup2 overwrites another, and so that
  // dup2 always makes a new descriptor (which clears close-on-exec).
  int events_fd = fcntl(setup.events_fd, F_DUPFD_CLOEXEC, 10);
  int input_fd = fcntl(setup.input_fd, F_DUPFD_CLOEXEC, 10);
  int output_fd = fcntl(setup.output_fd, F_DUPFD_CLOEXEC, 10);
  if (events_fd < 0 || input_fd < 0 || output_fd < 0) _exit(127);
  dup2(events_fd, kWorkerEventsFd);
  dup2(input_fd, 0);
  dup2(output_fd, 1);
  dup2(output_fd, 2);
  if (setup.limit_data) setrlimit(RLIMIT_DATA, &setup.data_limit);
  if (setup.set_affinity) sched_setaffinity(0, sizeof(setup.cpus), &setup.cpus);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

// The server's environment without the variables the executor sets per worker.
std::vector<std::string> worker_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("OMP_NUM_THREADS=", 0) == 0 || kv.rfind("CUDA_VISIBLE_DEVICES=", 0) == 0 ||
        kv.rfind("MALLOC_ARENA_MAX=", 0) == 0) {
      continue;
    }
    env.push_back(kv);
  }
  // Each thread's malloc arena counts against the data limit; keep them few.
  env.push_back("MALLOC_ARENA_MAX=2");
  return env;
}

class LocalExecutor : public Executor {
 public:
  LocalExecutor(std::string worker_binary, bool use_standby)
      : worker_binary_(std::move(worker_binary)), use_standby_(use_standby) {
    if (use_standby_) spawn_standby();
  }

  ~LocalExecutor() override {
    std::lock_guard lock(standby_mu_);
    if (standby_) discard(*standby_);
  }

  std::string name() const override { return "local"; }
  std::string memory_enforcement() const override { return kLimitData ? "rlimit" : "none"; }

  Result<int64_t> start(const WorkerLaunch& launch, WorkerCallbacks callbacks) override {
    // Checked here: after fork, a failed exec could only say "exit code 127".
    if (::access(worker_binary_.c_str(), X_OK) != 0) {
      return Status(ErrorCode::kInternal, fmt::format("the worker program {} cannot be run: {}",
                                                      worker_binary_, std::strerror(errno)));
    }
    const long ncpu = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
    const int cores = std::max(1, std::min<int>(launch.cpu_cores, static_cast<int>(ncpu)));
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    const int first = next_core_.fetch_add(cores) % ncpu;
    for (int i = 0; i < cores; ++i) CPU_SET((first + i) % ncpu, &cpus);
    const rlimit mem{static_cast<rlim_t>(launch.memory_bytes),
                     static_cast<rlim_t>(launch.memory_bytes)};
    const bool limit_data = kLimitData && launch.memory_bytes > 0;

    // A GPU job needs another environment than the standby worker was started with.
    if (use_standby_ && launch.gpus == 0) {
      if (auto pid = hand_over(launch, cores, cpus, limit_data, mem, callbacks)) {
        spawn_standby();
        return static_cast<int64_t>(*pid);
      }
    }

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return Status(ErrorCode::kInternal, fmt::format("pipe: {}", std::strerror(errno)));
    }
    const std::string log_path = launch.work_dir + "/worker.log";
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log_fd < 0 || null_fd < 0) {
      const std::string error = std::strerror(errno);
      for (int fd : {fds[0], fds[1], log_fd, null_fd}) {
        if (fd >= 0) close(fd);
      }
      return Status(ErrorCode::kInternal, fmt::format("open {}: {}", log_path, error));
    }
    ChildSetup setup;
    setup.args = {worker_binary_, "--job-file", launch.job_file, "--threads",
                  std::to_string(cores)};
    setup.env = worker_environment();
    setup.env.push_back(fmt::format("OMP_NUM_THREADS={}", cores));
    setup.env.push_back(launch.gpus > 0 ? "CUDA_VISIBLE_DEVICES=0" : "CUDA_VISIBLE_DEVICES=");
    setup.events_fd = fds[1];
    setup.input_fd = null_fd;
    setup.output_fd = log_fd;
    setup.limit_data = limit_data;
    setup.data_limit = mem;
    setup.set_affinity = true;
    setup.cpus = cpus;
    const pid_t pid = fork_exec(setup);
    const int fork_errno = errno;
    close(fds[1]);
    close(log_fd);
    close(null_fd);
    if (pid < 0) {
      close(fds[0]);
      return Status(ErrorCode::kInternal, fmt::format("fork: {}", std::strerror(fork_errno)));
    }
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
    // and it runs the job: the job file (in the job's directory) is on its command line,
    // or, for a worker that was started as a standby, its output goes to the job's log.
    std::ifstream in(fmt::format("/proc/{}/cmdline", worker_id), std::ios::binary);
    if (!in) return false;
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string job_dir = "/" + job_id + "/";
    if (cmdline.find("--job-file") != std::string::npos) {
      return cmdline.find(job_dir) != std::string::npos;
    }
    if (cmdline.find("--standby") == std::string::npos) return false;
    std::error_code ec;
    const auto log = std::filesystem::read_symlink(fmt::format("/proc/{}/fd/2", worker_id), ec);
    return !ec && log.string().find(job_dir) != std::string::npos;
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

  // A worker started ahead of need: it has loaded its libraries and waits on its stdin for
  // the job it should run, which takes the process start (~10-20 ms) off a job's path.
  struct Standby {
    pid_t pid = -1;
    int events_fd = -1;   // read end of its events pipe
    int control_fd = -1;  // write end of its stdin
  };

  // Starts the next standby worker. Called from the thread that calls start() (the
  // scheduler's) or the constructor's, so that the worker's death signal is bound to a
  // thread that lives as long as the server.
  void spawn_standby() {
    int events[2], control[2];
    if (pipe2(events, O_CLOEXEC) != 0) return;
    if (pipe2(control, O_CLOEXEC) != 0) {
      close(events[0]);
      close(events[1]);
      return;
    }
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ChildSetup setup;
    setup.args = {worker_binary_, "--standby"};
    setup.env = worker_environment();
    setup.env.push_back("CUDA_VISIBLE_DEVICES=");
    setup.events_fd = events[1];
    setup.input_fd = control[0];
    setup.output_fd = null_fd;
    const pid_t pid = null_fd < 0 ? -1 : fork_exec(setup);
    close(events[1]);
    close(control[0]);
    if (null_fd >= 0) close(null_fd);
    if (pid < 0) {
      close(events[0]);
      close(control[1]);
      return;
    }
    std::lock_guard lock(standby_mu_);
    if (standby_) discard(*standby_);
    standby_ = Standby{pid, events[0], control[1]};
  }

  // Gives the job to the standby worker: limits first (the worker is still single-threaded
  // and waiting, so they apply to everything it will do), then the job line on its stdin.
  // Returns nothing when there was no usable standby worker.
  std::optional<pid_t> hand_over(const WorkerLaunch& launch, int cores, const cpu_set_t& cpus,
                                 bool limit_data, const rlimit& mem, WorkerCallbacks& callbacks) {
    std::optional<Standby> taken;
    {
      std::lock_guard lock(standby_mu_);
      taken.swap(standby_);
    }
    if (!taken) return std::nullopt;
    int status = 0;
    bool usable = waitpid(taken->pid, &status, WNOHANG) == 0;  // still alive
    if (usable && limit_data) usable = prlimit(taken->pid, RLIMIT_DATA, &mem, nullptr) == 0;
    if (usable) usable = sched_setaffinity(taken->pid, sizeof(cpus), &cpus) == 0;
    if (usable) {
      const std::string line = nlohmann::json{{"job_file", launch.job_file},
                                              {"log_file", launch.work_dir + "/worker.log"},
                                              {"threads", cores}}
                                   .dump() +
                               "\n";
      usable = write_all(taken->control_fd, line);
    }
    if (!usable) {
      discard(*taken);
      return std::nullopt;
    }
    close(taken->control_fd);
    std::thread([fd = taken->events_fd, pid = taken->pid, cb = std::move(callbacks)]() {
      read_events(fd, pid, cb);
    }).detach();
    return taken->pid;
  }

  static bool write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  static void discard(const Standby& s) {
    kill(-s.pid, SIGKILL);
    kill(s.pid, SIGKILL);
    while (waitpid(s.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    close(s.events_fd);
    close(s.control_fd);
  }

  std::string worker_binary_;
  const bool use_standby_;
  std::atomic<int> next_core_{0};
  std::mutex standby_mu_;
  std::optional<Standby> standby_;
};

}  // namespace

std::unique_ptr<Executor> make_local_executor(const std::string& worker_binary,
                                              bool standby_worker) {
  return std::make_unique<LocalExecutor>(worker_binary, standby_worker);
}

}  // namespace traind::jobs
