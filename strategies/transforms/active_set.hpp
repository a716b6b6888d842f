#pragma once
#include "framework/config/schema.hpp"
#include "framework/interfaces/transformer.hpp"
#include "framework/kernels/simplex_qp.hpp"

namespace kaa::strategies {

/// Exact weights of each row: min_w ||x - w Z||^2 over the probability simplex by the primal
/// active-set method of the active_set solver's A-step (the SPAMS approach: kernels/simplex_qp),
/// from the best vertex. A finite method: at most a few support changes per row for small k, so
/// much faster than projected_gradient's iterations on rows outside the hull (k <= 64).
template <class S>
class ActiveSetTransform final : public Transformer<S> {
 public:
  static constexpr const char* name = "active_set";
  static constexpr const char* summary =
      "exact simplex least squares per row (primal active set, as the active_set A-step)";
  static Schema schema() { return {}; }
  void solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) override;

 private:
  kernels::SimplexLeastSquaresWorkspace ws_;
  Vector<double> center_;
};

}  // namespace kaa::strategies
