#include "strategies/losses/cosine_diversity.hpp"

#include <cmath>

#include "framework/kernels/cosine_diversity.hpp"
#include "framework/kernels/gram.hpp"
#include "framework/kernels/workspace.hpp"

namespace kaa::strategies {

template <class S>
auto CosineDiversity<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight)
      .doc("multiplier of the mean positive cosine (archetypax: 0.1)");
  s.number("eps", &Params::eps).positive().doc("floor of the norms in the cosine");
  return s;
}

template <class S>
CosineDiversity<S>::CosineDiversity(const Params& p) : config_(p) {}

template <class S>
double CosineDiversity<S>::evaluate(const Matrix<S>& Z, const Matrix<S>& grad) {
  const std::size_t k = Z.extent(0);
  if (k < 2) return 0.0;
  kernels::archetype_gram(ExecSpace(), Z, loop_.gram);
  const auto G = loop_.gram;
  auto g = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  std::vector<double> norm(k), floor(k);
  for (std::size_t i = 0; i < k; ++i) {
    norm[i] = std::sqrt(g(i, i));
    floor[i] = std::max(norm[i], config_.eps);
  }
  const double c = config_.weight / static_cast<double>(k * k);
  // grad z_i = 2c sum_{j != i, cos_ij > 0} (z_j / (s_i s_j) - [|z_i| > eps] cos_ij z_i / |z_i|^2):
  // a k x k mixing of the rows of Z.
  if (kernels::fit_extents(M_, "kaa::cosine_diversity.M", k, k))
    M_host_ = Kokkos::create_mirror_view(M_);
  const auto hm = M_host_;
  Kokkos::deep_copy(hm, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      if (i == j) continue;
      const double cosine = g(i, j) / (floor[i] * floor[j]);
      if (!(cosine > 0)) continue;
      total += cosine;
      hm(i, j) += 2.0 * c / (floor[i] * floor[j]);
      if (norm[i] > config_.eps) hm(i, i) -= 2.0 * c * cosine / (norm[i] * norm[i]);
    }
  }
  if (grad.data() != nullptr) {
    Kokkos::deep_copy(M_, hm);
    kernels::add_mixed_rows(ExecSpace(), M_, Z, grad);
  }
  return c * total;
}

template <class S>
void CosineDiversity<S>::prepare(const Matrix<S>&, const Parameters<S>& params) {
  const std::size_t k = params.archetypes.extent(0);
  if (kernels::fit_extents(M_, "kaa::cosine_diversity.M", k, k))
    M_host_ = Kokkos::create_mirror_view(M_);
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
