#include "strategies/initializers/uniform_weights.hpp"

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/simplex.hpp"
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
  const Matrix<S> W = params.weights;
  const std::size_t k = W.extent(1);
  const double low = low_, width = high_ - low_;
  const S eps = static_cast<S>(eps_);
  // Drawn by global row index, so the weights do not depend on how rows are split over ranks.
  const std::size_t offset = parallel::row_offset();
  Kokkos::parallel_for(
      "kaa::uniform_weights", Kokkos::RangePolicy<ExecSpace>(0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j)
          W(i, j) = static_cast<S>(low + width * kernels::uniform01(seed, 0, (offset + i) * k + j));
        kernels::clamp_renormalize_row(W, i, eps);
      });
}

template class UniformWeights<float>;
template class UniformWeights<double>;

}  // namespace kaa::strategies
