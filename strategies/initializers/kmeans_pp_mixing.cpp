#include "strategies/initializers/kmeans_pp_mixing.hpp"

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "strategies/initializers/kmeans_pp.hpp"

namespace kaa::strategies {

template <class S>
Schema KmeansPPMixing<S>::schema() {
  Schema s;
  s.number("noise", 0.05)
      .non_negative()
      .doc(
          "upper end of the U(0, noise) added to every entry before renormalising (archetypax: "
          "0.05)");
  return s;
}

template <class S>
KmeansPPMixing<S>::KmeansPPMixing(const nlohmann::json& p) : noise_(p.at("noise").get<double>()) {}

template <class S>
void KmeansPPMixing<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  if (!params.has(Block::mixing)) {
    throw Error(
        "kmeans_pp_mixing: the model has no mixing block; it needs an optimizer or loss term "
        "that parameterises the archetypes as mixing x X (e.g. biarchetypal_reconstruction)");
  }
  KmeansPP<S> rows(nlohmann::json::object());
  rows.initialize(X, params, seed);
  chosen_ = rows.chosen();

  const std::size_t k = params.mixing.extent(0), n = params.mixing.extent(1);
  Vector<std::size_t> pick("kaa::kmeans_pp_mixing.pick", k);
  auto pick_host = Kokkos::create_mirror_view(pick);
  for (std::size_t j = 0; j < k; ++j) pick_host(j) = chosen_[j];
  Kokkos::deep_copy(pick, pick_host);
  const Matrix<S> B = params.mixing;
  const double noise = noise_;
  // One team per row: the entries are drawn twice from the counter stream (sum, then write),
  // so the stored row is exactly v / sum in double before rounding to S.
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  Kokkos::parallel_for(
      "kaa::kmeans_pp_mixing", Kokkos::TeamPolicy<ExecSpace>(k, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t j = team.league_rank();
        double sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n),
            [&](const std::size_t i, double& acc) {
              acc += (i == pick(j) ? 1.0 : 0.0) + noise * kernels::uniform01(seed, 2, j * n + i);
            },
            sum);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n), [&](const std::size_t i) {
          const double v =
              (i == pick(j) ? 1.0 : 0.0) + noise * kernels::uniform01(seed, 2, j * n + i);
          B(j, i) = static_cast<S>(v / sum);
        });
      });
}

template class KmeansPPMixing<float>;
template class KmeansPPMixing<double>;

}  // namespace kaa::strategies
