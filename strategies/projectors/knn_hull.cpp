#include "strategies/projectors/knn_hull.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "framework/kernels/nearest.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
Schema KnnHull<S>::schema() {
  Schema s;
  s.integer("k", 10)
      .min(1)
      .max(max_neighbours)
      .doc("neighbours mixed per archetype (archetypax: 10)");
  s.number("eps", 1e-10).positive().doc("added to squared distances before inverting");
  return s;
}

template <class S>
KnnHull<S>::KnnHull(const nlohmann::json& p)
    : neighbours_(p.at("k").get<int>()), eps_(p.at("eps").get<double>()) {}

template <class S>
kernels::IndexMatrix KnnHull<S>::nearest(const Matrix<S>& archetypes, const Matrix<S>& X) {
  const std::size_t n = X.extent(0), k = archetypes.extent(0);
  const int m = static_cast<int>(std::min<std::size_t>(neighbours_, n));
  if (last_.extent(0) != k || last_.extent(1) != static_cast<std::size_t>(m))
    last_ = kernels::IndexMatrix("kaa::knn_hull.nearest", k, m);
  kernels::nearest_rows(X, archetypes, m, last_);
  return last_;
}

namespace {

/// Z(j) = sum_p w_p x_p over the neighbours rows(idx(j, p)), w_p ~ 1 / (||x_p - z_j||^2 + eps).
template <class S>
void mix_neighbours(const Matrix<S>& Z, const Matrix<S>& rows, const kernels::IndexMatrix& idx,
                    double eps) {
  const std::size_t k = Z.extent(0), d = rows.extent(1);
  const int m = static_cast<int>(idx.extent(1));
  // Mixing weights from the neighbours' distances by direct differences in double: the expanded
  // form ranks well but loses digits exactly where 1 / (dist + eps) is most sensitive.
  kernels::Work weight("kaa::knn_hull.weight", k, m);
  Kokkos::parallel_for(
      "kaa::knn_hull.weights", Kokkos::RangePolicy<ExecSpace>(0, k),
      KOKKOS_LAMBDA(const std::size_t j) {
        double total = 0;
        for (int p = 0; p < m; ++p) {
          double dist = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double diff =
                static_cast<double>(rows(idx(j, p), f)) - static_cast<double>(Z(j, f));
            dist += diff * diff;
          }
          weight(j, p) = 1.0 / (dist + eps);
          total += weight(j, p);
        }
        for (int p = 0; p < m; ++p) weight(j, p) /= total;
      });
  Kokkos::parallel_for(
      "kaa::knn_hull.mix", Kokkos::RangePolicy<ExecSpace>(0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        double v = 0;
        for (int p = 0; p < m; ++p) v += weight(j, p) * static_cast<double>(rows(idx(j, p), f));
        Z(j, f) = static_cast<S>(v);
      });
}

}  // namespace

template <class S>
void KnnHull<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  if (parallel::distributed()) {
    project_distributed(block, X);
    return;
  }
  mix_neighbours(block, X, nearest(block, X), eps_);
}

template <class S>
void KnnHull<S>::project_distributed(Matrix<S>& block, const Matrix<S>& X) {
  // Each rank offers its m nearest rows per archetype as (distance, global index, row values);
  // every rank merges all offers by the same (distance, index) order, so the m kept are the
  // single-rank neighbours (the distances of a row do not depend on where it lives) and the mix
  // below sees the same rows in the same order. k m (d + 2) values per rank cross per update.
  const parallel::Communicator& comm = parallel::world();
  const std::size_t n = X.extent(0), d = X.extent(1), k = block.extent(0);
  const int m = static_cast<int>(std::min<std::size_t>(neighbours_, parallel::global_rows(n)));
  const int m_local = static_cast<int>(std::min<std::size_t>(m, n));
  const std::size_t width = 2 + d, slot = static_cast<std::size_t>(m) * width;
  std::vector<double> offer(k * slot, std::numeric_limits<double>::infinity());
  if (m_local > 0) {
    kernels::IndexMatrix idx("kaa::knn_hull.local", k, m_local);
    kernels::Work dist("kaa::knn_hull.local_dist", k, m_local);
    const long offset = static_cast<long>(parallel::row_offset());
    kernels::nearest_rows(X, block, m_local, idx, offset, dist);
    const auto idx_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), idx);
    const auto dist_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), dist);
    // Only the offered rows come to the host.
    Matrix<S> rows("kaa::knn_hull.offered", k * m_local, d);
    Kokkos::parallel_for(
        "kaa::knn_hull.offer", Kokkos::RangePolicy<ExecSpace>(0, k * m_local * d),
        KOKKOS_LAMBDA(const std::size_t e) {
          const std::size_t r = e / d, f = e % d;
          rows(r, f) = X(idx(r / m_local, r % m_local) - offset, f);
        });
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
  Matrix<S> merged("kaa::knn_hull.merged", k * m, d);
  auto merged_h = Kokkos::create_mirror_view(merged);
  kernels::IndexMatrix at("kaa::knn_hull.at", k, m);
  auto at_h = Kokkos::create_mirror_view(at);
  last_ = kernels::IndexMatrix("kaa::knn_hull.nearest", k, m);
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
  mix_neighbours(block, merged, at, eps_);
}

template class KnnHull<float>;
template class KnnHull<double>;

}  // namespace kaa::strategies
