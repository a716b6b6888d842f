#include "strategies/projectors/column_simplex_clamp.hpp"

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
  const std::size_t rows = W.extent(0);
  const S eps = static_cast<S>(eps_);
  Kokkos::parallel_for(
      "kaa::column_simplex_clamp", Kokkos::RangePolicy<ExecSpace>(0, W.extent(1)),
      KOKKOS_LAMBDA(const std::size_t c) {
        S sum = 0;
        for (std::size_t r = 0; r < rows; ++r) {
          const S w = W(r, c) > eps ? W(r, c) : eps;
          W(r, c) = w;
          sum += w;
        }
        if (sum < eps) sum = eps;
        for (std::size_t r = 0; r < rows; ++r) W(r, c) /= sum;
      });
}

template class ColumnSimplexClamp<float>;
template class ColumnSimplexClamp<double>;

}  // namespace kaa::strategies
