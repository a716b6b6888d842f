#pragma once
#include <Kokkos_Core.hpp>

#include <optional>
#include <string>

#include "framework/kernels/check.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

using IndexMatrix = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;

/// (dist, idx) orders candidates: nearer first, ties to the lower row index (as a stable argsort
/// of the distances would). A strict total order, so the m smallest are one well-defined set.
KOKKOS_INLINE_FUNCTION bool before(double d1, long i1, double d2, long i2) {
  return d1 < d2 || (d1 == d2 && i1 < i2);
}

/// Offers (dist, idx) to a bounded max-heap of at most m candidates (the worst at the root).
KOKKOS_INLINE_FUNCTION void heap_offer(double* dist, long* idx, int& count, int m, double d,
                                       long i) {
  int pos;
  if (count < m) {
    pos = count++;
    while (pos > 0) {  // sift up
      const int parent = (pos - 1) / 2;
      if (!before(dist[parent], idx[parent], d, i)) break;
      dist[pos] = dist[parent];
      idx[pos] = idx[parent];
      pos = parent;
    }
  } else {
    if (!before(d, i, dist[0], idx[0])) return;
    pos = 0;
    for (;;) {  // sift down from the root
      const int left = 2 * pos + 1, right = left + 1;
      if (left >= count) break;
      int worst = left;
      if (right < count && before(dist[left], idx[left], dist[right], idx[right])) worst = right;
      if (!before(d, i, dist[worst], idx[worst])) break;
      dist[pos] = dist[worst];
      idx[pos] = idx[worst];
      pos = worst;
    }
  }
  dist[pos] = d;
  idx[pos] = i;
}

/// Sorts a heap's `count` entries ascending by (dist, idx), in place (insertion sort: m <= 64).
KOKKOS_INLINE_FUNCTION void sort_candidates(double* dist, long* idx, int count) {
  for (int p = 1; p < count; ++p) {
    const double d = dist[p];
    const long i = idx[p];
    int q = p;
    while (q > 0 && before(d, i, dist[q - 1], idx[q - 1])) {
      dist[q] = dist[q - 1];
      idx[q] = idx[q - 1];
      --q;
    }
    dist[q] = d;
    idx[q] = i;
  }
}

/// Scratch of nearest_rows, kept by a projector for the whole fit.
struct NearestWorkspace {
  Work zp, zz, heap_d, scratch, best_d;
  Kokkos::View<long**, Kokkos::LayoutRight, MemSpace> heap_i;
  Kokkos::View<int**, Kokkos::LayoutRight, MemSpace> heap_n;
  /// The row split; empty = the execution space's own (tests force the other backend's).
  std::optional<ChunkShape> shape;
};

/// The m nearest rows of X to each row of Z (k x m indices, nearest first, ties to the lower
/// row index), in one streaming pass over X. Squared distances are expanded as
/// ||x||^2 - 2 x.z + ||z||^2 from products in double, used for ranking only. Each chunk of rows
/// keeps a bounded heap per archetype (partial selection: O(n log m), no sort of n distances);
/// the chunks' heaps are merged per archetype, so the result does not depend on the chunking.
/// Indices are reported as row + `index_offset` (a rank's first global row in a distributed fit,
/// so that ties go to the lower global index); when `out_dist` (k x m) is given it receives the
/// ranking distances.
template <class Space, class S>
void nearest_rows(const Space& space, const Matrix<S>& X, const Matrix<S>& Z, int m,
                  const IndexMatrix& out, NearestWorkspace& ws, long index_offset = 0,
                  const Work& out_dist = Work()) {
  const std::size_t n = X.extent(0), k = Z.extent(0), dp = padded(X.extent(1));
  const char* entry = "kaa::kernels::nearest_rows";
  require(m >= 1, entry, "m = " + std::to_string(m) + " must be at least 1");
  require_extent(Z, 1, X.extent(1), entry, "Z");
  require_extent(out, 0, k, entry, "out");
  require_extent(out, 1, static_cast<std::size_t>(m), entry, "out");
  padded_rows(space, Z, ws.zp);
  const Work zp = ws.zp;
  fit_extents(ws.zz, "kaa::nearest.zz", 1, k);
  const Work zz = ws.zz;
  launch_for(
      space, "kaa::nearest.zz", k, k * dp,
      KOKKOS_LAMBDA(const std::size_t j) { zz(0, j) = dot_padded(&zp(j, 0), &zp(j, 0), dp); });
  const std::size_t slots = k * static_cast<std::size_t>(m);
  const RowChunks chunks = row_chunks(n, 2 * slots, ws.shape ? *ws.shape : chunk_shape_of<Space>);
  fit_extents(ws.heap_d, "kaa::nearest.heap_d", chunks.count, slots);
  fit_extents(ws.heap_i, "kaa::nearest.heap_i", chunks.count, slots);
  fit_extents(ws.heap_n, "kaa::nearest.heap_n", chunks.count, k);
  fit_extents(ws.scratch, "kaa::nearest.scratch", chunks.count, kTileRows * dp);
  const Work heap_d = ws.heap_d, scratch = ws.scratch;
  const auto heap_i = ws.heap_i;
  const auto heap_n = ws.heap_n;
  launch_for(
      space, "kaa::nearest.scan", chunks.count, n * dp * k, KOKKOS_LAMBDA(const std::size_t chunk) {
        double* xd = &scratch(chunk, 0);
        for (std::size_t j = 0; j < k; ++j) heap_n(chunk, j) = 0;  // reused scratch
        const std::size_t end = chunks.end(chunk, n);
        for (std::size_t i0 = chunks.begin(chunk); i0 < end; i0 += kTileRows) {
          const std::size_t count = end - i0 < kTileRows ? end - i0 : kTileRows;
          load_tile(X, i0, count, xd, dp);
          for (std::size_t r = 0; r < count; ++r) {
            const double* x = xd + r * dp;
            const double xx = dot_padded(x, x, dp);
            for (std::size_t j = 0; j < k; ++j) {
              const double dist = xx - 2.0 * dot_padded(x, &zp(j, 0), dp) + zz(0, j);
              heap_offer(&heap_d(chunk, j * m), &heap_i(chunk, j * m), heap_n(chunk, j), m, dist,
                         static_cast<long>(i0 + r) + index_offset);
            }
          }
        }
      });
  const std::size_t n_chunks = chunks.count;
  if (out_dist.data() == nullptr) fit_extents(ws.best_d, "kaa::nearest.best_d", k, m);
  const Work best_d = out_dist.data() != nullptr ? out_dist : ws.best_d;
  launch_for(
      space, "kaa::nearest.merge", k, n_chunks * slots, KOKKOS_LAMBDA(const std::size_t j) {
        double* dist = &best_d(j, 0);
        long* idx = &out(j, 0);
        int count = 0;
        for (std::size_t c = 0; c < n_chunks; ++c)
          for (int p = 0; p < heap_n(c, j); ++p)
            heap_offer(dist, idx, count, m, heap_d(c, j * m + p), heap_i(c, j * m + p));
        sort_candidates(dist, idx, count);
      });
}

/// nearest_rows with scratch of its own (for callers outside an update loop).
template <class S>
void nearest_rows(const Matrix<S>& X, const Matrix<S>& Z, int m, const IndexMatrix& out,
                  long index_offset = 0, const Work& out_dist = Work()) {
  NearestWorkspace ws;
  nearest_rows(ExecSpace(), X, Z, m, out, ws, index_offset, out_dist);
}

}  // namespace kaa::kernels
