// STL inner loop as in R's stl.f (Cleveland et al. 1990; netlib "stl", double precision by
// B. D. Ripley; M. Maechler). Index arithmetic is kept 1-based, as in the Fortran: arrays
// are passed as pointers whose element [1] is the first value.
#include "engines/timeseries/auto_arima/stl_decomposition.h"

#include <algorithm>
#include <cmath>

namespace traind::engines::timeseries::detail {
namespace {

// Window-edge fractions of stlest (h9 = 0.999 h, h1 = 0.001 h) and stlrwt.
constexpr double kEdge = 0.999;
constexpr double kCentre = 0.001;

// Loess fit at xs from y[nleft..nright] (1-based) with tricube weights; false when every
// weight is zero. w is scratch of size ≥ n + 1.
bool loess_point(const double* y, int n, int len, int ideg, double xs, double* ys, int nleft,
                 int nright, double* w, const double* rw) {
  const double range = static_cast<double>(n) - 1.0;
  double h = std::max(xs - nleft, nright - xs);
  if (len > n) h += static_cast<double>((len - n) / 2);
  const double h9 = kEdge * h, h1 = kCentre * h;
  double a = 0.0;
  for (int j = nleft; j <= nright; ++j) {
    const double r = std::fabs(j - xs);
    if (r <= h9) {
      if (r <= h1) {
        w[j] = 1.0;
      } else {
        const double u = r / h;
        const double c = 1.0 - u * u * u;
        w[j] = c * c * c;
      }
      if (rw != nullptr) w[j] *= rw[j];
      a += w[j];
    } else {
      w[j] = 0.0;
    }
  }
  if (a <= 0.0) return false;
  for (int j = nleft; j <= nright; ++j) w[j] /= a;
  if (h > 0.0 && ideg > 0) {
    a = 0.0;
    for (int j = nleft; j <= nright; ++j) a += w[j] * j;
    double b = xs - a;
    double c = 0.0;
    for (int j = nleft; j <= nright; ++j) c += w[j] * (j - a) * (j - a);
    if (std::sqrt(c) > kCentre * range) {
      b /= c;
      for (int j = nleft; j <= nright; ++j) w[j] *= b * (j - a) + 1.0;
    }
  }
  double s = 0.0;
  for (int j = nleft; j <= nright; ++j) s += w[j] * y[j];
  *ys = s;
  return true;
}

// Loess smooth of y[1..n] into ys[1..n], evaluated every njump points and interpolated.
void loess_smooth(const double* y, int n, int len, int ideg, int njump, double* ys, double* w,
                  const double* rw) {
  if (n < 2) {
    ys[1] = y[1];
    return;
  }
  const int newnj = std::min(njump, n - 1);
  int nleft = 1, nright = n;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (int i = 1; i <= n; i += newnj)
      if (!loess_point(y, n, len, ideg, i, &ys[i], nleft, nright, w, rw)) ys[i] = y[i];
  } else if (newnj == 1) {
    const int nsh = (len + 1) / 2;
    nleft = 1;
    nright = len;
    for (int i = 1; i <= n; ++i) {
      if (i > nsh && nright != n) {
        ++nleft;
        ++nright;
      }
      if (!loess_point(y, n, len, ideg, i, &ys[i], nleft, nright, w, rw)) ys[i] = y[i];
    }
  } else {
    const int nsh = (len + 1) / 2;
    for (int i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      if (!loess_point(y, n, len, ideg, i, &ys[i], nleft, nright, w, rw)) ys[i] = y[i];
    }
  }
  if (newnj != 1) {
    for (int i = 1; i <= n - newnj; i += newnj) {
      const double delta = (ys[i + newnj] - ys[i]) / newnj;
      for (int j = i + 1; j <= i + newnj - 1; ++j) ys[j] = ys[i] + delta * (j - i);
    }
    const int k = ((n - 1) / newnj) * newnj + 1;
    if (k != n) {
      if (!loess_point(y, n, len, ideg, n, &ys[n], nleft, nright, w, rw)) ys[n] = y[n];
      if (k != n - 1) {
        const double delta = (ys[n] - ys[k]) / (n - k);
        for (int j = k + 1; j <= n - 1; ++j) ys[j] = ys[k] + delta * (j - k);
      }
    }
  }
}

// Running mean of length len: ave[1..n-len+1].
void moving_average(const double* x, int n, int len, double* ave) {
  const int newn = n - len + 1;
  double v = 0.0;
  for (int i = 1; i <= len; ++i) v += x[i];
  ave[1] = v / len;
  int k = len, m = 0;
  for (int j = 2; j <= newn; ++j) {
    ++k;
    ++m;
    v = v - x[m] + x[k];
    ave[j] = v / len;
  }
}

// Cycle-subseries smoothing: each of the np subseries is smoothed and extended one
// period at both ends into season[1..n+2np].
void smooth_cycle_subseries(const double* y, int n, int np, int ns, int isdeg, int nsjump,
                            const double* rw, double* season, double* work1, double* work2,
                            double* work3, double* work4) {
  for (int j = 1; j <= np; ++j) {
    const int k = (n - j) / np + 1;
    for (int i = 1; i <= k; ++i) work1[i] = y[(i - 1) * np + j];
    const double* sub_rw = nullptr;
    if (rw != nullptr) {
      for (int i = 1; i <= k; ++i) work3[i] = rw[(i - 1) * np + j];
      sub_rw = work3;
    }
    loess_smooth(work1, k, ns, isdeg, nsjump, work2 + 1, work4, sub_rw);
    int nright = std::min(ns, k);
    if (!loess_point(work1, k, ns, isdeg, 0.0, &work2[1], 1, nright, work4, sub_rw))
      work2[1] = work2[2];
    const int nleft = std::max(1, k - ns + 1);
    if (!loess_point(work1, k, ns, isdeg, k + 1.0, &work2[k + 2], nleft, k, work4, sub_rw))
      work2[k + 2] = work2[k + 1];
    for (int m = 1; m <= k + 2; ++m) season[(m - 1) * np + j] = work2[m];
  }
}

// R's psort (Singleton's quicksort, ACM 347) as stl.f calls it to find the median
// absolute residual: a[1..n] is partially sorted so that the positions in ind[1..ni] are
// meant to hold their order statistics. stl.f passes ind = (n/2 + 1, n − n/2), which is not
// increasing, so for even n the second position does not always receive its order
// statistic; R's robustness weights inherit that, so the procedure is kept step for step.
void singleton_partial_sort(double* a, int n, const int* ind, int ni) {
  if (n < 2 || ni == 0) return;
  int indu[17], indl[17], iu[17], il[17];
  int p = 0, jl = 1, ju = ni, i = 1, j = n, m = 1, k = 0, ij = 0, l = 0;
  double t = 0.0, tt = 0.0;
  indl[1] = 1;
  indu[1] = ni;
outer:
  if (i < j) goto split;
pop:
  --m;
  if (m == 0) return;
  i = il[m];
  j = iu[m];
  jl = indl[m];
  ju = indu[m];
  if (!(jl <= ju)) goto pop;
partition_test:
  if (!(j - i > 10)) goto insertion;
split:
  k = i;
  ij = (i + j) / 2;
  t = a[ij];
  if (a[i] > t) {
    a[ij] = a[i];
    a[i] = t;
    t = a[ij];
  }
  l = j;
  if (a[j] < t) {
    a[ij] = a[j];
    a[j] = t;
    t = a[ij];
    if (a[i] > t) {
      a[ij] = a[i];
      a[i] = t;
      t = a[ij];
    }
  }
scan_down:
  --l;
  if (!(a[l] <= t)) goto scan_down;
  tt = a[l];
scan_up:
  ++k;
  if (!(a[k] >= t)) goto scan_up;
  if (k > l) goto partitioned;
  a[l] = a[k];
  a[k] = tt;
  goto scan_down;
partitioned:
  indl[m] = jl;
  indu[m] = ju;
  p = m;
  ++m;
  if (l - i <= j - k) {
    il[p] = k;
    iu[p] = j;
    j = l;
    while (true) {
      if (jl > ju) goto pop;
      if (ind[ju] > j) {
        --ju;
        continue;
      }
      break;
    }
    indl[p] = ju + 1;
  } else {
    il[p] = i;
    iu[p] = l;
    i = k;
    while (true) {
      if (jl > ju) goto pop;
      if (ind[jl] < i) {
        ++jl;
        continue;
      }
      break;
    }
    indu[p] = jl - 1;
  }
  goto partition_test;
insertion:
  if (i == 1) goto outer;
  --i;
  while (true) {
    ++i;
    if (i == j) goto pop;
    t = a[i + 1];
    if (a[i] > t) {
      k = i;
      do {
        a[k + 1] = a[k];
        --k;
      } while (!(t >= a[k]));
      a[k + 1] = t;
    }
  }
}

// stlrwt: Tukey biweight of |y − fit| / (6 · "median" |y − fit|), the median as psort
// leaves it.
void robustness_weights(const double* y, const double* fit, int n, double* rw) {
  std::vector<double> r(n + 1);
  for (int i = 1; i <= n; ++i) r[i] = std::fabs(y[i] - fit[i]);
  const int mid[3] = {0, n / 2 + 1, n - (n / 2 + 1) + 1};
  singleton_partial_sort(r.data(), n, mid, 2);
  const double cmad = 3.0 * (r[mid[1]] + r[mid[2]]);
  const double c9 = kEdge * cmad, c1 = kCentre * cmad;
  for (int i = 1; i <= n; ++i) {
    const double ri = std::fabs(y[i] - fit[i]);
    if (ri <= c1) {
      rw[i] = 1.0;
    } else if (ri <= c9) {
      const double u = ri / cmad;
      rw[i] = (1.0 - u * u) * (1.0 - u * u);
    } else {
      rw[i] = 0.0;
    }
  }
}

int next_odd(double x) {
  int v = static_cast<int>(std::nearbyint(x));
  if (v % 2 == 0) ++v;
  return v;
}

}  // namespace

