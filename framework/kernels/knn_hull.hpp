#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/kernels/nearest.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The passes of the knn_hull projector besides the neighbour search (nearest.hpp): the
// inverse-distance mix of each archetype's neighbours, and the gather of a rank's offered rows in
// a distributed fit.
namespace kaa::kernels {

/// Scratch of the knn_hull projector, sized by the entry points through fit_extents (allocates
/// only when k, m or d change). `weight` serves the mix; the rest the distributed merge.
template <class S>
struct KnnHullWorkspace {
  Work weight;              // k x m mixing weights
  IndexMatrix local_index;  // k x m_local: this rank's nearest rows (global indices)
  Work local_dist;          // k x m_local: their ranking distances
  Matrix<S> offered;        // k m_local x d: those rows
  Matrix<S> merged;         // k m x d: the merged neighbours, neighbour p of j at row j m + p
  IndexMatrix merged_at;    // k x m: j m + p
};

/// Z(j) = sum_p w_p rows(idx(j, p)) with w_p = (1 / (||rows(idx(j, p)) - z_j||^2 + eps)) / their
/// sum, distances by direct differences in double; `weight` (k x m scratch) is sized here.
template <class Space, class S>
void knn_mix_neighbours(const Space& space, const Matrix<S>& Z, const Matrix<S>& rows,
                        const IndexMatrix& idx, double eps, Work& weight) {
  constexpr const char* entry = "knn_mix_neighbours";
  require_extent(idx, 0, Z.extent(0), entry, "idx");
  require_extent(rows, 1, Z.extent(1), entry, "rows");
  const std::size_t k = Z.extent(0), d = rows.extent(1);
  const int m = static_cast<int>(idx.extent(1));
  fit_extents(weight, "kaa::knn_hull.weight", k, static_cast<std::size_t>(m));
  const Work w = weight;
  // Mixing weights from the neighbours' distances by direct differences in double: the expanded
  // form ranks well but loses digits exactly where 1 / (dist + eps) is most sensitive.
  launch_for(
      space, "kaa::knn_hull.weights", k, k * static_cast<std::size_t>(m) * d,
      KOKKOS_LAMBDA(const std::size_t j) {
        double total = 0;
        for (int p = 0; p < m; ++p) {
          double dist = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double diff =
                static_cast<double>(rows(idx(j, p), f)) - static_cast<double>(Z(j, f));
            dist += diff * diff;
          }
          w(j, p) = 1.0 / (dist + eps);
          total += w(j, p);
        }
        for (int p = 0; p < m; ++p) w(j, p) /= total;
      });
  launch_for(
      space, "kaa::knn_hull.mix", k * d, k * d * static_cast<std::size_t>(m),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        double v = 0;
        for (int p = 0; p < m; ++p) v += w(j, p) * static_cast<double>(rows(idx(j, p), f));
        Z(j, f) = static_cast<S>(v);
      });
}

/// out(j m + p) = X(idx(j, p) - offset) for the k x m indices idx (global row indices of this
/// rank's rows, which start at global row `offset`): the rows a rank offers to the merge.
template <class Space, class S>
void knn_gather_rows(const Space& space, const Matrix<S>& X, const IndexMatrix& idx, long offset,
                     const Matrix<S>& out) {
  constexpr const char* entry = "knn_gather_rows";
  const std::size_t m = idx.extent(1), d = X.extent(1);
  require_extent(out, 0, idx.extent(0) * m, entry, "out");
  require_extent(out, 1, d, entry, "out");
  Kokkos::parallel_for(
      "kaa::knn_hull.offer", Kokkos::RangePolicy<Space>(space, 0, out.extent(0) * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t r = e / d, f = e % d;
        out(r, f) = X(idx(r / m, r % m) - offset, f);
      });
}

}  // namespace kaa::kernels
