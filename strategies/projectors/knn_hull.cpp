#include "strategies/projectors/knn_hull.hpp"

#include <algorithm>

#include "framework/kernels/nearest.hpp"

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

template <class S>
void KnnHull<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  const kernels::IndexMatrix idx = nearest(block, X);
  const Matrix<S> Z = block;
  const std::size_t k = Z.extent(0), d = X.extent(1);
  const int m = static_cast<int>(idx.extent(1));
  // Mixing weights from the neighbours' distances by direct differences in double: the expanded
  // form ranks well but loses digits exactly where 1 / (dist + eps) is most sensitive.
  kernels::Work weight("kaa::knn_hull.weight", k, m);
  const double eps = eps_;
  Kokkos::parallel_for(
      "kaa::knn_hull.weights", Kokkos::RangePolicy<ExecSpace>(0, k),
      KOKKOS_LAMBDA(const std::size_t j) {
        double total = 0;
        for (int p = 0; p < m; ++p) {
          double dist = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double diff = static_cast<double>(X(idx(j, p), f)) - static_cast<double>(Z(j, f));
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
        for (int p = 0; p < m; ++p) v += weight(j, p) * static_cast<double>(X(idx(j, p), f));
        Z(j, f) = static_cast<S>(v);
      });
}

template class KnnHull<float>;
template class KnnHull<double>;

}  // namespace kaa::strategies
