// GossSampling: LightGBM's gradient-based one-side sampling (boosting/goss.hpp) with its
// default rates top_rate = 0.2 and other_rate = 0.1: rows are ranked by Σ_classes |g·h|; the
// top share is kept, a random share of the rest is kept with g and h multiplied by
// (n − top) / other. Inactive for the first 1/learning_rate iterations.
//
// LightGBM splits the rows into one block per thread, so its samples depend on the thread
// count; traind always uses a single block, which is what LightGBM does with num_threads=1.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees::detail {

class GossSampling {
 public:
  static constexpr double kTopRate = 0.2;
  static constexpr double kOtherRate = 0.1;

  GossSampling(const GbdtConfig& config, int64_t num_rows, int num_class);

  bool active() const { return active_; }
  // Draws this iteration's sample from the fresh gradients (class-major, num_class blocks of
  // num_rows) and scales the sampled small-gradient rows in place.
  void sample(int iteration, float* grad, float* hess);
  // In-bag rows, ascending; empty = every row.
  std::span<const int> rows() const { return rows_; }

 private:
  bool active_;
  double learning_rate_;
  int64_t num_rows_;
  int num_class_;
  std::vector<LcgRandom> block_random_;
  std::vector<int> rows_;
  std::vector<float> weight_;  // scratch: Σ|g·h| per row
};

}  // namespace traind::engines::trees::detail
