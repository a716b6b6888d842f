#include "strategies/losses/archetype_sparsity.hpp"

#include <Kokkos_Core.hpp>

#include "framework/kernels/math.hpp"

namespace kaa::strategies {

template <class S>
Schema ArchetypeSparsity<S>::schema() {
  Schema s;
  s.choice("method", "l1", {"l1", "l0_approx", "feature_selection"})
      .doc("sparsity measure (archetypax's sparsity_method; default l1)");
  s.number("weight", 0.1).doc("multiplier of the mean measure (archetypax's lambda_sparsity)");
  s.number("width", 1e-6)
      .positive()
      .doc("l0_approx: sigma^2 of 1 - exp(-z^2 / width) (archetypax: 1e-6)");
  s.number("eps", 1e-10).non_negative().doc("feature_selection: added inside the logarithm");
  s.choice("negative_entries", "magnitude", {"magnitude", "nan"})
      .doc(
          "feature_selection on z < 0: entropy of abs(z) (finite), or archetypax's z log(z + eps), "
          "NaN");
  return s;
}

template <class S>
ArchetypeSparsity<S>::ArchetypeSparsity(const nlohmann::json& p)
    : method_(p.at("method") == "l1" ? 0 : (p.at("method") == "l0_approx" ? 1 : 2)),
      nan_on_negative_(p.at("negative_entries") == "nan"),
      weight_(p.at("weight").get<double>()),
      width_(p.at("width").get<double>()),
      eps_(p.at("eps").get<double>()) {}

template <class S>
double ArchetypeSparsity<S>::pass(const Matrix<S>& Z, const Matrix<S>& grad) const {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  const bool want_grad = grad.data() != nullptr;
  const int method = method_;
  const bool raw_log = nan_on_negative_;
  const double width = width_, eps = eps_;
  const double c = weight_ / static_cast<double>(k);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::archetype_sparsity", Kokkos::RangePolicy<ExecSpace>(0, k * d),
      KOKKOS_LAMBDA(const std::size_t e, double& acc) {
        const double z = static_cast<double>(Z(e / d, e % d));
        const double sign = z > 0 ? 1.0 : (z < 0 ? -1.0 : 0.0);
        double g = 0, dg = 0;
        if (method == 0) {
          g = sign * z;
          dg = sign;
        } else if (method == 1) {
          const double t = kernels::exp(-z * z / width);
          g = 1.0 - t;
          dg = 2.0 * z / width * t;
        } else if (raw_log) {
          const double l = kernels::log(z + eps);
          g = -z * l;
          dg = -(l + z / (z + eps));
        } else {
          const double a = sign * z;
          const double l = kernels::log(a + eps);
          g = -a * l;
          // At z = 0 the one-sided slopes differ in sign; 0 is the subgradient autodiff of |z|
          // gives.
          dg = -sign * (l + a / (a + eps));
        }
        acc += g;
        if (want_grad) grad(e / d, e % d) += static_cast<S>(c * dg);
      },
      total);
  return c * total;
}

template <class S>
double ArchetypeSparsity<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                            Parameters<S>& grad) {
  return pass(params.archetypes, grad.archetypes);
}

template <class S>
double ArchetypeSparsity<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  return pass(params.archetypes, Matrix<S>());
}

template class ArchetypeSparsity<float>;
template class ArchetypeSparsity<double>;

}  // namespace kaa::strategies
