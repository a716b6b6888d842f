#include "strategies/losses/entropy.hpp"

#include <Kokkos_Core.hpp>

#include "framework/kernels/math.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

namespace {

/// Sum of H over rows; when `grad` is non-empty also adds c * dH/da = -c (log(a + eps) + a/(a +
/// eps)).
template <class S>
double entropy_pass(const Matrix<S>& A, double eps, double c, const Matrix<S>& grad) {
  const std::size_t n = A.extent(0), k = A.extent(1);
  const bool want_grad = grad.data() != nullptr;
  const S e = static_cast<S>(eps);
  const S cs = static_cast<S>(c);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::entropy", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        for (std::size_t j = 0; j < k; ++j) {
          const S a = A(i, j);
          const S log_term = kernels::log(a + e);
          acc -= static_cast<double>(a * log_term);
          if (want_grad) grad(i, j) -= cs * (log_term + a / (a + e));
        }
      },
      total);
  return total;
}

}  // namespace

template <class S>
Schema Entropy<S>::schema() {
  Schema s;
  s.number("weight", -0.01)
      .doc("multiplier of the mean row entropy; < 0 favours uniform weights, > 0 sparse ones");
  s.number("eps", 1e-10).non_negative().doc("added inside the logarithm");
  return s;
}

template <class S>
Entropy<S>::Entropy(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()), eps_(p.at("eps").get<double>()) {}

template <class S>
double Entropy<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                  Parameters<S>& grad) {
  const double c = weight_ / static_cast<double>(parallel::global_rows(params.weights.extent(0)));
  return c * entropy_pass(params.weights, eps_, c, grad.weights);
}

template <class S>
double Entropy<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  const double c = weight_ / static_cast<double>(parallel::global_rows(params.weights.extent(0)));
  return c * entropy_pass(params.weights, eps_, 0.0, Matrix<S>());
}

template class Entropy<float>;
template class Entropy<double>;

}  // namespace kaa::strategies
