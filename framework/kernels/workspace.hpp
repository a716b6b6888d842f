#pragma once
#include <cstddef>
#include <string>

#include <Kokkos_Core.hpp>

// Scratch of the kernel entry points. A workspace is a struct of Views owned by the caller (a
// strategy, the model) for the whole fit; an entry point sizes it through `fit_extents`, which
// allocates only when a size changes. Strategies size their workspaces in prepare(), before the
// first update, so the update loop itself never allocates (tests/kernels/allocation_test.cpp).
// Reused scratch keeps its old contents: an entry point that accumulates into it zeroes it first.
namespace kaa::kernels {

/// Reallocates `view` (zero-filled) unless it already has these extents (use_count: an empty
/// allocation counts as sized). Returns true when it allocated.
template <class V>
bool fit_extents(V& view, const char* label, std::size_t e0) {
  static_assert(V::rank == 1, "rank-1 view");
  if (view.use_count() > 0 && view.extent(0) == e0) return false;
  view = V(std::string(label), e0);
  return true;
}

template <class V>
bool fit_extents(V& view, const char* label, std::size_t e0, std::size_t e1) {
  static_assert(V::rank == 2, "rank-2 view");
  if (view.use_count() > 0 && view.extent(0) == e0 && view.extent(1) == e1) return false;
  view = V(std::string(label), e0, e1);
  return true;
}

}  // namespace kaa::kernels
