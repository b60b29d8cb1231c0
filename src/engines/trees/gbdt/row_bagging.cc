// RowBagging: Bernoulli row sampling with LightGBM's per-block generators.
#include "engines/trees/gbdt/row_bagging.h"

namespace traind::engines::trees::detail {
namespace {
constexpr int64_t kBlockRows = 1024;  // LightGBM's bagging_rand_block_
}  // namespace

RowBagging::RowBagging(const GbdtConfig& config, int64_t num_rows)
    : active_(config.bagging_freq > 0 && config.bagging_fraction < 1.0),
      freq_(config.bagging_freq),
      fraction_(config.bagging_fraction),
      num_rows_(num_rows) {
  if (!active_) return;
  const int64_t blocks = (num_rows + kBlockRows - 1) / kBlockRows;
  for (int64_t b = 0; b < blocks; ++b) {
    block_random_.emplace_back(config.bagging_seed + static_cast<int>(b));
  }
}

void RowBagging::maybe_redraw(int iteration) {
  if (!active_ || iteration % freq_ != 0) return;
  rows_.clear();
  for (int64_t i = 0; i < num_rows_; ++i) {
    // float draw compared with the double fraction, as LightGBM does.
    if (block_random_[i / kBlockRows].next_float() < fraction_) {
      rows_.push_back(static_cast<int>(i));
    }
  }
}

}  // namespace traind::engines::trees::detail
