#include "strategies/projectors/knn_hull.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "framework/kernels/knn_hull.hpp"
#include "framework/kernels/nearest.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
auto KnnHull<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("k", &Params::k)
      .min(1)
      .max(max_neighbours)
      .doc("neighbours mixed per archetype (archetypax: 10)");
  s.number("eps", &Params::eps).positive().doc("added to squared distances before inverting");
  return s;
}

template <class S>
KnnHull<S>::KnnHull(const Params& p) : config_(p) {}

template <class S>
kernels::IndexMatrix KnnHull<S>::nearest(const Matrix<S>& archetypes, const Matrix<S>& X) {
  const std::size_t n = X.extent(0), k = archetypes.extent(0);
  const int m = static_cast<int>(std::min<std::size_t>(config_.k, n));
  kernels::fit_extents(last_, "kaa::knn_hull.nearest", k, static_cast<std::size_t>(m));
  kernels::nearest_rows(ExecSpace(), X, archetypes, m, last_, loop_.nearest);
  return last_;
}

template <class S>
void KnnHull<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  if (parallel::distributed()) {
    project_distributed(block, X);
    return;
  }
  kernels::knn_mix_neighbours(ExecSpace(), block, X, nearest(block, X), config_.eps, work_.weight);
}

template <class S>
void KnnHull<S>::project_distributed(Matrix<S>& block, const Matrix<S>& X) {
  // Each rank offers its m nearest rows per archetype as (distance, global index, row values);
  // every rank merges all offers by the same (distance, index) order, so the m kept are the
  // single-rank neighbours (the distances of a row do not depend on where it lives) and the mix
  // below sees the same rows in the same order. k m (d + 2) values per rank cross per update.
  const parallel::Communicator& comm = parallel::world();
  const std::size_t n = X.extent(0), d = X.extent(1), k = block.extent(0);
  const int m = static_cast<int>(std::min<std::size_t>(config_.k, parallel::global_rows(n)));
  const int m_local = static_cast<int>(std::min<std::size_t>(m, n));
  const std::size_t width = 2 + d, slot = static_cast<std::size_t>(m) * width;
  std::vector<double> offer(k * slot, std::numeric_limits<double>::infinity());
  if (m_local > 0) {
    kernels::fit_extents(work_.local_index, "kaa::knn_hull.local", k,
                         static_cast<std::size_t>(m_local));
    kernels::fit_extents(work_.local_dist, "kaa::knn_hull.local_dist", k,
                         static_cast<std::size_t>(m_local));
    kernels::fit_extents(work_.offered, "kaa::knn_hull.offered", k * m_local, d);
    const kernels::IndexMatrix idx = work_.local_index;
    const kernels::Work dist = work_.local_dist;
    const long offset = static_cast<long>(parallel::row_offset());
    kernels::nearest_rows(ExecSpace(), X, block, m_local, idx, loop_.nearest, offset, dist);
    const auto idx_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), idx);
    const auto dist_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), dist);
    // Only the offered rows come to the host.
    const Matrix<S> rows = work_.offered;
    kernels::knn_gather_rows(ExecSpace(), X, idx, offset, rows);
    const auto rows_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), rows);
    for (std::size_t j = 0; j < k; ++j)
      for (int p = 0; p < m_local; ++p) {
        double* o = &offer[j * slot + p * width];
        o[0] = dist_h(j, p);
        o[1] = static_cast<double>(idx_h(j, p));
        for (std::size_t f = 0; f < d; ++f)
          o[2 + f] = static_cast<double>(rows_h(j * m_local + p, f));
      }
  }
  const std::vector<double> all = comm.allgather(offer.data(), offer.size());
  const std::size_t ranks = static_cast<std::size_t>(comm.size());
  // The merged neighbours as a small matrix of rows (k m x d), neighbour p of archetype j at row
  // j m + p, and the index matrix that points there.
  kernels::fit_extents(work_.merged, "kaa::knn_hull.merged", k * m, d);
  kernels::fit_extents(work_.merged_at, "kaa::knn_hull.at", k, static_cast<std::size_t>(m));
  kernels::fit_extents(last_, "kaa::knn_hull.nearest", k, static_cast<std::size_t>(m));
  const Matrix<S> merged = work_.merged;
  const kernels::IndexMatrix at = work_.merged_at;
  auto merged_h = Kokkos::create_mirror_view(merged);
  auto at_h = Kokkos::create_mirror_view(at);
  auto last_h = Kokkos::create_mirror_view(last_);
  std::vector<const double*> candidates;
  for (std::size_t j = 0; j < k; ++j) {
    candidates.clear();
    for (std::size_t r = 0; r < ranks; ++r)
      for (int p = 0; p < m; ++p) {
        const double* c = &all[r * k * slot + j * slot + p * width];
        if (c[0] != std::numeric_limits<double>::infinity()) candidates.push_back(c);
      }
    std::sort(candidates.begin(), candidates.end(), [](const double* a, const double* b) {
      return kernels::before(a[0], static_cast<long>(a[1]), b[0], static_cast<long>(b[1]));
    });
    for (int p = 0; p < m; ++p) {
      const double* c = candidates[p];
      last_h(j, p) = static_cast<long>(c[1]);
      at_h(j, p) = static_cast<long>(j * m + p);
      for (std::size_t f = 0; f < d; ++f) merged_h(j * m + p, f) = static_cast<S>(c[2 + f]);
    }
  }
  Kokkos::deep_copy(merged, merged_h);
  Kokkos::deep_copy(at, at_h);
  Kokkos::deep_copy(last_, last_h);
  kernels::knn_mix_neighbours(ExecSpace(), block, merged, at, config_.eps, work_.weight);
}

template class KnnHull<float>;
template class KnnHull<double>;

}  // namespace kaa::strategies
