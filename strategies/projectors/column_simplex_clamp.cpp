#include "strategies/projectors/column_simplex_clamp.hpp"

#include "framework/kernels/simplex_clamp.hpp"

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
  kernels::simplex_clamp_columns(ExecSpace(), block, static_cast<S>(eps_));
}

template class ColumnSimplexClamp<float>;
template class ColumnSimplexClamp<double>;

}  // namespace kaa::strategies
