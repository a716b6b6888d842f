#include "strategies/metrics/weight_sparsity.hpp"

#include "framework/analysis/row_summary.hpp"
#include "framework/kernels/weight_metrics.hpp"

namespace kaa::strategies {

template <class S>
auto WeightSparsity<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("threshold", &Params::threshold)
      .positive()
      .max(1.0)
      .doc("a weight below this counts as unused in weight_sparsity_fraction");
  return s;
}

template <class S>
WeightSparsity<S>::WeightSparsity(const Params& p) : config_(p) {}

template <class S>
void WeightSparsity<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const Matrix<S> A = in.params.weights;
  const std::size_t n = A.extent(0);
  Vector<double> fraction("kaa::weight_sparsity.fraction", n),
      hoyer("kaa::weight_sparsity.hoyer", n);
  kernels::row_sparsity(ExecSpace(), A, config_.threshold, fraction, hoyer);
  const analysis::RowSummary f = analysis::summarize_nonnegative(fraction, in.row_weights.w);
  const analysis::RowSummary h = analysis::summarize_nonnegative(hoyer, in.row_weights.w);
  out["weight_sparsity_fraction"] = f.mean;
  out["weight_sparsity_hoyer"] = h.count > 0 ? nlohmann::json(h.mean) : nlohmann::json();
}

template class WeightSparsity<float>;
template class WeightSparsity<double>;

}  // namespace kaa::strategies
