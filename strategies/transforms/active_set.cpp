#include "strategies/transforms/active_set.hpp"

#include "framework/kernels/block_products.hpp"

namespace kaa::strategies {

template <class S>
void ActiveSetTransform<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes,
                                  Matrix<S>& weights) {
  // Centring by the archetypes' mean (any point gives the same problem) conditions the Gram and
  // does not depend on which rows are solved together.
  kernels::column_means(ExecSpace(), archetypes, center_);
  Kokkos::deep_copy(weights, S(0));  // an all-zero start begins at the best vertex
  kernels::simplex_least_squares_rows(ExecSpace(), X, archetypes, weights, center_, ws_);
}

template class ActiveSetTransform<float>;
template class ActiveSetTransform<double>;

}  // namespace kaa::strategies
