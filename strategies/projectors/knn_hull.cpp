#include "strategies/projectors/knn_hull.hpp"

#include <algorithm>

namespace kaa::strategies {

namespace {

using IndexMatrix = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;
constexpr int kMax = KnnHull<float>::max_neighbours;

/// Inserts (dist, idx) into the ascending list (dists, idxs) of length `count` (capacity m),
/// ordering by distance then index.
template <class S>
KOKKOS_INLINE_FUNCTION void insert_candidate(S* dists, long* idxs, int& count, int m, S dist,
                                             long idx) {
  if (count == m && !(dist < dists[m - 1] || (dist == dists[m - 1] && idx < idxs[m - 1]))) return;
  int pos = count < m ? count++ : m - 1;
  while (pos > 0 && (dist < dists[pos - 1] || (dist == dists[pos - 1] && idx < idxs[pos - 1]))) {
    dists[pos] = dists[pos - 1];
    idxs[pos] = idxs[pos - 1];
    --pos;
  }
  dists[pos] = dist;
  idxs[pos] = idx;
}

/// Squared distances of every point to every archetype, by direct differences (n x k).
template <class S>
void squared_distances(const Matrix<S>& X, const Matrix<S>& Z, const Matrix<S>& D) {
  const std::size_t d = X.extent(1), k = Z.extent(0);
  Kokkos::parallel_for(
      "kaa::knn_hull.distances", Kokkos::RangePolicy<ExecSpace>(0, X.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          S s = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const S diff = X(i, f) - Z(j, f);
            s += diff * diff;
          }
          D(i, j) = s;
        }
      });
}

/// Top-m per archetype: each (archetype, chunk) pair keeps its own sorted list, then one pass per
/// archetype merges the chunk lists. The result is independent of the chunking.
template <class S>
void select_nearest(const Matrix<S>& D, int m, const IndexMatrix& nearest) {
  const long n = static_cast<long>(D.extent(0));
  const long k = static_cast<long>(D.extent(1));
  const long chunks = std::max<long>(1, std::min<long>(n / m, 4L * ExecSpace().concurrency()));
  const long chunk_size = (n + chunks - 1) / chunks;
  Kokkos::View<S***, Kokkos::LayoutRight, MemSpace> cand_d("kaa::knn_hull.cand_d", k, chunks, m);
  Kokkos::View<long***, Kokkos::LayoutRight, MemSpace> cand_i("kaa::knn_hull.cand_i", k, chunks, m);
  Kokkos::View<int**, Kokkos::LayoutRight, MemSpace> cand_n("kaa::knn_hull.cand_n", k, chunks);
  Kokkos::parallel_for(
      "kaa::knn_hull.select", Kokkos::RangePolicy<ExecSpace>(0, k * chunks),
      KOKKOS_LAMBDA(const long e) {
        const long j = e / chunks, c = e % chunks;
        S dists[kMax];
        long idxs[kMax];
        int count = 0;
        const long end = (c + 1) * chunk_size < n ? (c + 1) * chunk_size : n;
        for (long i = c * chunk_size; i < end; ++i)
          insert_candidate(dists, idxs, count, m, D(i, j), i);
        for (int p = 0; p < count; ++p) {
          cand_d(j, c, p) = dists[p];
          cand_i(j, c, p) = idxs[p];
        }
        cand_n(j, c) = count;
      });
  Kokkos::parallel_for(
      "kaa::knn_hull.merge", Kokkos::RangePolicy<ExecSpace>(0, k), KOKKOS_LAMBDA(const long j) {
        S dists[kMax];
        long idxs[kMax];
        int count = 0;
        for (long c = 0; c < chunks; ++c)
          for (int p = 0; p < cand_n(j, c); ++p)
            insert_candidate(dists, idxs, count, m, cand_d(j, c, p), cand_i(j, c, p));
        for (int p = 0; p < m; ++p) nearest(j, p) = idxs[p];
      });
}

}  // namespace

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
IndexMatrix KnnHull<S>::nearest(const Matrix<S>& archetypes, const Matrix<S>& X) {
  const std::size_t n = X.extent(0), k = archetypes.extent(0);
  const int m = static_cast<int>(std::min<std::size_t>(neighbours_, n));
  if (distances_.extent(0) != n || distances_.extent(1) != k)
    distances_ = Matrix<S>("kaa::knn_hull.distances", n, k);
  if (last_.extent(0) != k || last_.extent(1) != static_cast<std::size_t>(m))
    last_ = IndexMatrix("kaa::knn_hull.nearest", k, m);
  squared_distances(X, archetypes, distances_);
  select_nearest(distances_, m, last_);
  return last_;
}

template <class S>
void KnnHull<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  const IndexMatrix idx = nearest(block, X);
  const Matrix<S> Z = block;
  const Matrix<S> D = distances_;
  const int m = static_cast<int>(idx.extent(1));
  const std::size_t d = X.extent(1);
  const double eps = eps_;
  Kokkos::parallel_for(
      "kaa::knn_hull.mix", Kokkos::RangePolicy<ExecSpace>(0, Z.extent(0)),
      KOKKOS_LAMBDA(const std::size_t j) {
        double total = 0;
        for (int p = 0; p < m; ++p) total += 1.0 / (static_cast<double>(D(idx(j, p), j)) + eps);
        for (std::size_t f = 0; f < d; ++f) {
          double v = 0;
          for (int p = 0; p < m; ++p) {
            const double w = 1.0 / (static_cast<double>(D(idx(j, p), j)) + eps) / total;
            v += w * static_cast<double>(X(idx(j, p), f));
          }
          Z(j, f) = static_cast<S>(v);
        }
      });
}

template class KnnHull<float>;
template class KnnHull<double>;

}  // namespace kaa::strategies
