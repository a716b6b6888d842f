#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/transformer.hpp"

namespace kaa::strategies {

/// Exact weights of each row: min_w ||x - w Z||^2 over the probability simplex, solved by
/// accelerated projected gradient (FISTA, Beck & Teboulle 2009) with the exact Euclidean simplex
/// projection and step 1/L, L an upper bound of 2 lambda_max(Z Z^T); a row stops when a plain
/// projected-gradient step from its iterate moves no weight by more than `tol` (a fixed-point
/// test of optimality). Works on X Z^T and Z Z^T, so an iteration costs O(k^2) per row.
template <class S>
class ProjectedGradient final : public Transformer<S> {
 public:
  static constexpr const char* name = "projected_gradient";
  static constexpr const char* summary =
      "exact simplex least squares per row (FISTA + Euclidean projection)";
  struct Params {
    double tol = 1e-10;
    long max_iter = 10000;
  };
  static BoundSchema<Params> schema();
  explicit ProjectedGradient(const Params& config);
  void solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
