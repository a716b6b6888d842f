#include "strategies/initializers/uniform_weights.hpp"

#include "framework/error.hpp"
#include "framework/kernels/weight_init.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
Schema UniformWeights<S>::schema() {
  Schema s;
  s.number("low", 0.1).non_negative().doc("lower end of the uniform draw (archetypax: 0.1)");
  s.number("high", 0.9).positive().doc("upper end of the uniform draw (archetypax: 0.9)");
  s.number("eps", 1e-10).positive().doc("clamp floor of the renormalisation");
  return s;
}

template <class S>
UniformWeights<S>::UniformWeights(const nlohmann::json& p)
    : low_(p.at("low").get<double>()),
      high_(p.at("high").get<double>()),
      eps_(p.at("eps").get<double>()) {
  if (!(low_ < high_)) {
    throw ConfigError({"uniform_weights: low (" + std::to_string(low_) + ") must be below high (" +
                       std::to_string(high_) + ")"});
  }
}

template <class S>
void UniformWeights<S>::initialize(const Matrix<S>&, Parameters<S>& params, std::uint64_t seed) {
  // Drawn by global row index, so the weights do not depend on how rows are split over ranks.
  kernels::uniform_simplex_rows(ExecSpace(), params.weights, low_, high_ - low_,
                                static_cast<S>(eps_), seed, 0, parallel::row_offset());
}

template class UniformWeights<float>;
template class UniformWeights<double>;

}  // namespace kaa::strategies
