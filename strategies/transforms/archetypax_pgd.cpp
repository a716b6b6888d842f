#include "strategies/transforms/archetypax_pgd.hpp"

#include "framework/kernels/gram.hpp"

namespace kaa::strategies {

template <class S>
Schema ArchetypaxPgd<S>::schema() {
  Schema s;
  s.integer("steps", 100).min(1).doc("gradient steps per row (archetypax: 100)");
  s.number("learning_rate", 0.01).positive().doc("step size (archetypax 0.1.2: 0.01)");
  s.number("eps", 1e-10).positive().doc("clamp floor and smallest admissible row sum");
  return s;
}

template <class S>
ArchetypaxPgd<S>::ArchetypaxPgd(const nlohmann::json& p)
    : steps_(p.at("steps").get<long>()),
      learning_rate_(p.at("learning_rate").get<double>()),
      eps_(p.at("eps").get<double>()) {}

template <class S>
void ArchetypaxPgd<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) {
  const std::size_t k = archetypes.extent(0);
  const auto G = kernels::archetype_gram(archetypes);
  const auto C = kernels::data_archetype_products(X, archetypes);
  Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> grad("kaa::archetypax_pgd.grad",
                                                             X.extent(0), k);
  const Matrix<S> W = weights;
  const long steps = steps_;
  const double lr = learning_rate_, eps = eps_;
  Kokkos::parallel_for(
      "kaa::archetypax_pgd", Kokkos::RangePolicy<ExecSpace>(0, X.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(1.0 / k);
        for (long t = 0; t < steps; ++t) {
          // gradient of ||x - wZ||^2 is 2 (w G - x Z^T)
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C(i, a);
            for (std::size_t b = 0; b < k; ++b) s += static_cast<double>(W(i, b)) * G(b, a);
            grad(i, a) = 2.0 * s;
          }
          double sum = 0;
          for (std::size_t a = 0; a < k; ++a) {
            double w = static_cast<double>(W(i, a)) - lr * grad(i, a);
            w = w > eps ? w : eps;
            W(i, a) = static_cast<S>(w);
            sum += w;
          }
          for (std::size_t a = 0; a < k; ++a)
            W(i, a) = sum > eps ? static_cast<S>(W(i, a) / sum) : static_cast<S>(1.0 / k);
        }
      });
}

template class ArchetypaxPgd<float>;
template class ArchetypaxPgd<double>;

}  // namespace kaa::strategies
