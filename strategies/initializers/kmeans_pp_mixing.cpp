#include "strategies/initializers/kmeans_pp_mixing.hpp"

#include "framework/error.hpp"
#include "framework/kernels/weight_init.hpp"

namespace kaa::strategies {

template <class S>
BoundSchema<typename KmeansPPMixing<S>::Params> KmeansPPMixing<S>::schema() {
  BoundSchema<Params> s;
  s.strategy("rows", &Params::rows, Kind::initializer)
      .doc(
          "the initializer that picks the rows and sets one-hot mixing rows on them (kmeans_pp, "
          "furthest_sum, directional, qhull_style)");
  s.number("noise", &Params::noise)
      .non_negative()
      .doc(
          "upper end of the U(0, noise) added to every entry before renormalising (archetypax: "
          "0.05)");
  return s;
}

template <class S>
KmeansPPMixing<S>::KmeansPPMixing(const Params& p, const Registry& registry)
    : rows_(registry.make<Initializer, S>(p.rows)), noise_(p.noise) {
  if ((rows_->blocks() & bit(Block::mixing)) == 0) {
    throw ConfigError({"kmeans_pp_mixing: rows \"" + p.rows.at("type").template get<std::string>() +
                       "\" does not set the mixing block; use one that picks rows (kmeans_pp)"});
  }
}

template <class S>
void KmeansPPMixing<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  if (!params.has(Block::mixing)) {
    throw Error(
        "kmeans_pp_mixing: the model has no mixing block; it needs an optimizer or loss term "
        "that parameterises the archetypes as mixing x X (e.g. biarchetypal_reconstruction)");
  }
  rows_->initialize(X, params, seed);
  // Stream 2: its own draws, apart from the row picks' stream 1.
  kernels::add_noise_renormalize_rows(ExecSpace(), params.mixing, noise_, seed, 2);
}

template class KmeansPPMixing<float>;
template class KmeansPPMixing<double>;

}  // namespace kaa::strategies
