#include "strategies/initializers/directional.hpp"

#include <cmath>
#include <numbers>

#include "framework/host_transfer.hpp"
#include "framework/kernels/mixing.hpp"
#include "strategies/common/geometry/support.hpp"

namespace kaa::strategies {

namespace {

void normalise_rows(HostMatrix& U, double eps) {
  for (std::size_t i = 0; i < U.rows; ++i) {
    double norm = 0;
    for (std::size_t f = 0; f < U.cols; ++f) norm += U(i, f) * U(i, f);
    norm = std::sqrt(norm);
    for (std::size_t f = 0; f < U.cols; ++f) U(i, f) /= norm + eps;
  }
}

}  // namespace

template <class S>
auto Directional<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.boolean("lattice", &Params::lattice)
      .doc(
          "d = 2: evenly spaced angles, d = 3: Fibonacci sphere (archetypax); false = the random "
          "repulsion directions in every dimension");
  s.integer("repulsion_steps", &Params::repulsion_steps)
      .min(0)
      .doc("steps of the repulsion of random directions");
  s.number("repulsion_strength", &Params::repulsion_strength)
      .non_negative()
      .doc("step size of the repulsion");
  s.number("eps", &Params::eps).positive().doc("added to norms when normalising directions");
  return s;
}

template <class S>
Directional<S>::Directional(const Params& p) : config_(p) {}

template <class S>
HostMatrix Directional<S>::directions(std::size_t k, std::size_t d, std::uint64_t seed) const {
  HostMatrix U(k, d);
  if (config_.lattice && d == 2) {
    for (std::size_t i = 0; i < k; ++i) {
      const double angle = 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(k);
      U(i, 0) = std::cos(angle);
      U(i, 1) = std::sin(angle);
    }
    return U;
  }
  if (config_.lattice && d == 3) {
    const double golden = (1.0 + std::sqrt(5.0)) / 2.0;
    for (std::size_t i = 0; i < k; ++i) {
      const double theta = 2.0 * std::numbers::pi * static_cast<double>(i) / golden;
      const double phi = std::acos(1.0 - 2.0 * (static_cast<double>(i) + 0.5) / k);
      U(i, 0) = std::sin(phi) * std::cos(theta);
      U(i, 1) = std::sin(phi) * std::sin(theta);
      U(i, 2) = std::cos(phi);
    }
    return U;
  }
  U.values = common::normal_draws(seed, 2, k * d);
  normalise_rows(U, config_.eps);
  for (int step = 0; step < config_.repulsion_steps; ++step) {
    // All forces from the same positions (a Jacobi step), as archetypax's scan does.
    HostMatrix force(k, d);
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; j < k; ++j) {
        if (i == j) continue;
        double sim = 0;
        for (std::size_t f = 0; f < d; ++f) sim += U(i, f) * U(j, f);
        for (std::size_t f = 0; f < d; ++f)
          force(i, f) -= config_.repulsion_strength * sim * U(j, f);
      }
    }
    for (std::size_t e = 0; e < U.values.size(); ++e) U.values[e] += force.values[e];
    normalise_rows(U, config_.eps);
  }
  return U;
}

template <class S>
void Directional<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  const std::size_t k = params.archetypes.extent(0), d = X.extent(1);
  common::Support<S> support;
  support.bind(X);
  std::vector<double> top;
  support.extremes(directions(k, d, seed), chosen_, top);
  Kokkos::deep_copy(params.archetypes, to_device<S>(support.rows(chosen_), "kaa::directional"));
  if (params.has(Block::mixing))
    kernels::set_mixing_one_hot(params.mixing,
                                std::vector<std::size_t>(chosen_.begin(), chosen_.end()));
}

template class Directional<float>;
template class Directional<double>;

}  // namespace kaa::strategies
