#include "strategies/projectors/convex_hull.hpp"

#include <cmath>

#include "framework/host_matrix.hpp"

namespace kaa::strategies {

template <class S>
auto ConvexHullProjection<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("perturbations", &Params::perturbations)
      .min(0)
      .doc("perturbed directions per archetype (archetypax: 5)");
  s.number("mix", &Params::mix)
      .min(0)
      .max(1)
      .doc("perturbed direction = (1 - mix) u + mix r (archetypax: 0.7 u + 0.3 r)");
  s.number("main_weight", &Params::main_weight)
      .positive()
      .doc("weight of the main direction's extreme point; the others weigh 1 (archetypax: 2)");
  s.boolean("shared_perturbations", &Params::shared_perturbations)
      .doc("every archetype uses the same random vectors r_j (archetypax); false = own draws");
  s.number("eps", &Params::eps).positive().doc("zero-direction threshold and norm guard");
  s.integer("seed", &Params::seed).min(0).doc("seed of the random vectors");
  return s;
}

template <class S>
ConvexHullProjection<S>::ConvexHullProjection(const Params& p) : config_(p) {}

template <class S>
void ConvexHullProjection<S>::project(Matrix<S>& block, const Matrix<S>& X) {
  support_.bind(X);
  HostMatrix Z = staging_.download(block);
  const std::size_t k = Z.rows, d = Z.cols,
                    per = 1 + static_cast<std::size_t>(config_.perturbations);
  const auto& c = support_.centroid();
  std::vector<double> fallback = common::normal_draws(config_.seed, 5, d);
  for (double& v : fallback) v /= std::sqrt(static_cast<double>(d));
  const HostMatrix main = common::directions_from(Z, c, config_.eps, fallback);

  auto unit = [&](std::vector<double> v) {
    double norm = 0;
    for (double x : v) norm += x * x;
    norm = std::sqrt(norm);
    for (double& x : v) x /= norm + config_.eps;
    return v;
  };
  HostMatrix U(k * per, d);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> u(main.values.begin() + j * d, main.values.begin() + (j + 1) * d);
    u = unit(u);
    for (std::size_t f = 0; f < d; ++f) U(j * per, f) = u[f];
    for (std::size_t p = 1; p < per; ++p) {
      const std::uint64_t stream = 6 + (config_.shared_perturbations ? 0 : j) * per + p;
      const std::vector<double> r = unit(common::normal_draws(config_.seed, stream, d));
      std::vector<double> dir(d);
      for (std::size_t f = 0; f < d; ++f) dir[f] = (1.0 - config_.mix) * u[f] + config_.mix * r[f];
      dir = unit(dir);
      for (std::size_t f = 0; f < d; ++f) U(j * per + p, f) = dir[f];
    }
  }
  std::vector<long> index;
  std::vector<double> top;
  support_.extremes(U, index, top);
  const HostMatrix E = support_.rows(index);
  const double total = config_.main_weight + static_cast<double>(per - 1);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t f = 0; f < d; ++f) {
      double v = config_.main_weight * E(j * per, f);
      for (std::size_t p = 1; p < per; ++p) v += E(j * per + p, f);
      Z(j, f) = v / total;
    }
  }
  staging_.upload(Z, block);
}

template class ConvexHullProjection<float>;
template class ConvexHullProjection<double>;

}  // namespace kaa::strategies
