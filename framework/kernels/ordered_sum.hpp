#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/launch.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"

// A sum over items whose bits do not depend on the thread count: items go in fixed chunks
// (row_tiles.hpp's split, set by the size and the backend alone), each chunk summed in index
// order, the chunk partials added in chunk order. A parallel_reduce's order follows the threads.
namespace kaa::kernels {

/// Scratch of ordered_sum: one partial per chunk, and their total. Sized on first use and kept,
/// so a strategy holding one allocates nothing after its first update.
struct OrderedSumWorkspace {
  Work partials, total;
};

/// sum over i < count of add(i, acc), where add adds item i's contribution to acc (a running
/// double that starts at 0 in each chunk). One chunk (count <= 1024 on the host) adds in plain
/// index order. On the host a small pass (runs_inline) walks the same chunks on the calling
/// thread: the same bits either way.
template <class Space, class Add>
double ordered_sum(const Space& space, const char* label, std::size_t count, std::size_t work,
                   const Add& add, OrderedSumWorkspace& ws) {
  const RowChunks chunks = row_chunks<Space>(count, 1);
  if constexpr (runs_on_host<Space>) {
    if (runs_inline<Space>(chunks.count, work)) {
      double total = 0;
      for (std::size_t c = 0; c < chunks.count; ++c) {
        double s = 0;
        for (std::size_t i = chunks.begin(c); i < chunks.end(c, count); ++i) add(i, s);
        total += s;
      }
      return total;
    }
  }
  fit_extents(ws.partials, "kaa::ordered_sum.partials", chunks.count, 1);
  fit_extents(ws.total, "kaa::ordered_sum.total", 1, 1);
  const Work partials = ws.partials;
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<Space>(space, 0, chunks.count),
      KOKKOS_LAMBDA(const std::size_t c) {
        double s = 0;
        const std::size_t end = chunks.end(c, count);
        for (std::size_t i = chunks.begin(c); i < end; ++i) add(i, s);
        partials(c, 0) = s;
      });
  sum_partials(space, partials, ws.total);
  double total = 0;
  Kokkos::deep_copy(total, Kokkos::subview(ws.total, 0, 0));
  return total;
}

}  // namespace kaa::kernels
