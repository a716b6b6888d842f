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
  double rss = kernels::reconstruction_pass(in.X, in.params.weights, in.params.archetypes, 0.0,
                                            Matrix<S>(), Matrix<S>(), in.squared_error_scale);
  // A distributed fit: every rank's rows (the sum is the same on every rank).
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  out["rss"] = rss;
  out["mse_per_row"] = rss / static_cast<double>(parallel::global_rows(in.X.extent(0)));
}

template class Rss<float>;
template class Rss<double>;

}  // namespace kaa::strategies
