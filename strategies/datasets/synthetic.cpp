#include "strategies/datasets/synthetic.hpp"

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace kaa::strategies {

template <class S>
Schema Synthetic<S>::schema() {
  Schema s;
  s.integer("n", 1000).min(1).doc("number of points");
  s.integer("d", 10).min(1).doc("number of features");
  s.integer("n_archetypes", 5).min(1).doc("number of true archetypes");
  s.number("noise", 0.05).non_negative().doc("standard deviation of the Gaussian noise");
  s.number("concentration", 1.0).positive().doc("Dirichlet concentration of the true weights");
  s.integer("seed", 0).non_negative().doc("seed of the data (independent of the model's seed)");
  return s;
}

template <class S>
Synthetic<S>::Synthetic(const nlohmann::json& p)
    : n_(p.at("n").get<std::size_t>()),
      d_(p.at("d").get<std::size_t>()),
      k_(p.at("n_archetypes").get<std::size_t>()),
      noise_(p.at("noise").get<double>()),
      concentration_(p.at("concentration").get<double>()),
      seed_(p.at("seed").get<std::uint64_t>()) {}

template <class S>
LoadedData Synthetic<S>::load(std::uint64_t) {
  boost::random::mt19937_64 rng(seed_);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  boost::random::gamma_distribution<double> gamma(concentration_, 1.0);
  boost::random::normal_distribution<double> gauss(0.0, 1.0);

  LoadedData out;
  HostMatrix Z(k_, d_);
  for (double& v : Z.values) v = unit(rng);
  out.X = HostMatrix(n_, d_);
  std::vector<double> w(k_);
  for (std::size_t i = 0; i < n_; ++i) {
    double sum = 0;
    for (double& x : w) sum += (x = gamma(rng));
    for (std::size_t f = 0; f < d_; ++f) {
      double v = 0;
      for (std::size_t j = 0; j < k_; ++j) v += w[j] / sum * Z(j, f);
      out.X(i, f) = v + noise_ * gauss(rng);
    }
  }
  out.true_archetypes = std::move(Z);
  out.description = "synthetic n=" + std::to_string(n_) + " d=" + std::to_string(d_) +
                    " k=" + std::to_string(k_) + " noise=" + std::to_string(noise_) +
                    " seed=" + std::to_string(seed_);
  return out;
}

template class Synthetic<float>;
template class Synthetic<double>;

}  // namespace kaa::strategies
