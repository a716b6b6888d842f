#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "strategies/common/geometry/support.hpp"

namespace kaa::strategies {

/// archetypax's boundary incentive (Improved and Sparse AA): weight x (1/k) sum_j s(p_j) with
///   u = (z_j - c)/|z_j - c|, m = max_i (x_i - c).u, p = (z_j - c).u / max(m, eps),
///   s(p) = (1 - |p - 1|)^2 - [p > 1] (exp(p - 1) - 1),
/// c the data centroid. s peaks at p = 1 (on the support boundary along u); archetypax subtracts
/// 0.001 x the mean score, hence the default weight -0.001. archetypax divides by m + 1e-10 in
/// float32, which equals m unless m < ~1e-3; max(m, eps) keeps that in double too, so an
/// archetype that is its own extreme data row (right after a point-picking initializer) has
/// p = 1 exactly, where the gradient takes autodiff's side of the kink (d|x|/dx = 1 at 0). The
/// gradient is analytic, treating the extreme row as fixed (as autodiff through max does); rows
/// with |z - c| <= eps score 0.
template <class S>
class BoundaryIncentive final : public LossTerm<S> {
 public:
  static constexpr const char* name = "boundary_incentive";
  static constexpr const char* summary =
      "weight x mean boundary score of the archetypes (peaks on the data's support along c->z)";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  struct Params {
    double weight = -0.001;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit BoundaryIncentive(const Params& config);

  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  double evaluate(const Matrix<S>& X, const Matrix<S>& Z, const Matrix<S>& grad);
  Params config_;
  common::Support<S> support_;
};

}  // namespace kaa::strategies
