#include "strategies/projectors/simplex_clamp.hpp"

#include "framework/kernels/simplex_clamp.hpp"

namespace kaa::strategies {

template <class S>
Schema SimplexClamp<S>::schema() {
  Schema s;
  s.number("eps", 1e-10)
      .positive()
      .doc("floor of each entry and of the row sum (archetypax: 1e-10)");
  return s;
}

template <class S>
SimplexClamp<S>::SimplexClamp(const nlohmann::json& p) : eps_(p.at("eps").get<double>()) {}

template <class S>
void SimplexClamp<S>::project(Matrix<S>& block, const Matrix<S>&) {
  kernels::simplex_clamp_rows(ExecSpace(), block, static_cast<S>(eps_));
}

template class SimplexClamp<float>;
template class SimplexClamp<double>;

}  // namespace kaa::strategies
