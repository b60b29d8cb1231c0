// STL, the seasonal-trend decomposition by loess of Cleveland, Cleveland, McRae and
// Terpenning (1990), as R's stats::stl computes it (the netlib Fortran R ships), with
// optional robustness iterations. forecast's seasonal-strength test (spec A.9.3) runs it with
// s.window = 11 and stl's defaults for the rest.
#pragma once

#include <vector>

namespace traind::engines::timeseries::detail {

struct StlOptions {
  int period = 12;
  int s_window = 11;
  int s_degree = 0;
  int t_window = 0;  // 0 = stl's default nextodd(ceiling(1.5 period / (1 − 1.5 / s_window)))
  int t_degree = 1;
  int l_window = 0;  // 0 = nextodd(period)
  int l_degree = 1;
  int inner = 2;  // stl(robust = TRUE) uses inner = 1, outer = 15
  int outer = 0;  // robustness passes (Tukey biweight of the remainder)
};

struct StlComponents {
  std::vector<double> seasonal, trend, remainder;
};

// Requires y without missing values and y.size() > 2 * period (stl's own checks).
StlComponents stl_decompose(const std::vector<double>& y, const StlOptions& options);

}  // namespace traind::engines::timeseries::detail
