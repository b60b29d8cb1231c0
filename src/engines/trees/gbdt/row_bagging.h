// RowBagging: LightGBM's bagging (boosting/bagging.hpp): every row is kept with probability
// bagging_fraction, drawn from one LcgRandom per block of 1024 rows seeded bagging_seed + block;
// the generators keep their state across iterations. The bag is redrawn when
// iteration % bagging_freq == 0. Inactive unless bagging_freq > 0 and bagging_fraction < 1.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees::detail {

class RowBagging {
 public:
  RowBagging(const GbdtConfig& config, int64_t num_rows);

  bool active() const { return active_; }
  // Redraws the bag if this iteration calls for it.
  void maybe_redraw(int iteration);
  // In-bag rows, ascending; empty when bagging is inactive (= every row).
  std::span<const int> rows() const { return rows_; }

 private:
  bool active_ = false;
  int freq_ = 0;
  double fraction_ = 1.0;
  int64_t num_rows_ = 0;
  std::vector<LcgRandom> block_random_;
  std::vector<int> rows_;
};

}  // namespace traind::engines::trees::detail
