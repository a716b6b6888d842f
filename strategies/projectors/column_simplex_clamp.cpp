#include "strategies/projectors/column_simplex_clamp.hpp"

#include "framework/kernels/simplex_clamp.hpp"

namespace kaa::strategies {

template <class S>
auto ColumnSimplexClamp<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("eps", &Params::eps)
      .positive()
      .doc("floor of each entry and of the column sum (archetypax: 1e-10)");
  return s;
}

template <class S>
ColumnSimplexClamp<S>::ColumnSimplexClamp(const Params& p) : config_(p) {}

template <class S>
void ColumnSimplexClamp<S>::project(Matrix<S>& block, const Matrix<S>&) {
  kernels::simplex_clamp_columns(ExecSpace(), block, static_cast<S>(config_.eps));
}

template class ColumnSimplexClamp<float>;
template class ColumnSimplexClamp<double>;

}  // namespace kaa::strategies
