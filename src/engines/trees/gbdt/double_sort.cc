// LSD radix sort of doubles via order-preserving 64-bit keys: flip all bits of negatives, set
// the sign bit of positives; then unsigned order equals numeric order.
#include "engines/trees/gbdt/double_sort.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace traind::engines::trees::detail {
namespace {

constexpr size_t kRadixThreshold = 2048;  // below this std::sort is as fast
constexpr int kDigitBits = 11;
constexpr int kNumDigits = (64 + kDigitBits - 1) / kDigitBits;  // 6
constexpr uint64_t kDigitMask = (uint64_t{1} << kDigitBits) - 1;

uint64_t to_key(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
}

double from_key(uint64_t key) {
  const uint64_t bits = (key & (uint64_t{1} << 63)) ? key & ~(uint64_t{1} << 63) : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

}  // namespace

void sort_doubles(std::vector<double>* values) {
  const size_t n = values->size();
  if (n < kRadixThreshold) {
    std::sort(values->begin(), values->end());
    return;
  }
  std::vector<uint64_t> keys(n);
  std::vector<uint64_t> scratch(n);
  std::vector<std::array<uint32_t, kDigitMask + 1>> histograms(kNumDigits);
  for (auto& histogram : histograms) histogram.fill(0);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = to_key((*values)[i]);
    keys[i] = key;
    for (int d = 0; d < kNumDigits; ++d) ++histograms[d][(key >> (d * kDigitBits)) & kDigitMask];
  }
  for (int d = 0; d < kNumDigits; ++d) {
    auto& histogram = histograms[d];
    const int shift = d * kDigitBits;
    // A digit that every key shares does not reorder anything.
    if (histogram[(keys[0] >> shift) & kDigitMask] == n) continue;
    uint32_t offset = 0;
    for (auto& count : histogram) {
      const uint32_t c = count;
      count = offset;
      offset += c;
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = keys[i];
      scratch[histogram[(key >> shift) & kDigitMask]++] = key;
    }
    keys.swap(scratch);
  }
  for (size_t i = 0; i < n; ++i) (*values)[i] = from_key(keys[i]);
}

}  // namespace traind::engines::trees::detail
