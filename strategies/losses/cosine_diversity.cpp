#include "strategies/losses/cosine_diversity.hpp"

#include <cmath>

#include "framework/kernels/gram.hpp"

namespace kaa::strategies {

template <class S>
Schema CosineDiversity<S>::schema() {
  Schema s;
  s.number("weight", 0.1).doc("multiplier of the mean positive cosine (archetypax: 0.1)");
  s.number("eps", 1e-10).positive().doc("floor of the norms in the cosine");
  return s;
}

template <class S>
CosineDiversity<S>::CosineDiversity(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()), eps_(p.at("eps").get<double>()) {}

template <class S>
double CosineDiversity<S>::evaluate(const Matrix<S>& Z, const Matrix<S>& grad) const {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  if (k < 2) return 0.0;
  const auto G = kernels::archetype_gram(Z);
  auto g = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  std::vector<double> norm(k), floor(k);
  for (std::size_t i = 0; i < k; ++i) {
    norm[i] = std::sqrt(g(i, i));
    floor[i] = std::max(norm[i], eps_);
  }
  const double c = weight_ / static_cast<double>(k * k);
  // grad z_i = 2c sum_{j != i, cos_ij > 0} (z_j / (s_i s_j) - [|z_i| > eps] cos_ij z_i / |z_i|^2):
  // a k x k mixing of the rows of Z.
  Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> M("kaa::cosine_diversity.M", k, k);
  auto hm = Kokkos::create_mirror_view(M);
  Kokkos::deep_copy(hm, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      if (i == j) continue;
      const double cosine = g(i, j) / (floor[i] * floor[j]);
      if (!(cosine > 0)) continue;
      total += cosine;
      hm(i, j) += 2.0 * c / (floor[i] * floor[j]);
      if (norm[i] > eps_) hm(i, i) -= 2.0 * c * cosine / (norm[i] * norm[i]);
    }
  }
  if (grad.data() != nullptr) {
    Kokkos::deep_copy(M, hm);
    Kokkos::parallel_for(
        "kaa::cosine_diversity.grad", Kokkos::RangePolicy<ExecSpace>(0, k * d),
        KOKKOS_LAMBDA(const std::size_t e) {
          const std::size_t i = e / d, f = e % d;
          double s = 0;
          for (std::size_t j = 0; j < k; ++j) s += M(i, j) * static_cast<double>(Z(j, f));
          grad(i, f) += static_cast<S>(s);
        });
  }
  return c * total;
}

template <class S>
double CosineDiversity<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                          Parameters<S>& grad) {
  return evaluate(params.archetypes, grad.archetypes);
}

template <class S>
double CosineDiversity<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  return evaluate(params.archetypes, Matrix<S>());
}

template class CosineDiversity<float>;
template class CosineDiversity<double>;

}  // namespace kaa::strategies
