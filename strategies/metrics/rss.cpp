#include "strategies/metrics/rss.hpp"

#include "framework/kernels/reconstruction.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
Schema Rss<S>::schema() {
  return Schema();
}

template <class S>
void Rss<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  // With sample weights: sum_i w_i ||r_i||^2 and its mean over the total weight.
  double rss =
      kernels::reconstruction_pass(in.X, in.params.weights, in.params.archetypes, 0.0, Matrix<S>(),
                                   Matrix<S>(), in.squared_error_scale, in.row_weights.w);
  // A distributed fit: every rank's rows (the sum is the same on every rank).
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  out["rss"] = rss;
  out["mse_per_row"] =
      rss / (in.row_weights.empty() ? static_cast<double>(parallel::global_rows(in.X.extent(0)))
                                    : in.row_weights.total);
}

template class Rss<float>;
template class Rss<double>;

}  // namespace kaa::strategies
