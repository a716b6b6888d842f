#include "strategies/datasets/synthetic.hpp"

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace kaa::strategies {

template <class S>
auto Synthetic<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("n", &Params::n).min(1).doc("number of points");
  s.integer("d", &Params::d).min(1).doc("number of features");
  s.integer("n_archetypes", &Params::n_archetypes).min(1).doc("number of true archetypes");
  s.number("noise", &Params::noise).non_negative().doc("standard deviation of the Gaussian noise");
  s.number("concentration", &Params::concentration)
      .positive()
      .doc("Dirichlet concentration of the true weights");
  s.integer("seed", &Params::seed)
      .non_negative()
      .doc("seed of the data (independent of the model's seed)");
  return s;
}

template <class S>
Synthetic<S>::Synthetic(const Params& p) : config_(p) {}

template <class S>
LoadedData Synthetic<S>::load(std::uint64_t) {
  boost::random::mt19937_64 rng(config_.seed);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  boost::random::gamma_distribution<double> gamma(config_.concentration, 1.0);
  boost::random::normal_distribution<double> gauss(0.0, 1.0);

  LoadedData out;
  HostMatrix Z(config_.n_archetypes, config_.d);
  for (double& v : Z.values) v = unit(rng);
  out.X = HostMatrix(config_.n, config_.d);
  std::vector<double> w(config_.n_archetypes);
  for (std::size_t i = 0; i < config_.n; ++i) {
    double sum = 0;
    for (double& x : w) sum += (x = gamma(rng));
    for (std::size_t f = 0; f < config_.d; ++f) {
      double v = 0;
      for (std::size_t j = 0; j < config_.n_archetypes; ++j) v += w[j] / sum * Z(j, f);
      out.X(i, f) = v + config_.noise * gauss(rng);
    }
  }
  out.true_archetypes = std::move(Z);
  out.description = "synthetic n=" + std::to_string(config_.n) + " d=" + std::to_string(config_.d) +
                    " k=" + std::to_string(config_.n_archetypes) +
                    " noise=" + std::to_string(config_.noise) +
                    " seed=" + std::to_string(config_.seed);
  return out;
}

template class Synthetic<float>;
template class Synthetic<double>;

}  // namespace kaa::strategies
