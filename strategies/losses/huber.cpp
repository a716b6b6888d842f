#include "strategies/losses/huber.hpp"

#include <Kokkos_Core.hpp>
#include <Kokkos_ScatterView.hpp>

#include "framework/kernels/block_products.hpp"
#include "framework/kernels/math.hpp"

namespace kaa::strategies {

namespace {

/// sum_i h(t_i), t_i = ||x_i - a_i Z||; when the gradient views are non-empty also ADDS
/// scale * d/dA and scale * d/dZ: with c_i = 1 / max(t_i, delta),
///   dA_ij = -c_i r_i . z_j,   dZ_jf = -sum_i c_i a_ij r_if.
template <class S>
double huber_pass(const Matrix<S>& X, const Matrix<S>& A, const Matrix<S>& Z, double delta,
                  double scale, const Matrix<S>& grad_weights, const Matrix<S>& grad_archetypes) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0);
  const Vector<double> norms2 = kernels::residual_norms2(X, A, Z);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::huber.value", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        const double t = kernels::sqrt(norms2(i));
        acc += t <= delta ? t * t / (2 * delta) + delta / 2 : t;
      },
      total);
  const bool want_ga = grad_weights.data() != nullptr;
  const bool want_gz = grad_archetypes.data() != nullptr;
  if (!want_ga && !want_gz) return total;

  using Scatter = Kokkos::Experimental::ScatterView<S**, Kokkos::LayoutRight, ExecSpace>;
  Matrix<S> gz_local("kaa::huber.gz", want_gz ? k : 0, want_gz ? d : 0);
  Scatter gz_scatter(gz_local);
  const Matrix<S> ga = grad_weights;
  Kokkos::parallel_for(
      "kaa::huber.grad", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const std::size_t i) {
        auto gz = gz_scatter.access();
        const double t = kernels::sqrt(norms2(i));
        const double c = -scale / (t > delta ? t : delta);
        for (std::size_t f = 0; f < d; ++f) {
          double r = static_cast<double>(X(i, f));
          for (std::size_t j = 0; j < k; ++j)
            r -= static_cast<double>(A(i, j)) * static_cast<double>(Z(j, f));
          const double cr = c * r;
          for (std::size_t j = 0; j < k; ++j) {
            if (want_ga) ga(i, j) += static_cast<S>(cr * static_cast<double>(Z(j, f)));
            if (want_gz) gz(j, f) += static_cast<S>(cr * static_cast<double>(A(i, j)));
          }
        }
      });
  if (want_gz) {
    Kokkos::Experimental::contribute(gz_local, gz_scatter);
    const Matrix<S> gz_out = grad_archetypes;
    Kokkos::parallel_for(
        "kaa::huber.add_gz", Kokkos::RangePolicy<ExecSpace>(0, k * d),
        KOKKOS_LAMBDA(const std::size_t e) { gz_out(e / d, e % d) += gz_local(e / d, e % d); });
  }
  return total;
}

}  // namespace

template <class S>
Schema Huber<S>::schema() {
  Schema s;
  s.number("weight", 1.0).non_negative().doc("multiplier of the term");
  s.number("delta", 1e-3)
      .positive()
      .doc("residual norm below which h is quadratic (SPAMS's epsilon: 1e-3)");
  s.choice("reduction", "mean", {"mean", "sum"}).doc("mean over rows or plain sum");
  return s;
}

template <class S>
Huber<S>::Huber(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()),
      delta_(p.at("delta").get<double>()),
      mean_(p.at("reduction") == "mean") {}

template <class S>
double Huber<S>::scale(std::size_t n) const {
  return mean_ ? weight_ / static_cast<double>(n) : weight_;
}

template <class S>
double Huber<S>::value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                Parameters<S>& grad) {
  const double c = scale(X.extent(0));
  return c *
         huber_pass(X, params.weights, params.archetypes, delta_, c, grad.weights, grad.archetypes);
}

template <class S>
double Huber<S>::value(const Matrix<S>& X, const Parameters<S>& params) {
  return scale(X.extent(0)) *
         huber_pass(X, params.weights, params.archetypes, delta_, 0.0, Matrix<S>(), Matrix<S>());
}

template class Huber<float>;
template class Huber<double>;

}  // namespace kaa::strategies
