#include "strategies/projectors/simplex_euclidean.hpp"

#include "framework/kernels/simplex.hpp"

namespace kaa::strategies {

template <class S>
Schema SimplexEuclidean<S>::schema() {
  return Schema();
}

template <class S>
SimplexEuclidean<S>::SimplexEuclidean(const nlohmann::json&) {}

template <class S>
void SimplexEuclidean<S>::project(Matrix<S>& block, const Matrix<S>&) {
  const Matrix<S> W = block;
  Kokkos::parallel_for(
      "kaa::simplex_euclidean", Kokkos::RangePolicy<ExecSpace>(0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) { kernels::euclidean_simplex_row(W, i); });
}

template class SimplexEuclidean<float>;
template class SimplexEuclidean<double>;

}  // namespace kaa::strategies
