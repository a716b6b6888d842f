#include "strategies/metrics/weight_sparsity.hpp"

#include <cmath>

#include "framework/analysis/row_summary.hpp"
#include "framework/kernels/math.hpp"

namespace kaa::strategies {

template <class S>
Schema WeightSparsity<S>::schema() {
  Schema s;
  s.number("threshold", 0.01)
      .positive()
      .max(1.0)
      .doc("a weight below this counts as unused in weight_sparsity_fraction");
  return s;
}

template <class S>
WeightSparsity<S>::WeightSparsity(const nlohmann::json& p)
    : threshold_(p.at("threshold").get<double>()) {}

template <class S>
void WeightSparsity<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const Matrix<S> A = in.params.weights;
  const std::size_t n = A.extent(0), k = A.extent(1);
  const double threshold = threshold_;
  const double root_k = std::sqrt(static_cast<double>(k));
  Vector<double> fraction("kaa::weight_sparsity.fraction", n),
      hoyer("kaa::weight_sparsity.hoyer", n);
  Kokkos::parallel_for(
      "kaa::weight_sparsity", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double below = 0, l1 = 0, l2 = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const double a = static_cast<double>(A(i, j));
          below += a < threshold ? 1.0 : 0.0;
          l1 += kernels::fabs(a);
          l2 += a * a;
        }
        fraction(i) = below / static_cast<double>(k);
        if (k < 2 || !(l2 > 0)) {
          hoyer(i) = -1.0;  // undefined: one archetype, or an all-zero row
          return;
        }
        const double h = (root_k - l1 / kernels::sqrt(l2)) / (root_k - 1.0);
        hoyer(i) = h < 0 ? 0.0 : (h > 1 ? 1.0 : h);
      });
  const analysis::RowSummary f = analysis::summarize_nonnegative(fraction);
  const analysis::RowSummary h = analysis::summarize_nonnegative(hoyer);
  out["weight_sparsity_fraction"] = f.mean;
  out["weight_sparsity_hoyer"] = h.count > 0 ? nlohmann::json(h.mean) : nlohmann::json();
}

template class WeightSparsity<float>;
template class WeightSparsity<double>;

}  // namespace kaa::strategies
