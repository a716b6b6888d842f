#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

// Launches of the small passes of a fit. On a host backend a parallel region costs microseconds
// (waking the other threads and joining them; tens of microseconds when they wait passively or
// the cores are shared), more than a pass over a few thousand values takes on one thread. Such
// passes run on the calling thread instead, decided by their size alone. Results do not change:
// a parallel_for's work items are independent, and inline_reduce sums in index order, which is
// what one thread of the parallel reduction does.
namespace kaa::kernels {

/// True for execution spaces that run on the host (their memory is the host's).
template <class Space>
inline constexpr bool runs_on_host =
    Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;

/// Work (about the multiply-adds or values a pass touches) below which a host pass runs on the
/// calling thread. Measured (benchmarks/RESULTS.md, "Small fits"): one parallel region on this
/// 2-core machine costs what ~32k multiply-adds take on one thread with passive waiting.
inline constexpr std::size_t kInlineWork = std::size_t{1} << 15;

/// True when a pass of `count` work items and `work` in all runs on the calling thread: on the
/// host, when it is small or has a single item (a streaming pass over one chunk of rows), which
/// one thread runs either way.
template <class Space>
constexpr bool runs_inline(std::size_t count, std::size_t work) {
  return runs_on_host<Space> && (count <= 1 || work < kInlineWork);
}

/// parallel_for over [0, count) on `space`, or a loop on the calling thread when the pass is
/// small (runs_inline).
template <class Space, class F>
void launch_for(const Space& space, const char* label, std::size_t count, std::size_t work,
                const F& f) {
  if constexpr (runs_on_host<Space>) {
    if (runs_inline<Space>(count, work)) {
      for (std::size_t i = 0; i < count; ++i) f(i);
      return;
    }
  }
  Kokkos::parallel_for(label, Kokkos::RangePolicy<Space>(space, 0, count), f);
}

/// parallel_reduce (sum into a double) over [0, count), or the same sum in index order on the
/// calling thread when the pass is small.
template <class Space, class F>
double launch_sum(const Space& space, const char* label, std::size_t count, std::size_t work,
                  const F& f) {
  double total = 0;
  if constexpr (runs_on_host<Space>) {
    if (runs_inline<Space>(count, work)) {
      for (std::size_t i = 0; i < count; ++i) f(i, total);
      return total;
    }
  }
  Kokkos::parallel_reduce(label, Kokkos::RangePolicy<Space>(space, 0, count), f, total);
  return total;
}

}  // namespace kaa::kernels
