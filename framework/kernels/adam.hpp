#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Hyper-parameters of one Adam step, in the working precision (bias1, bias2 = 1 - b^t).
template <class S>
struct AdamStep {
  S lr, b1, b2, eps, eps_root, clip, bias1, bias2;
};

/// One optax Adam step over a whole block after the element-wise clip of g to [-clip, clip]
/// (clip = 0: none): updates the moments mu, nu and the parameters p in place. Blocks are
/// contiguous (LayoutRight allocations), so the kernel walks the flat span: no index division per
/// entry. (The loop vectorises only when the compiler may drop errno for sqrt: -fno-math-errno,
/// 4 ns -> 1 ns per entry on one core.)
template <class Space, class S>
void adam_update(const Space& space, const Matrix<S>& p, const Matrix<S>& g, const Matrix<S>& mu,
                 const Matrix<S>& nu, const AdamStep<S>& a) {
  constexpr const char* entry = "adam_update";
  for (unsigned dim = 0; dim < 2; ++dim) {
    require_extent(g, dim, p.extent(dim), entry, "g");
    require_extent(mu, dim, p.extent(dim), entry, "mu");
    require_extent(nu, dim, p.extent(dim), entry, "nu");
  }
  require(p.span_is_contiguous() && g.span_is_contiguous() && mu.span_is_contiguous() &&
              nu.span_is_contiguous(),
          entry, "parameter blocks must be contiguous");
  S* pp = p.data();
  const S* gp = g.data();
  S* mp = mu.data();
  S* vp = nu.data();
  const S lr = a.lr, b1 = a.b1, b2 = a.b2, eps = a.eps, eps_root = a.eps_root, clip = a.clip;
  const S bias1 = a.bias1, bias2 = a.bias2;
  launch_for(
      space, "kaa::adam", p.size(), p.size(), KOKKOS_LAMBDA(const std::size_t e) {
        S gij = gp[e];
        if (clip > 0) gij = gij > clip ? clip : (gij < -clip ? -clip : gij);
        const S m = (1 - b1) * gij + b1 * mp[e];
        const S v = (1 - b2) * gij * gij + b2 * vp[e];
        mp[e] = m;
        vp[e] = v;
        const S m_hat = m / bias1;
        const S v_hat = v / bias2;
        pp[e] -= lr * (m_hat / (kernels::sqrt(v_hat + eps_root) + eps));
      });
}

}  // namespace kaa::kernels
