// GossSampling: GOSS::Helper over one block holding every row.
#include "engines/trees/gbdt/goss_sampling.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace traind::engines::trees::detail {
namespace {
constexpr int64_t kBlockRows = 1024;  // LightGBM's bagging_rand_block_
}  // namespace

GossSampling::GossSampling(const GbdtConfig& config, int64_t num_rows, int num_class)
    : active_(config.data_sample_strategy == "goss"),
      learning_rate_(config.learning_rate),
      num_rows_(num_rows),
      num_class_(num_class) {
  if (!active_) return;
  const int64_t blocks = (num_rows + kBlockRows - 1) / kBlockRows;
  for (int64_t b = 0; b < blocks; ++b) {
    block_random_.emplace_back(config.bagging_seed + static_cast<int>(b));
  }
}

void GossSampling::sample(int iteration, float* grad, float* hess) {
  rows_.clear();
  if (!active_ || iteration < static_cast<int>(1.0f / learning_rate_)) return;
  const int64_t n = num_rows_;
  weight_.assign(n, 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    for (int k = 0; k < num_class_; ++k) {
      const int64_t idx = k * n + i;
      weight_[i] += std::fabs(grad[idx] * hess[idx]);
    }
  }
  const int64_t top_k = std::max<int64_t>(1, static_cast<int64_t>(n * kTopRate));
  const int64_t other_k = static_cast<int64_t>(n * kOtherRate);
  std::vector<float> sorted = weight_;
  std::nth_element(sorted.begin(), sorted.begin() + (top_k - 1), sorted.end(),
                   std::greater<float>());
  const float threshold = sorted[top_k - 1];
  const float multiply = static_cast<float>(n - top_k) / other_k;
  int64_t big_weight_count = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (weight_[i] >= threshold) {
      rows_.push_back(static_cast<int>(i));
      ++big_weight_count;
      continue;
    }
    const int64_t sampled = static_cast<int64_t>(rows_.size()) - big_weight_count;
    const int64_t rest_need = other_k - sampled;
    const int64_t rest_all = (n - i) - (top_k - big_weight_count);
    const double probability = static_cast<double>(rest_need) / static_cast<double>(rest_all);
    if (block_random_[i / kBlockRows].next_float() < probability) {
      rows_.push_back(static_cast<int>(i));
      for (int k = 0; k < num_class_; ++k) {
        grad[k * n + i] *= multiply;
        hess[k * n + i] *= multiply;
      }
    }
  }
}

}  // namespace traind::engines::trees::detail
