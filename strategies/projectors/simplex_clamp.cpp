#include "strategies/projectors/simplex_clamp.hpp"

#include "framework/kernels/simplex_clamp.hpp"

namespace kaa::strategies {

template <class S>
auto SimplexClamp<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("eps", &Params::eps)
      .positive()
      .doc("floor of each entry and of the row sum (archetypax: 1e-10)");
  return s;
}

template <class S>
SimplexClamp<S>::SimplexClamp(const Params& p) : config_(p) {}

template <class S>
void SimplexClamp<S>::project(Matrix<S>& block, const Matrix<S>&) {
  kernels::simplex_clamp_rows(ExecSpace(), block, static_cast<S>(config_.eps));
}

template class SimplexClamp<float>;
template class SimplexClamp<double>;

}  // namespace kaa::strategies
