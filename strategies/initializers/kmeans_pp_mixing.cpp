#include "strategies/initializers/kmeans_pp_mixing.hpp"

#include "framework/error.hpp"
#include "framework/kernels/weight_init.hpp"
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

  const std::size_t k = params.mixing.extent(0);
  Vector<std::size_t> pick("kaa::kmeans_pp_mixing.pick", k);
  auto pick_host = Kokkos::create_mirror_view(pick);
  for (std::size_t j = 0; j < k; ++j) pick_host(j) = chosen_[j];
  Kokkos::deep_copy(pick, pick_host);
  // Stream 2: its own draws, apart from the row picks' stream 1.
  kernels::noisy_one_hot_rows(ExecSpace(), params.mixing, pick, noise_, seed, 2);
}

template class KmeansPPMixing<float>;
template class KmeansPPMixing<double>;

}  // namespace kaa::strategies
