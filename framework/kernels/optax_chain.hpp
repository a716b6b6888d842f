#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// The two passes of the optax_chain optimizer (archetypax's Biarchetypal chain: clip, global-norm
// clip, Adam, decayed weights, scheduled step).
namespace kaa::kernels {

/// Clips every entry of g in place to [-clip, clip] (clip = 0: none); returns the sum of squares
/// after clipping (for the global norm).
template <class Space, class S>
double optax_clip_and_square(const Space& space, const Matrix<S>& g, S clip) {
  const std::size_t cols = g.extent(1);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::optax_chain.clip", Kokkos::RangePolicy<Space>(space, 0, g.extent(0) * cols),
      KOKKOS_LAMBDA(const std::size_t e, double& acc) {
        const std::size_t i = e / cols, j = e % cols;
        S v = g(i, j);
        if (clip > 0) v = v > clip ? clip : (v < -clip ? -clip : v);
        g(i, j) = v;
        acc += static_cast<double>(v) * v;
      },
      total);
  return total;
}

/// The step's scalars, in double (converted to S in the kernel as before).
struct OptaxChainStep {
  bool rescale;  // global norm at or above max_norm
  double norm, max_norm, b1, b2, eps, eps_root, weight_decay, step;  // step = -s(t) or +s(t)
};

/// One chain update of a block: g rescaled to the global norm (when c.rescale), Adam moments mu,
/// nu updated, u = mhat / (sqrt(vhat + eps_root) + eps) + weight_decay p, p <- p + step u.
template <class Space, class S>
void optax_chain_update(const Space& space, const Matrix<S>& p, const Matrix<S>& g,
                        const Matrix<S>& mu, const Matrix<S>& nu, const OptaxChainStep& c, S bias1,
                        S bias2) {
  constexpr const char* entry = "optax_chain_update";
  for (unsigned dim = 0; dim < 2; ++dim) {
    require_extent(g, dim, p.extent(dim), entry, "g");
    require_extent(mu, dim, p.extent(dim), entry, "mu");
    require_extent(nu, dim, p.extent(dim), entry, "nu");
  }
  const std::size_t cols = p.extent(1);
  const bool rescale = c.rescale;
  const S norm = static_cast<S>(c.norm), max_norm = static_cast<S>(c.max_norm);
  const S b1 = static_cast<S>(c.b1), b2 = static_cast<S>(c.b2), eps = static_cast<S>(c.eps);
  const S eps_root = static_cast<S>(c.eps_root), wd = static_cast<S>(c.weight_decay);
  const S step = static_cast<S>(c.step);
  Kokkos::parallel_for(
      "kaa::optax_chain", Kokkos::RangePolicy<Space>(space, 0, p.extent(0) * cols),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t i = e / cols, j = e % cols;
        S gij = g(i, j);
        if (rescale) gij = (gij / norm) * max_norm;
        const S m = (1 - b1) * gij + b1 * mu(i, j);
        const S v = (1 - b2) * gij * gij + b2 * nu(i, j);
        mu(i, j) = m;
        nu(i, j) = v;
        S u = (m / bias1) / (kernels::sqrt(v / bias2 + eps_root) + eps);
        u = u + wd * p(i, j);
        p(i, j) = p(i, j) + step * u;
      });
}

}  // namespace kaa::kernels
