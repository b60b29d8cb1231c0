// ThreadPool: a fixed set of worker threads that run numbered tasks, for the GBDT hot loops.
//
// run(n, task) calls task(0..n-1) once each and returns when all are done; the calling thread
// works too. Which thread runs a task varies, so callers give every task a fixed piece of work
// and combine results in task order: results then never depend on the number of threads.
// run() is not reentrant and must be called from one thread at a time. An exception thrown by
// a task is rethrown by run() once every task has finished.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace traind::engines::trees::detail {

class ThreadPool {
 public:
  // num_threads <= 0: one per hardware thread.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }
  void run(int num_tasks, const std::function<void(int)>& task);

  // Splits [0, n) into at most `max_chunks` contiguous chunks of at least `min_chunk` items
  // (chunk boundaries depend only on n, min_chunk and max_chunks) and runs fn(begin, end).
  void for_range(int64_t n, int64_t min_chunk, int max_chunks,
                 const std::function<void(int64_t, int64_t)>& fn);

 private:
  void work_loop();
  void drain(uint32_t generation);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<const std::function<void(int)>*> task_{nullptr};
  std::atomic<int> num_tasks_{0};
  // The next task index of the current run; read and advanced under mutex_ (see drain).
  std::atomic<uint64_t> next_{0};
  std::atomic<int> completed_{0};
  uint32_t generation_ = 0;   // guarded by mutex_
  std::exception_ptr error_;  // first exception of the current run, guarded by mutex_
  bool stop_ = false;
};

}  // namespace traind::engines::trees::detail
