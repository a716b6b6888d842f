#include "strategies/projectors/simplex_sort.hpp"

#include "framework/kernels/simplex_sort.hpp"

namespace kaa::strategies {

template <class S>
Schema SimplexSort<S>::schema() {
  return Schema();
}

template <class S>
void SimplexSort<S>::project(Matrix<S>& block, const Matrix<S>&) {
  kernels::simplex_sort_rows(ExecSpace(), block, sorted_);
}

template class SimplexSort<float>;
template class SimplexSort<double>;

}  // namespace kaa::strategies
