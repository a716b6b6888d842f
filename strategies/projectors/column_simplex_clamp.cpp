#include "strategies/projectors/column_simplex_clamp.hpp"

#include "framework/kernels/simplex.hpp"

namespace kaa::strategies {

template <class S>
Schema ColumnSimplexClamp<S>::schema() {
  Schema s;
  s.number("eps", 1e-10)
      .positive()
      .doc("floor of each entry and of the column sum (archetypax: 1e-10)");
  return s;
}

template <class S>
ColumnSimplexClamp<S>::ColumnSimplexClamp(const nlohmann::json& p)
    : eps_(p.at("eps").get<double>()) {}

template <class S>
void ColumnSimplexClamp<S>::project(Matrix<S>& block, const Matrix<S>&) {
  const Matrix<S> W = block;
  const S eps = static_cast<S>(eps_);
  Kokkos::parallel_for(
      "kaa::column_simplex_clamp", Kokkos::RangePolicy<ExecSpace>(0, W.extent(1)),
      KOKKOS_LAMBDA(const std::size_t c) { kernels::clamp_renormalize_column(W, c, eps); });
}

template class ColumnSimplexClamp<float>;
template class ColumnSimplexClamp<double>;

}  // namespace kaa::strategies
