// The stepwise search of forecast 8.20 R/newarima2.R, move for move: the five initial
// models, then passes over the fixed neighbour list where the first strict improvement
// restarts the pass, stopping after a pass with nothing new or at nmodels fits; in
// approximation mode the candidates are refitted exactly in order of their approximate IC.
#include "engines/timeseries/auto_arima/model_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct FittedRow {
  CandidateOrder order;
  double ic = kInf;
};

bool same_model(const CandidateOrder& a, const CandidateOrder& b) {
  return a.p == b.p && a.d == b.d && a.q == b.q && a.P == b.P && a.D == b.D && a.Q == b.Q &&
         a.constant == b.constant;
}

AutoArimaCandidate trace_entry(const CandidateOrder& o, double ic, bool exact) {
  AutoArimaCandidate c;
  c.p = o.p;
  c.d = o.d;
  c.q = o.q;
  c.P = o.P;
  c.D = o.D;
  c.Q = o.Q;
  c.constant = o.constant;
  c.ic = ic;
  c.exact = exact;
  return c;
}

// Approximation mode: refit the candidates exactly, best approximate IC first, and keep
// the first with a finite IC (R's order() is stable; rows never fitted are not refitted).
void refit_exactly(const CandidateSeries& series, const std::vector<FittedRow>& rows,
                   SearchOutcome& out) {
  std::vector<int> idx(rows.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
    const double ia = rows[a].ic, ib = rows[b].ic;
    if (std::isnan(ia)) return false;
    if (std::isnan(ib)) return true;
    return ia < ib;
  });
  for (int i : idx) {
    const CandidateScore s = fit_candidate(series, rows[i].order, false, 0.0);
    out.trace.push_back(trace_entry(rows[i].order, s.ic, true));
    if (s.ic < kInf) {
      out.order = rows[i].order;
      out.score = s;
      return;
    }
  }
}

}  // namespace

