// ThreadPool: workers sleep on a condition variable between runs and claim task numbers under
// the pool's mutex, so the caller never waits for a worker that did no work.
#include "engines/trees/gbdt/thread_pool.h"

#include <algorithm>
#include <exception>

namespace traind::engines::trees::detail {

ThreadPool::ThreadPool(int num_threads) {
  if (num_threads <= 0) num_threads = static_cast<int>(std::thread::hardware_concurrency());
  num_threads = std::max(1, num_threads);
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this] { work_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::drain(uint32_t generation) {
  // Tasks are claimed and counted under the mutex, together with the generation check, so
  // a worker still finishing an earlier run can never claim or count a task of a later one.
  // (A lock-free claim on a generation-tagged counter lost a completion under ASan.) Tasks
  // are coarse (a feature's histogram, a block of rows), so the lock costs nothing visible.
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (generation_ != generation) return;
    const int index = static_cast<int>(next_.load(std::memory_order_relaxed));
    const int num_tasks = num_tasks_.load(std::memory_order_relaxed);
    if (index >= num_tasks) return;
    next_.store(static_cast<uint64_t>(index + 1), std::memory_order_relaxed);
    const std::function<void(int)>* task = task_.load(std::memory_order_relaxed);
    lock.unlock();
    try {
      (*task)(index);
    } catch (...) {
      // Never let an exception end a worker thread: the caller of run() rethrows it.
      lock.lock();
      if (!error_) error_ = std::current_exception();
      lock.unlock();
    }
    lock.lock();
    if (completed_.fetch_add(1, std::memory_order_relaxed) + 1 == num_tasks) done_.notify_all();
  }
}

void ThreadPool::work_loop() {
  uint32_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    drain(seen);
  }
}

void ThreadPool::run(int num_tasks, const std::function<void(int)>& task) {
  if (num_tasks <= 0) return;
  if (workers_.empty() || num_tasks == 1) {
    for (int i = 0; i < num_tasks; ++i) task(i);
    return;
  }
  uint32_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation = ++generation_;
    task_.store(&task, std::memory_order_release);
    num_tasks_.store(num_tasks, std::memory_order_release);
    completed_.store(0, std::memory_order_release);
    next_.store(0, std::memory_order_release);
  }
  wake_.notify_all();
  drain(generation);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return completed_.load(std::memory_order_acquire) == num_tasks; });
  if (error_) {
    std::exception_ptr error = error_;
    error_ = nullptr;
    std::rethrow_exception(error);
  }
}

void ThreadPool::for_range(int64_t n, int64_t min_chunk, int max_chunks,
                           const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  int64_t chunks =
      std::max<int64_t>(1, std::min<int64_t>(max_chunks, n / std::max<int64_t>(1, min_chunk)));
  const int64_t size = (n + chunks - 1) / chunks;
  chunks = (n + size - 1) / size;
  run(static_cast<int>(chunks), [&](int c) {
    const int64_t begin = c * size;
    fn(begin, std::min(n, begin + size));
  });
}

}  // namespace traind::engines::trees::detail
