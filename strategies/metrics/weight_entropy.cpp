#include "strategies/metrics/weight_entropy.hpp"

#include <cmath>
#include <string>

#include "framework/analysis/row_summary.hpp"
#include "framework/kernels/math.hpp"
#include "framework/logging.hpp"

namespace kaa::strategies {

template <class S>
Schema WeightEntropy<S>::schema() {
  return Schema();
}

template <class S>
WeightEntropy<S>::WeightEntropy(const nlohmann::json&) {}

template <class S>
void WeightEntropy<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const Matrix<S> A = in.params.weights;
  const std::size_t n = A.extent(0), k = A.extent(1);
  Vector<double> row_value("kaa::weight_entropy.rows", n);
  if (k > 1) {
    const double log_k = std::log(static_cast<double>(k));
    Kokkos::parallel_for(
        "kaa::weight_entropy", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const std::size_t i) {
          double mass = 0;
          for (std::size_t j = 0; j < k; ++j)
            mass += A(i, j) > 0 ? static_cast<double>(A(i, j)) : 0;
          if (!(mass > 0)) {
            row_value(i) = -1.0;  // no distribution to measure
            return;
          }
          double h = 0;
          for (std::size_t j = 0; j < k; ++j) {
            if (A(i, j) > 0) {
              const double p = static_cast<double>(A(i, j)) / mass;
              h -= p * kernels::log(p);
            }
          }
          const double normalized = h / log_k;
          row_value(i) = normalized < 0 ? 0.0 : (normalized > 1 ? 1.0 : normalized);
        });
  } else {
    Kokkos::deep_copy(row_value, -1.0);  // one archetype: ln k = 0, nothing to normalise by
  }
  const analysis::RowSummary s = analysis::summarize_nonnegative(row_value);
  if (k > 1 && s.count < n)
    logging::warning("weight_entropy: " + std::to_string(n - s.count) +
                     " rows have no positive weight and were left out");
  analysis::write_summary(s, "weight_entropy", out);
}

template class WeightEntropy<float>;
template class WeightEntropy<double>;

}  // namespace kaa::strategies
