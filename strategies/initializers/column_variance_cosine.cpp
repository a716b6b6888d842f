#include "strategies/initializers/column_variance_cosine.hpp"

#include <limits>

#include "framework/error.hpp"
#include "framework/kernels/column_variance_cosine.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/weight_init.hpp"

namespace kaa::strategies {

template <class S>
auto ColumnVarianceCosine<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("noise", &Params::noise)
      .non_negative()
      .doc(
          "upper end of the U(0, noise) added to every entry before renormalising (archetypax: "
          "0.05)");
  s.number("eps", &Params::eps)
      .non_negative()
      .doc("added under the square root of the cosine's denominator (archetypax: 1e-10)");
  return s;
}

template <class S>
ColumnVarianceCosine<S>::ColumnVarianceCosine(const Params& p) : config_(p) {}

template <class S>
void ColumnVarianceCosine<S>::initialize(const Matrix<S>& X, Parameters<S>& params,
                                         std::uint64_t seed) {
  if (!params.has(Block::column_mixing)) {
    throw Error(
        "column_variance_cosine: the model has no column_mixing block (it needs a "
        "biarchetypal loss term)");
  }
  const std::size_t d = X.extent(1), kc = params.column_mixing.extent(1);
  if (kc > d) {
    throw Error("column_variance_cosine: " + std::to_string(kc) +
                " column archetypes requested but the data have only " + std::to_string(d) +
                " features (/model/n_column_archetypes must be <= d)");
  }
  // Per feature: population variance (two passes, as numpy's var) and squared norm.
  Vector<double> variance("kaa::column_variance_cosine.var", d);
  Vector<double> norm2("kaa::column_variance_cosine.norm2", d);
  kernels::column_variance_and_norm2(ExecSpace(), X, variance, norm2);
  auto variance_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), variance);

  // First feature: D^2-style draw proportional to variance, sequential on the host.
  chosen_.clear();
  double total = 0;
  for (std::size_t f = 0; f < d; ++f) total += variance_host(f);
  const double u = kernels::uniform01(seed, 3, 0);
  std::size_t first = static_cast<std::size_t>(u * static_cast<double>(d));
  if (total > 0) {
    const double target = u * total;
    double cumulative = 0;
    first = d;
    std::size_t last_positive = 0;
    for (std::size_t f = 0; f < d; ++f) {
      if (variance_host(f) <= 0) continue;
      last_positive = f;
      cumulative += variance_host(f);
      if (cumulative > target) {
        first = f;
        break;
      }
    }
    if (first == d) first = last_positive;  // rounding left the target just past the end
  }
  chosen_.push_back(first);

  // Then greedy: a running minimum over the chosen features of 1 - |cos|.
  Vector<double> min_dist("kaa::column_variance_cosine.min_dist", d);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::infinity());
  auto min_dist_host = Kokkos::create_mirror_view(min_dist);
  while (chosen_.size() < kc) {
    kernels::shrink_cosine_distances(ExecSpace(), X, chosen_.back(), norm2, config_.eps, min_dist);
    Kokkos::deep_copy(min_dist_host, min_dist);
    for (std::size_t c : chosen_) min_dist_host(c) = 0.0;
    std::size_t best = 0;
    for (std::size_t f = 1; f < d; ++f)
      if (min_dist_host(f) > min_dist_host(best)) best = f;
    chosen_.push_back(best);
  }

  Vector<std::size_t> pick("kaa::column_variance_cosine.pick", kc);
  auto pick_host = Kokkos::create_mirror_view(pick);
  for (std::size_t t = 0; t < kc; ++t) pick_host(t) = chosen_[t];
  Kokkos::deep_copy(pick, pick_host);
  kernels::noisy_one_hot_columns(ExecSpace(), params.column_mixing, pick, config_.noise, seed, 4);
}

template class ColumnVarianceCosine<float>;
template class ColumnVarianceCosine<double>;

}  // namespace kaa::strategies
