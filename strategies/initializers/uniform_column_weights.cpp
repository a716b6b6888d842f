#include "strategies/initializers/uniform_column_weights.hpp"

#include "framework/error.hpp"
#include "framework/kernels/weight_init.hpp"

namespace kaa::strategies {

template <class S>
BoundSchema<typename UniformColumnWeights<S>::Params> UniformColumnWeights<S>::schema() {
  BoundSchema<Params> s;
  s.number("low", &Params::low)
      .non_negative()
      .doc("lower end of the uniform draw (archetypax: 0.1)");
  s.number("high", &Params::high).positive().doc("upper end of the uniform draw (archetypax: 0.9)");
  s.strategy("projector", &Params::projector, Kind::projector)
      .applies_to(bit(Block::column_weights))
      .doc("puts the drawn columns on the simplex");
  return s;
}

template <class S>
UniformColumnWeights<S>::UniformColumnWeights(const Params& p, const Registry& registry)
    : low_(p.low), high_(p.high), projector_(registry.make<Projector, S>(p.projector)) {
  if (!(low_ < high_)) {
    throw ConfigError({"uniform_column_weights: low (" + std::to_string(low_) +
                       ") must be below high (" + std::to_string(high_) + ")"});
  }
}

template <class S>
void UniformColumnWeights<S>::initialize(const Matrix<S>& X, Parameters<S>& params,
                                         std::uint64_t seed) {
  if (!params.has(Block::column_weights)) {
    throw Error(
        "uniform_column_weights: the model has no column_weights block (it needs a "
        "biarchetypal loss term)");
  }
  Matrix<S> G = params.column_weights;
  kernels::uniform_fill(ExecSpace(), G, low_, high_ - low_, seed, 5);
  projector_->prepare(X, params);
  projector_->project(G, X);
}

template class UniformColumnWeights<float>;
template class UniformColumnWeights<double>;

}  // namespace kaa::strategies
