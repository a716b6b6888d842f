#include "strategies/metrics/explained_variance.hpp"

#include "framework/kernels/reconstruction.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/data_reductions.hpp"

namespace kaa::strategies {

template <class S>
Schema ExplainedVariance<S>::schema() {
  return Schema();
}

template <class S>
void ExplainedVariance<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  // With sample weights both sums (and the TSS's means) are weighted.
  double rss =
      kernels::reconstruction_pass(in.X, in.params.weights, in.params.archetypes, 0.0, Matrix<S>(),
                                   Matrix<S>(), in.squared_error_scale, in.row_weights.w);
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  const double tss = parallel::total_sum_of_squares(in.X, in.squared_error_scale, in.row_weights);
  // Constant data have nothing to explain; report null rather than a made-up number.
  out["explained_variance"] = tss > 0 ? nlohmann::json(1.0 - rss / tss) : nlohmann::json(nullptr);
}

template class ExplainedVariance<float>;
template class ExplainedVariance<double>;

}  // namespace kaa::strategies
