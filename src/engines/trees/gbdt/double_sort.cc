// LSD radix sort of doubles via order-preserving 64-bit keys: flip all bits of negatives, set
// the sign bit of positives; then unsigned order equals numeric order. The keys are built in
// the values' own storage (bit copies through memcpy), so the sort needs one extra buffer.
#include "engines/trees/gbdt/double_sort.h"

#include <algorithm>
#include <array>
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

// A buffer of 64-bit keys: either the values' storage (holding key bits) or the scratch.
uint64_t load_key(const void* keys, size_t i) {
  uint64_t key;
  std::memcpy(&key, static_cast<const char*>(keys) + i * sizeof(uint64_t), sizeof(key));
  return key;
}
void store_key(void* keys, size_t i, uint64_t key) {
  std::memcpy(static_cast<char*>(keys) + i * sizeof(uint64_t), &key, sizeof(key));
}

}  // namespace

void sort_doubles(std::vector<double>* values, std::vector<uint64_t>* scratch) {
  static_assert(sizeof(double) == sizeof(uint64_t));
  const size_t n = values->size();
  if (n < kRadixThreshold) {
    std::sort(values->begin(), values->end());
    return;
  }
  scratch->resize(n);
  std::array<std::array<uint32_t, kDigitMask + 1>, kNumDigits> histograms;
  for (auto& histogram : histograms) histogram.fill(0);
  void* keys = values->data();
  void* other = scratch->data();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = to_key((*values)[i]);
    store_key(keys, i, key);
    for (int d = 0; d < kNumDigits; ++d) ++histograms[d][(key >> (d * kDigitBits)) & kDigitMask];
  }
  for (int d = 0; d < kNumDigits; ++d) {
    auto& histogram = histograms[d];
    const int shift = d * kDigitBits;
    // A digit that every key shares does not reorder anything.
    if (histogram[(load_key(keys, 0) >> shift) & kDigitMask] == n) continue;
    uint32_t offset = 0;
    for (auto& count : histogram) {
      const uint32_t c = count;
      count = offset;
      offset += c;
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = load_key(keys, i);
      store_key(other, histogram[(key >> shift) & kDigitMask]++, key);
    }
    std::swap(keys, other);
  }
  if (keys != values->data()) {
    std::memcpy(values->data(), keys, n * sizeof(uint64_t));
  }
  for (size_t i = 0; i < n; ++i) (*values)[i] = from_key(load_key(values->data(), i));
}

void sort_doubles(std::vector<double>* values) {
  std::vector<uint64_t> scratch;
  sort_doubles(values, &scratch);
}

}  // namespace traind::engines::trees::detail
