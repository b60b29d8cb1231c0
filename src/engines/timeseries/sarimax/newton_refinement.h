// A few damped Newton steps with a finite-difference Hessian, run after L-BFGS. NLopt's
// L-BFGS on these likelihoods (numerical gradients, approximate-diffuse rounding noise)
// often stops on round-off 1e-4 short of the optimum, and far short on nearly flat ridges
// (a trend intercept against its drift); a Newton step with a good Hessian lands on the
// optimum that spec A.6 takes as the target.
#pragma once

#include <Eigen/Core>
#include <functional>

namespace traind::engines::timeseries::detail {

// f(x), +inf where undefined.
using ScalarFunction = std::function<double(const Eigen::VectorXd&)>;

struct NewtonRefinement {
  Eigen::VectorXd x;
  double value = 0.0;
  int evaluations = 0;
  int steps_taken = 0;
};

// Starts at x0 with f(x0) = f0; only ever moves to points with a lower f.
NewtonRefinement refine_with_newton(const ScalarFunction& f, const Eigen::VectorXd& x0, double f0,
                                    int max_iterations = 30);

}  // namespace traind::engines::timeseries::detail
