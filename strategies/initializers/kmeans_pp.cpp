#include "strategies/initializers/kmeans_pp.hpp"

#include <limits>

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/mixing.hpp"
#include "framework/kernels/row_tiles.hpp"

namespace kaa::strategies {

template <class S>
Schema KmeansPP<S>::schema() {
  return Schema();
}

template <class S>
KmeansPP<S>::KmeansPP(const nlohmann::json&) {}

template <class S>
void KmeansPP<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = params.archetypes.extent(0);
  if (k > n) {
    throw Error("kmeans_pp: " + std::to_string(k) +
                " archetypes requested but the data have only " + std::to_string(n) + " rows");
  }
  Vector<double> min_dist("kaa::kmeans_pp.min_dist", n);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::max());
  auto min_dist_host = Kokkos::create_mirror_view(min_dist);
  const Matrix<S> Z = params.archetypes;
  kernels::Work center("kaa::kmeans_pp.center", 1, kernels::padded(d));

  chosen_.clear();
  std::size_t next = static_cast<std::size_t>(kernels::uniform01(seed, 1, 0) * n);
  for (std::size_t c = 0;; ++c) {
    chosen_.push_back(next);
    const std::size_t row = next;
    Kokkos::parallel_for(
        "kaa::kmeans_pp.copy", Kokkos::RangePolicy<ExecSpace>(0, d),
        KOKKOS_LAMBDA(const std::size_t f) { Z(c, f) = X(row, f); });
    if (c + 1 == k) break;
    // One pass over X per pick (O(n k d) in all); the pick as a padded double row.
    Kokkos::parallel_for(
        "kaa::kmeans_pp.center", Kokkos::RangePolicy<ExecSpace>(0, d),
        KOKKOS_LAMBDA(const std::size_t f) { center(0, f) = static_cast<double>(X(row, f)); });
    Kokkos::parallel_for(
        "kaa::kmeans_pp.update", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const std::size_t i) {
          const double s = kernels::squared_distance(&X(i, 0), &center(0, 0), d);
          if (s < min_dist(i)) min_dist(i) = s;
        });
    // Sequential sum and search on the host: the same index for any thread count.
    Kokkos::deep_copy(min_dist_host, min_dist);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += min_dist_host(i);
    if (!(total > 0)) {
      throw InputError("kmeans_pp: only " + std::to_string(c + 1) +
                       " distinct rows found, fewer than the " + std::to_string(k) +
                       " archetypes requested");
    }
    const double target = kernels::uniform01(seed, 1, c + 1) * total;
    double cumulative = 0;
    next = n;
    std::size_t last_positive = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (min_dist_host(i) <= 0) continue;
      last_positive = i;
      cumulative += min_dist_host(i);
      if (cumulative > target) {
        next = i;
        break;
      }
    }
    if (next == n) next = last_positive;  // rounding left the target just past the end
  }
  if (params.has(Block::mixing)) kernels::set_mixing_one_hot(params.mixing, chosen_);
}

template class KmeansPP<float>;
template class KmeansPP<double>;

}  // namespace kaa::strategies