StlComponents stl_decompose(const std::vector<double>& series, const StlOptions& options) {
  const int n = static_cast<int>(series.size());
  const int np = std::max(2, options.period);
  auto odd_at_least_3 = [](int v) {
    v = std::max(3, v);
    return v % 2 == 0 ? v + 1 : v;
  };
  const int ns = odd_at_least_3(options.s_window);
  const int t_window =
      options.t_window > 0
          ? options.t_window
          : next_odd(std::ceil(1.5 * options.period / (1.0 - 1.5 / options.s_window)));
  const int l_window = options.l_window > 0 ? options.l_window : next_odd(options.period);
  const int nt = odd_at_least_3(t_window);
  const int nl = odd_at_least_3(l_window);
  // Jumps as stl() computes them from the windows it was given.
  const int nsjump = static_cast<int>(std::ceil(options.s_window / 10.0));
  const int ntjump = static_cast<int>(std::ceil(t_window / 10.0));
  const int nljump = static_cast<int>(std::ceil(l_window / 10.0));

  const int len = n + 2 * np;
  std::vector<double> y(n + 1), season(n + 1), trend(n + 1, 0.0);
  for (int i = 1; i <= n; ++i) y[i] = series[i - 1];
  std::vector<std::vector<double>> work(5, std::vector<double>(len + 1, 0.0));
  double* w1 = work[0].data();
  double* w2 = work[1].data();
  double* w3 = work[2].data();
  double* w4 = work[3].data();
  double* w5 = work[4].data();
  std::vector<double> rw(n + 1, 1.0), fit(n + 1, 0.0);
  const double* weights = nullptr;  // robustness weights once an outer pass has run
  for (int outer = 0;; ++outer) {
    for (int iter = 0; iter < options.inner; ++iter) {
      for (int i = 1; i <= n; ++i) w1[i] = y[i] - trend[i];
      smooth_cycle_subseries(w1, n, np, ns, options.s_degree, nsjump, weights, w2, w3, w4, w5,
                             season.data());
      // Low-pass filter of the cycle-subseries: MA(np), MA(np), MA(3), then loess.
      moving_average(w2, len, np, w3);
      moving_average(w3, len - np + 1, np, w1);
      moving_average(w1, len - 2 * np + 2, 3, w3);
      loess_smooth(w3, n, nl, options.l_degree, nljump, w1, w5, nullptr);
      for (int i = 1; i <= n; ++i) season[i] = w2[np + i] - w1[i];
      for (int i = 1; i <= n; ++i) w1[i] = y[i] - season[i];
      loess_smooth(w1, n, nt, options.t_degree, ntjump, trend.data(), w3, weights);
    }
    if (outer >= options.outer) break;
    for (int i = 1; i <= n; ++i) fit[i] = trend[i] + season[i];
    robustness_weights(y.data(), fit.data(), n, rw.data());
    weights = rw.data();
  }
  StlComponents out;
  out.seasonal.assign(season.begin() + 1, season.end());
  out.trend.assign(trend.begin() + 1, trend.end());
  out.remainder.resize(n);
  for (int i = 0; i < n; ++i) out.remainder[i] = series[i] - out.seasonal[i] - out.trend[i];
  return out;
}

}  // namespace traind::engines::timeseries::detail