SearchOutcome stepwise_search(const CandidateSeries& series, const SearchBounds& b,
                              bool approximation, double offset) {
  SearchOutcome out;
  std::vector<FittedRow> rows;
  const int m = series.m;
  CandidateOrder best_order;
  CandidateScore best;
  best.ic = kInf;
  bool best_fitted = false;

  auto fit = [&](const CandidateOrder& o) {
    CandidateScore s = fit_candidate(series, o, approximation, offset);
    rows.push_back({o, s.ic});
    out.trace.push_back(trace_entry(o, s.ic, !approximation));
    return s;
  };
  auto is_new = [&](const CandidateOrder& o) {
    for (const auto& r : rows)
      if (same_model(r.order, o)) return false;
    return true;
  };
  auto make = [&](int p, int q, int P, int Q, bool constant) {
    CandidateOrder o;
    o.p = p;
    o.d = b.d;
    o.q = q;
    o.P = P;
    o.D = b.D;
    o.Q = Q;
    o.constant = constant;
    return o;
  };

  int start_p = b.start_p, start_q = b.start_q, start_P = b.start_P, start_Q = b.start_Q;
  if (b.short_series) {
    start_p = std::min(start_p, 1);
    start_q = std::min(start_q, 1);
    start_P = 0;
    start_Q = 0;
  }
  int p = std::min(start_p, b.max_p), q = std::min(start_q, b.max_q);
  int P = std::min(start_P, b.max_P), Q = std::min(start_Q, b.max_Q);
  bool constant = b.allowdrift || b.allowmean;

  // (1) the start model: it is the best so far whatever its IC.
  {
    const CandidateOrder o = make(p, q, P, Q, constant);
    best = fit(o);
    best_order = o;
    best_fitted = best.fitted;
  }
  auto consider = [&](const CandidateOrder& o, const CandidateScore& s) {
    if (s.ic < best.ic) {
      best = s;
      best_order = o;
      best_fitted = s.fitted;
      return true;
    }
    return false;
  };
  // (2) ARIMA(0,d,0)(0,D,0) with the constant.
  {
    const CandidateOrder o = make(0, 0, 0, 0, constant);
    if (consider(o, fit(o))) p = q = P = Q = 0;
  }
  // (3) AR(1) / seasonal AR(1).
  if (b.max_p > 0 || b.max_P > 0) {
    const int pp = b.max_p > 0 ? 1 : 0, PP = (m > 1 && b.max_P > 0) ? 1 : 0;
    const CandidateOrder o = make(pp, 0, PP, 0, constant);
    if (consider(o, fit(o))) {
      p = pp;
      P = PP;
      q = Q = 0;
    }
  }
  // (4) MA(1) / seasonal MA(1).
  if (b.max_q > 0 || b.max_Q > 0) {
    const int qq = b.max_q > 0 ? 1 : 0, QQ = (m > 1 && b.max_Q > 0) ? 1 : 0;
    const CandidateOrder o = make(0, qq, 0, QQ, constant);
    if (consider(o, fit(o))) {
      p = P = 0;
      Q = QQ;
      q = qq;
    }
  }
  // (5) no constant.
  if (constant) {
    const CandidateOrder o = make(0, 0, 0, 0, false);
    if (consider(o, fit(o))) p = q = P = Q = 0;
  }

  struct Move {
    int dp, dq, dP, dQ;
  };
  // R's fixed neighbour order: seasonal moves first, then non-seasonal.
  static const Move kMoves[] = {{0, 0, -1, 0},  {0, 0, 0, -1}, {0, 0, 1, 0},  {0, 0, 0, 1},
                                {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                                {-1, 0, 0, 0},  {0, -1, 0, 0}, {1, 0, 0, 0},  {0, 1, 0, 0},
                                {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};
  int k = static_cast<int>(rows.size());
  int startk = 0;
  while (startk < k && k < b.nmodels) {
    startk = k;
    bool restart = false;
    bool limit_hit = false;
    for (const Move& mv : kMoves) {
      const int np = p + mv.dp, nq = q + mv.dq, nP = P + mv.dP, nQ = Q + mv.dQ;
      if (np < 0 || nq < 0 || nP < 0 || nQ < 0) continue;
      if (np > b.max_p || nq > b.max_q || nP > b.max_P || nQ > b.max_Q) continue;
      const CandidateOrder o = make(np, nq, nP, nQ, constant);
      if (!is_new(o)) continue;
      ++k;
      if (k > b.nmodels) {
        limit_hit = true;
        break;
      }
      if (consider(o, fit(o))) {
        p = np;
        q = nq;
        P = nP;
        Q = nQ;
        restart = true;
        break;
      }
    }
    if (restart || limit_hit) continue;
    if (b.allowdrift || b.allowmean) {
      const CandidateOrder o = make(p, q, P, Q, !constant);
      if (is_new(o)) {
        ++k;
        if (k > b.nmodels) continue;
        if (consider(o, fit(o))) constant = !constant;
      }
    }
  }
  out.models_fitted = static_cast<int>(rows.size());
  out.order = best_order;
  out.score = best;
  if (approximation && best_fitted) refit_exactly(series, rows, out);
  out.found = out.score.ic < kInf;
  return out;
}

SearchOutcome exhaustive_search(const CandidateSeries& series, const SearchBounds& b,
                                bool approximation, double offset) {
  SearchOutcome out;
  const int max_k = (b.allowdrift || b.allowmean) ? 1 : 0;
  CandidateScore best;
  best.ic = kInf;
  bool any = false;
  for (int i = 0; i <= b.max_p; ++i)
    for (int j = 0; j <= b.max_q; ++j)
      for (int I = 0; I <= b.max_P; ++I)
        for (int J = 0; J <= b.max_Q; ++J) {
          if (i + j + I + J > b.max_order) continue;
          for (int K = 0; K <= max_k; ++K) {
            CandidateOrder o;
            o.p = i;
            o.d = b.d;
            o.q = j;
            o.P = I;
            o.D = b.D;
            o.Q = J;
            o.constant = K == 1;
            const CandidateScore s = fit_candidate(series, o, approximation, offset);
            out.trace.push_back(trace_entry(o, s.ic, !approximation));
            ++out.models_fitted;
            if (s.ic < best.ic) {
              best = s;
              out.order = o;
              any = true;
            }
          }
        }
  out.score = best;
  if (any && approximation) {
    const CandidateScore s = fit_candidate(series, out.order, false, 0.0);
    out.trace.push_back(trace_entry(out.order, s.ic, true));
    if (s.ic < kInf) {
      out.score = s;
    } else {
      SearchOutcome full = exhaustive_search(series, b, false, offset);
      full.trace.insert(full.trace.begin(), out.trace.begin(), out.trace.end());
      full.models_fitted += out.models_fitted;
      return full;
    }
  }
  out.found = any && out.score.ic < kInf;
  return out;
}

}  // namespace traind::engines::timeseries::detail
