// stats::arima's fitting procedure (R 4.2 src/library/stats/R/arima.R), step by step:
// regression start values from lm on the differenced data (parscale 10·SE), SVD rotation of
// several regressors, CSS by BFGS, stationarity check, transformed-PACF ML by BFGS, MA root
// flipping with a zero-iteration refit, and var.coef = A' (H n)^{-1} A.
#include "engines/timeseries/auto_arima/arima_fit.h"

#include <Eigen/Dense>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "engines/timeseries/auto_arima/polynomial_roots.h"
#include "engines/timeseries/auto_arima/r_optim.h"

namespace traind::engines::timeseries::detail {
namespace {

constexpr double kGradtransStep = 1e-3;  // R's ARIMA_Gradtrans forward-difference step

Status fit_error(const std::string& what) {
  return Status(ErrorCode::kTrainingError, "ARIMA fit failed: " + what);
}

// R's diff(x, lag, differences) on each column, keeping NaN.
Eigen::MatrixXd difference(const Eigen::MatrixXd& x, int lag, int times) {
  Eigen::MatrixXd out = x;
  for (int t = 0; t < times; ++t) {
    if (out.rows() <= lag) return Eigen::MatrixXd(0, x.cols());
    Eigen::MatrixXd next = out.bottomRows(out.rows() - lag) - out.topRows(out.rows() - lag);
    out.swap(next);
  }
  return out;
}

struct LeastSquares {
  bool ok = false;
  int rank = 0;
  Eigen::VectorXd coef, se;
};

// lm(y ~ X - 1, na.action = na.omit): coefficients and their standard errors.
LeastSquares least_squares(const Eigen::VectorXd& y, const Eigen::MatrixXd& X) {
  LeastSquares out;
  std::vector<int> rows;
  for (int i = 0; i < y.size(); ++i)
    if (!std::isnan(y(i)) && !X.row(i).hasNaN()) rows.push_back(i);
  const int n = static_cast<int>(rows.size()), k = static_cast<int>(X.cols());
  if (n == 0) return out;
  Eigen::MatrixXd A(n, k);
  Eigen::VectorXd b(n);
  for (int i = 0; i < n; ++i) {
    A.row(i) = X.row(rows[i]);
    b(i) = y(rows[i]);
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  qr.setThreshold(1e-7);
  out.rank = static_cast<int>(qr.rank());
  if (out.rank < k) return out;
  out.coef = qr.solve(b);
  const double rss = (b - A * out.coef).squaredNorm();
  const Eigen::MatrixXd xtx_inv = (A.transpose() * A).inverse();
  out.se = (xtx_inv.diagonal() * (rss / (n - k))).cwiseSqrt();
  out.ok = true;
  return out;
}

// R's solve(): fails when LAPACK would report (computational) singularity.
bool solve_like_r(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd* out) {
  Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  const Eigen::MatrixXd& m = lu.matrixLU();
  for (int i = 0; i < m.rows(); ++i)
    if (m(i, i) == 0.0) return false;
  const double rcond = lu.rcond();
  if (rcond < DBL_EPSILON) return false;
  *out = lu.solve(b);
  return true;
}

class ArimaProblem {
 public:
  ArimaProblem(const std::vector<double>& x, const Eigen::MatrixXd& xreg, const ArimaOrder& order,
               int ncond)
      : x_(x),
        xreg_(xreg),
        order_(order),
        ncond_(ncond),
        narma_(order.n_arma()),
        likelihood_(order, static_cast<int>(x.size())),
        xw_(x.size()),
        phi_(order.phi_length()),
        theta_(order.theta_length()) {}

  // armaCSS: ½ ln(σ²_CSS).
  double css_objective(const double* par) {
    expand_arma(par, order_, false, phi_.data(), theta_.data());
    const double* y = regressed(par);
    return 0.5 * std::log(likelihood_.css(y, phi_.data(), theta_.data(), ncond_));
  }

  // armafn: ½ [ln(S/ν) + Σ ln F_t / ν].
  double ml_objective(const double* par, bool transform) {
    expand_arma(par, order_, transform, phi_.data(), theta_.data());
    const double* y = regressed(par);
    const auto s = likelihood_.exact(y, phi_.data(), theta_.data());
    return 0.5 * (std::log(s.ssq / s.nu) + s.sumlog / s.nu);
  }

  ArimaLikelihood::Sums exact_sums(const double* par) {
    expand_arma(par, order_, false, phi_.data(), theta_.data());
    return likelihood_.exact(regressed(par), phi_.data(), theta_.data());
  }

  double css_sigma2(const double* par) {
    expand_arma(par, order_, false, phi_.data(), theta_.data());
    return likelihood_.css(regressed(par), phi_.data(), theta_.data(), ncond_);
  }

  void set_ncond(int ncond) { ncond_ = ncond; }
  const std::vector<double>& phi() const { return phi_; }
  const std::vector<double>& theta() const { return theta_; }

 private:
  const double* regressed(const double* par) {
    const int k = static_cast<int>(xreg_.cols());
    if (k == 0) return x_.data();
    const int n = static_cast<int>(x_.size());
    for (int t = 0; t < n; ++t) xw_[t] = x_[t];
    for (int j = 0; j < k; ++j) {
      const double beta = par[narma_ + j];
      const double* col = xreg_.col(j).data();
      for (int t = 0; t < n; ++t) xw_[t] -= beta * col[t];
    }
    return xw_.data();
  }

  const std::vector<double>& x_;
  const Eigen::MatrixXd& xreg_;
  ArimaOrder order_;
  int ncond_;
  int narma_;
  ArimaLikelihood likelihood_;
  std::vector<double> xw_, phi_, theta_;
};

// R's ARIMA_Gradtrans: Jacobian of the PACF transform by forward differences.
Eigen::MatrixXd transform_jacobian(const std::vector<double>& coef, const ArimaOrder& o) {
  const int n = static_cast<int>(coef.size());
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(n, n);
  auto block = [&](int offset, int k) {
    if (k <= 0) return;
    double w1[100], w2[100], w3[100];
    for (int i = 0; i < k; ++i) w1[i] = coef[offset + i];
    ar_from_unconstrained(k, w1, w2);
    for (int i = 0; i < k; ++i) {
      w1[i] += kGradtransStep;
      ar_from_unconstrained(k, w1, w3);
      for (int j = 0; j < k; ++j) A(offset + i, offset + j) = (w3[j] - w2[j]) / kGradtransStep;
      w1[i] -= kGradtransStep;
    }
  };
  block(0, o.p);
  block(o.p + o.q, o.P);
  return A;
}

void undo_transform(std::vector<double>& coef, const ArimaOrder& o) {
  double out[100];
  if (o.p > 0) {
    ar_from_unconstrained(o.p, coef.data(), out);
    for (int i = 0; i < o.p; ++i) coef[i] = out[i];
  }
  if (o.P > 0) {
    ar_from_unconstrained(o.P, coef.data() + o.p + o.q, out);
    for (int i = 0; i < o.P; ++i) coef[o.p + o.q + i] = out[i];
  }
}

}  // namespace

Result<ArimaFit> fit_arima(const std::vector<double>& x,
                           const std::vector<std::vector<double>>& xreg_columns,
                           const ArimaFitRequest& request) {
  const ArimaOrder& o = request.order;
  const int n = static_cast<int>(x.size());
  const int narma = o.n_arma();
  const int n_delta = o.n_delta();
  ArimaFit fit;

  int n_observed = 0;
  for (double v : x) n_observed += std::isnan(v) ? 0 : 1;
  int n_used = n_observed - n_delta;

  const bool add_intercept = request.include_mean && o.d + o.D == 0;
  const int ncxreg = static_cast<int>(xreg_columns.size()) + (add_intercept ? 1 : 0);
  Eigen::MatrixXd xreg(n, ncxreg);
  {
    int c = 0;
    if (add_intercept) xreg.col(c++).setOnes();
    for (const auto& col : xreg_columns) {
      if (static_cast<int>(col.size()) != n) return fit_error("xreg rows differ from the series");
      xreg.col(c++) = Eigen::Map<const Eigen::VectorXd>(col.data(), n);
    }
  }
  fit.has_intercept = add_intercept;

  ArimaMethod method = request.method;
  if (method == ArimaMethod::kCssMl) {
    bool any_missing = n_observed < n || xreg.hasNaN();
    if (any_missing) method = ArimaMethod::kMl;
  }
  int ncond = 0;
  if (method != ArimaMethod::kMl) ncond = o.d + o.D * o.m + o.p + o.m * o.P;

  const int npar = narma + ncxreg;
  std::vector<double> init(npar, 0.0);
  std::vector<double> parscale(npar, 1.0);
  Eigen::MatrixXd rotation;  // S$v when the regressors were rotated
  const bool orig_xreg = ncxreg <= 1;
  if (ncxreg > 0) {
    if (!orig_xreg) {
      std::vector<int> rows;
      for (int i = 0; i < n; ++i)
        if (!xreg.row(i).hasNaN()) rows.push_back(i);
      Eigen::MatrixXd complete(rows.size(), ncxreg);
      for (size_t i = 0; i < rows.size(); ++i) complete.row(i) = xreg.row(rows[i]);
      Eigen::JacobiSVD<Eigen::MatrixXd> svd(complete, Eigen::ComputeThinV);
      rotation = svd.matrixV();
      xreg = (xreg * rotation).eval();
    }
    Eigen::MatrixXd dx = Eigen::Map<const Eigen::VectorXd>(x.data(), n);
    Eigen::MatrixXd dxreg = xreg;
    if (o.d > 0) {
      dx = difference(dx, 1, o.d);
      dxreg = difference(dxreg, 1, o.d);
    }
    if (o.m > 1 && o.D > 0) {
      dx = difference(dx, o.m, o.D);
      dxreg = difference(dxreg, o.m, o.D);
    }
    // R falls back to the undifferenced regression only when the differenced one has rank
    // 0; an aliased column leaves an NA start value, on which optim() stops.
    LeastSquares ls;
    if (dx.rows() > dxreg.cols()) ls = least_squares(dx.col(0), dxreg);
    if (!ls.ok && ls.rank == 0)
      ls = least_squares(Eigen::Map<const Eigen::VectorXd>(x.data(), n), xreg);
    if (!ls.ok) return fit_error("the regressors are rank deficient");
    int complete_rows = 0;
    for (int i = 0; i < n; ++i) complete_rows += (!std::isnan(x[i]) && !xreg.row(i).hasNaN());
    n_used = complete_rows - n_delta;
    for (int j = 0; j < ncxreg; ++j) {
      init[narma + j] = ls.coef(j);
      parscale[narma + j] = 10 * ls.se(j);
      // optim() rejects the non-finite scaled start a zero or NaN scale would give.
      if (!(std::isfinite(parscale[narma + j]) && parscale[narma + j] != 0.0))
        return fit_error("the regression start values have no standard error");
    }
  }
  if (n_used <= 0) return fit_error("too few non-missing observations");
  fit.n_used = n_used;
  fit.n_coef = npar;

  ArimaProblem problem(x, xreg, o, ncond);
  OptimControl control;
  control.parscale = parscale;
  std::vector<double> coef;
  Eigen::MatrixXd var;
  double value = 0.0;

  if (method == ArimaMethod::kCss) {
    if (npar == 0) {
      value = problem.css_objective(init.data());
      coef = init;
    } else {
      auto res = optim_bfgs([&](const double* p) { return problem.css_objective(p); }, init,
                            control, true);
      if (!res.ok) return fit_error("CSS optimisation failed");
      coef = res.par;
      value = res.value;
      fit.convergence = res.convergence;
      Eigen::MatrixXd h = Eigen::Map<Eigen::MatrixXd>(res.hessian.data(), npar, npar);
      if (!solve_like_r(h * n_used, Eigen::MatrixXd::Identity(npar, npar), &var))
        return fit_error("singular Hessian");
    }
    fit.sigma2 = problem.css_sigma2(coef.data());
  } else {
    if (method == ArimaMethod::kCssMl) {
      if (npar > 0) {
        auto res = optim_bfgs([&](const double* p) { return problem.css_objective(p); }, init,
                              control, false);
        if (!res.ok) return fit_error("CSS optimisation failed");
        if (res.convergence == 0) init = res.par;
      }
      if (o.p > 0 && !ar_is_stationary(init.data(), o.p))
        return fit_error("non-stationary AR part from CSS");
      if (o.P > 0 && !ar_is_stationary(init.data() + o.p + o.q, o.P))
        return fit_error("non-stationary seasonal AR part from CSS");
      problem.set_ncond(0);
    }
    const bool transform = npar > 0;
    if (transform) {
      std::vector<double> raw = init;
      if (o.p > 0) ar_to_unconstrained(o.p, init.data(), raw.data());
      if (o.P > 0) ar_to_unconstrained(o.P, init.data() + o.p + o.q, raw.data() + o.p + o.q);
      init = raw;
      if (o.q > 0) make_ma_invertible(init.data() + o.p, o.q);
      if (o.Q > 0) make_ma_invertible(init.data() + o.p + o.q + o.P, o.Q);
    }
    if (npar == 0) {
      value = problem.ml_objective(init.data(), false);
      coef = init;
    } else {
      auto objective = [&](const double* p) { return problem.ml_objective(p, true); };
      auto res = optim_bfgs(objective, init, control, true);
      if (!res.ok) return fit_error("ML optimisation failed");
      coef = res.par;
      if (o.q > 0) make_ma_invertible(coef.data() + o.p, o.q);
      if (o.Q > 0) make_ma_invertible(coef.data() + o.p + o.q + o.P, o.Q);
      if (coef != res.par) {
        OptimControl refit = control;
        refit.maxit = 0;
        const int code = res.convergence;
        res = optim_bfgs(objective, coef, refit, true);
        if (!res.ok) return fit_error("ML refit failed");
        res.convergence = code;
        coef = res.par;
      }
      value = res.value;
      fit.convergence = res.convergence;
      const Eigen::MatrixXd A = transform_jacobian(coef, o);
      Eigen::MatrixXd h = Eigen::Map<Eigen::MatrixXd>(res.hessian.data(), npar, npar);
      Eigen::MatrixXd solved;
      if (!solve_like_r(h * n_used, A, &solved)) return fit_error("singular Hessian");
      var = A.transpose() * solved;
      undo_transform(coef, o);
    }
    const auto sums = problem.exact_sums(coef.data());
    fit.sigma2 = sums.ssq / n_used;
  }

  const double two_pi = 2.0 * std::numbers::pi;
  const double deviance = 2.0 * n_used * value + n_used + n_used * std::log(two_pi);
  fit.loglik = -0.5 * deviance;
  fit.aic = method == ArimaMethod::kCss ? std::numeric_limits<double>::quiet_NaN()
                                        : deviance + 2.0 * npar + 2.0;
  if (!orig_xreg) {
    Eigen::VectorXd beta = Eigen::Map<Eigen::VectorXd>(coef.data() + narma, ncxreg);
    Eigen::VectorXd rotated = rotation * beta;
    for (int j = 0; j < ncxreg; ++j) coef[narma + j] = rotated(j);
    if (var.size() > 0) {
      Eigen::MatrixXd T = Eigen::MatrixXd::Identity(npar, npar);
      T.bottomRightCorner(ncxreg, ncxreg) = rotation;
      var = (T * var * T.transpose()).eval();
    }
  }
  fit.coef = coef;
  fit.var_diag.resize(var.rows());
  for (int i = 0; i < var.rows(); ++i) fit.var_diag[i] = var(i, i);
  fit.phi.resize(o.phi_length());
  fit.theta.resize(o.theta_length());
  expand_arma(coef.data(), o, false, fit.phi.data(), fit.theta.data());
  return fit;
}

}  // namespace traind::engines::timeseries::detail
