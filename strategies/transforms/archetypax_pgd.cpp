#include "strategies/transforms/archetypax_pgd.hpp"

#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/transform_pgd.hpp"

namespace kaa::strategies {

template <class S>
auto ArchetypaxPgd<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("steps", &Params::steps).min(1).doc("gradient steps per row (archetypax: 100)");
  s.number("learning_rate", &Params::learning_rate)
      .positive()
      .doc("step size (archetypax 0.1.2: 0.01)");
  s.number("eps", &Params::eps).positive().doc("clamp floor and smallest admissible row sum");
  return s;
}

template <class S>
ArchetypaxPgd<S>::ArchetypaxPgd(const Params& p) : config_(p) {}

template <class S>
void ArchetypaxPgd<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) {
  const std::size_t k = archetypes.extent(0);
  const kernels::Work zp = kernels::padded_rows(archetypes);
  kernels::Work G("kaa::archetypax_pgd.gram", k, k);
  kernels::padded_gram(ExecSpace(), zp, G, "kaa::archetypax_pgd.gram");
  kernels::archetypax_pgd_weights(ExecSpace(), X, zp, G, config_.steps, config_.learning_rate,
                                  config_.eps, weights);
}

template class ArchetypaxPgd<float>;
template class ArchetypaxPgd<double>;

}  // namespace kaa::strategies
