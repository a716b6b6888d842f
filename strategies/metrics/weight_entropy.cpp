#include "strategies/metrics/weight_entropy.hpp"

#include <string>

#include "framework/analysis/row_summary.hpp"
#include "framework/kernels/weight_metrics.hpp"
#include "framework/logging.hpp"

namespace kaa::strategies {

template <class S>
Schema WeightEntropy<S>::schema() {
  return Schema();
}

template <class S>
void WeightEntropy<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const Matrix<S> A = in.params.weights;
  const std::size_t n = A.extent(0), k = A.extent(1);
  Vector<double> row_value("kaa::weight_entropy.rows", n);
  if (k > 1) {
    kernels::row_normalized_entropy(ExecSpace(), A, row_value);
  } else {
    Kokkos::deep_copy(row_value, -1.0);  // one archetype: ln k = 0, nothing to normalise by
  }
  const analysis::RowSummary s = analysis::summarize_nonnegative(row_value, in.row_weights.w);
  if (k > 1 && s.count < n)
    logging::warning(
        "weight_entropy: " + std::to_string(n - s.count) + " rows have no positive weight" +
        (in.row_weights.empty() ? "" : " or a sample weight of zero") + " and were left out");
  analysis::write_summary(s, "weight_entropy", out);
}

template class WeightEntropy<float>;
template class WeightEntropy<double>;

}  // namespace kaa::strategies
