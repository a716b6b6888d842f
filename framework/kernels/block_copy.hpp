#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/types.hpp"

// Fills and copies of whole parameter blocks inside an update loop (zeroed gradients, the best
// parameters' snapshot). Kokkos::deep_copy opens a parallel region for any of these on a host
// backend (a fill always; a copy from 1 KB); through launch_for a small block is a loop on the
// calling thread instead.
namespace kaa::kernels {

/// Every entry of the contiguous block m set to `value`.
template <class Space, class S>
void fill_block(const Space& space, const Matrix<S>& m, S value) {
  require(m.span_is_contiguous(), "fill_block", "the block must be contiguous");
  S* p = m.data();
  launch_for(
      space, "kaa::fill_block", m.size(), m.size(),
      KOKKOS_LAMBDA(const std::size_t e) { p[e] = value; });
}

/// to = from for two contiguous blocks of the same shape.
template <class Space, class S>
void copy_block(const Space& space, const Matrix<S>& from, const Matrix<S>& to) {
  constexpr const char* entry = "copy_block";
  require_extent(to, 0, from.extent(0), entry, "to");
  require_extent(to, 1, from.extent(1), entry, "to");
  require(from.span_is_contiguous() && to.span_is_contiguous(), entry,
          "the blocks must be contiguous");
  const S* f = from.data();
  S* t = to.data();
  launch_for(
      space, "kaa::copy_block", from.size(), from.size(),
      KOKKOS_LAMBDA(const std::size_t e) { t[e] = f[e]; });
}

/// copy_block for every present block of `from` into `to` (same shapes).
template <class Space, class S>
void copy_blocks(const Space& space, const Parameters<S>& from, Parameters<S>& to) {
  for (Block b : kBlocks)
    if (from.has(b)) copy_block(space, from.block(b), to.block(b));
}

}  // namespace kaa::kernels
