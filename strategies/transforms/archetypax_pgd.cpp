#include "strategies/transforms/archetypax_pgd.hpp"

#include "framework/kernels/row_tiles.hpp"

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
  const std::size_t n = X.extent(0), d = X.extent(1), k = archetypes.extent(0);
  const std::size_t dp = kernels::padded(d);
  const kernels::Work zp = kernels::padded_rows(archetypes);
  kernels::Work G("kaa::archetypax_pgd.gram", k, k);
  Kokkos::parallel_for(
      "kaa::archetypax_pgd.gram", Kokkos::RangePolicy<ExecSpace>(0, k * k),
      KOKKOS_LAMBDA(const std::size_t e) {
        G(e / k, e % k) = kernels::dot_padded(&zp(e / k, 0), &zp(e % k, 0), dp);
      });
  // One kernel over all rows, each with a per-thread scratch row (the row as double, x Z^T, the
  // gradient): nothing of size n x k besides the result.
  Kokkos::Experimental::UniqueToken<ExecSpace> token;
  kernels::Work scratch("kaa::archetypax_pgd.scratch", token.size(), dp + 2 * k);
  const Matrix<S> W = weights;
  const long steps = steps_;
  const double lr = learning_rate_, eps = eps_;
  Kokkos::parallel_for(
      "kaa::archetypax_pgd", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        const int id = token.acquire();
        double* xd = &scratch(id, 0);
        double* C = xd + dp;
        double* grad = C + k;
        for (std::size_t f = 0; f < d; ++f) xd[f] = static_cast<double>(X(i, f));
        for (std::size_t j = 0; j < k; ++j) C[j] = kernels::dot_padded(xd, &zp(j, 0), dp);
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(1.0 / k);
        for (long t = 0; t < steps; ++t) {
          // gradient of ||x - wZ||^2 is 2 (w G - x Z^T)
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C[a];
            for (std::size_t b = 0; b < k; ++b) s += static_cast<double>(W(i, b)) * G(b, a);
            grad[a] = 2.0 * s;
          }
          double sum = 0;
          for (std::size_t a = 0; a < k; ++a) {
            double w = static_cast<double>(W(i, a)) - lr * grad[a];
            w = w > eps ? w : eps;
            W(i, a) = static_cast<S>(w);
            sum += w;
          }
          for (std::size_t a = 0; a < k; ++a)
            W(i, a) = sum > eps ? static_cast<S>(W(i, a) / sum) : static_cast<S>(1.0 / k);
        }
        token.release(id);
      });
}

template class ArchetypaxPgd<float>;
template class ArchetypaxPgd<double>;

}  // namespace kaa::strategies
