#include "strategies/transforms/archetypax_pgd.hpp"

#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/transform_pgd.hpp"

namespace kaa::strategies {

template <class S>
Schema ArchetypaxPgd<S>::schema() {
  Schema s;
  s.integer("steps", 100).min(1).doc("gradient steps per row (archetypax: 100)");
  s.number("learning_rate", 0.01).positive().doc("step size (archetypax 0.1.2: 0.01)");
  s.number("eps", 1e-10).positive().doc("clamp floor and smallest admissible row sum");
  return s;
}

template <class S>
ArchetypaxPgd<S>::ArchetypaxPgd(const nlohmann::json& p)
    : steps_(p.at("steps").get<long>()),
      learning_rate_(p.at("learning_rate").get<double>()),
      eps_(p.at("eps").get<double>()) {}

template <class S>
void ArchetypaxPgd<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) {
  const std::size_t k = archetypes.extent(0);
  const kernels::Work zp = kernels::padded_rows(archetypes);
  kernels::Work G("kaa::archetypax_pgd.gram", k, k);
  kernels::padded_gram(ExecSpace(), zp, G, "kaa::archetypax_pgd.gram");
  kernels::archetypax_pgd_weights(ExecSpace(), X, zp, G, steps_, learning_rate_, eps_, weights);
}

template class ArchetypaxPgd<float>;
template class ArchetypaxPgd<double>;

}  // namespace kaa::strategies
