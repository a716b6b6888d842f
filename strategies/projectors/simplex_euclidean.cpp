#include "strategies/projectors/simplex_euclidean.hpp"

#include "framework/kernels/simplex_euclidean.hpp"

namespace kaa::strategies {

template <class S>
Schema SimplexEuclidean<S>::schema() {
  return Schema();
}

template <class S>
void SimplexEuclidean<S>::project(Matrix<S>& block, const Matrix<S>&) {
  kernels::simplex_euclidean_rows(ExecSpace(), block);
}

template class SimplexEuclidean<float>;
template class SimplexEuclidean<double>;

}  // namespace kaa::strategies
