#include "strategies/initializers/uniform_weights.hpp"

#include "framework/error.hpp"
#include "framework/kernels/weight_init.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
auto UniformWeights<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("low", &Params::low)
      .non_negative()
      .doc("lower end of the uniform draw (archetypax: 0.1)");
  s.number("high", &Params::high).positive().doc("upper end of the uniform draw (archetypax: 0.9)");
  s.number("eps", &Params::eps).positive().doc("clamp floor of the renormalisation");
  return s;
}

template <class S>
UniformWeights<S>::UniformWeights(const Params& p) : config_(p) {
  if (!(config_.low < config_.high)) {
    throw ConfigError({"uniform_weights: low (" + std::to_string(config_.low) +
                       ") must be below high (" + std::to_string(config_.high) + ")"});
  }
}

template <class S>
void UniformWeights<S>::initialize(const Matrix<S>&, Parameters<S>& params, std::uint64_t seed) {
  // Drawn by global row index, so the weights do not depend on how rows are split over ranks.
  kernels::uniform_simplex_rows(ExecSpace(), params.weights, config_.low,
                                config_.high - config_.low, static_cast<S>(config_.eps), seed, 0,
                                parallel::row_offset());
}

template class UniformWeights<float>;
template class UniformWeights<double>;

}  // namespace kaa::strategies
