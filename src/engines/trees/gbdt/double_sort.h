// Ascending sort of NaN-free doubles, faster than std::sort on the large per-feature samples
// that binning sorts (an LSD radix sort on order-preserving integer keys).
#pragma once

#include <cstdint>
#include <vector>

namespace traind::engines::trees::detail {

// Sorts `values` ascending; values must not be NaN. Equal doubles stay equal, so the result
// is the same as std::sort's (-0.0 sorts before +0.0 here; binning never sorts zeros).
// `scratch` is the radix sort's second buffer (resized to values->size(); reusing one across
// calls avoids an allocation per call).
void sort_doubles(std::vector<double>* values, std::vector<uint64_t>* scratch);
void sort_doubles(std::vector<double>* values);

}  // namespace traind::engines::trees::detail
