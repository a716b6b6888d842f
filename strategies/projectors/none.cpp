#include "strategies/projectors/none.hpp"

namespace kaa::strategies {

template <class S>
Schema NoProjection<S>::schema() {
  return Schema();
}

template <class S>
void NoProjection<S>::project(Matrix<S>&, const Matrix<S>&) {}

template class NoProjection<float>;
template class NoProjection<double>;

}  // namespace kaa::strategies
