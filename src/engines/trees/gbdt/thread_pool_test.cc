// Tests of ThreadPool: every task runs exactly once per run, over many consecutive runs, and a
// task's exception reaches the caller.
#include "engines/trees/gbdt/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace traind::engines::trees::detail {
namespace {

TEST(ThreadPool, RunsEveryTaskExactlyOnceAcrossManyRuns) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.num_threads(), 3);
  for (int round = 0; round < 2000; ++round) {
    const int n = 1 + round % 7;
    std::vector<std::atomic<int>> hits(n);
    pool.run(n, [&](int i) { hits[i].fetch_add(1); });
    for (int i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << round;
  }
}

TEST(ThreadPool, ForRangeCoversTheRangeWithFixedChunks) {
  ThreadPool pool(2);
  std::vector<int> seen(1000, 0);
  pool.for_range(1000, 100, 8, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) seen[i] += 1;
  });
  for (int v : seen) EXPECT_EQ(v, 1);
}

TEST(ThreadPool, TaskExceptionIsRethrownByRun) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.run(4,
                        [](int i) {
                          if (i == 2) throw std::runtime_error("task failed");
                        }),
               std::runtime_error);
  std::atomic<int> count{0};
  pool.run(4, [&](int) { count.fetch_add(1); });  // the pool still works afterwards
  EXPECT_EQ(count.load(), 4);
}

}  // namespace
}  // namespace traind::engines::trees::detail
