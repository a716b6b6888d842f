#include "strategies/projectors/cbap.hpp"

#include <cmath>

#include "framework/host_matrix.hpp"

namespace kaa::strategies {

template <class S>
auto Cbap<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("alpha", &Params::alpha)
      .min(0)
      .max(1)
      .doc(
          "outside: alpha of the way to the extreme point; inside: 1 - alpha (archetypax's "
          "projection_alpha)");
  s.number("eps", &Params::eps)
      .positive()
      .doc("norm of a - c at or below which the fallback direction is used");
  s.integer("seed", &Params::seed).min(0).doc("seed of the fallback direction");
  return s;
}

template <class S>
Cbap<S>::Cbap(const Params& p) : config_(p) {}

template <class S>
void Cbap<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  support_.bind(X);
  HostMatrix Z = staging_.download(block);
  const std::size_t k = Z.rows, d = Z.cols;
  const auto& c = support_.centroid();
  std::vector<double> fallback = common::normal_draws(config_.seed, 5, d);
  for (double& v : fallback) v /= std::sqrt(static_cast<double>(d));
  const HostMatrix U = common::directions_from(Z, c, config_.eps, fallback);
  std::vector<long> index;
  std::vector<double> top;
  support_.extremes(U, index, top);
  const HostMatrix E = support_.rows(index);
  const std::vector<double> along = support_.along(Z, U);
  for (std::size_t j = 0; j < k; ++j) {
    const double to_extreme = along[j] > top[j] ? config_.alpha : 1.0 - config_.alpha;
    for (std::size_t f = 0; f < d; ++f)
      Z(j, f) = to_extreme * E(j, f) + (1.0 - to_extreme) * Z(j, f);
  }
  staging_.upload(Z, block);
}

template class Cbap<float>;
template class Cbap<double>;

}  // namespace kaa::strategies
