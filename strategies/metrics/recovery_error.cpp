#include "strategies/metrics/recovery_error.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "framework/analysis/hungarian.hpp"
#include "framework/error.hpp"
#include "framework/logging.hpp"
#include "framework/parallel/data_reductions.hpp"

namespace kaa::strategies {

template <class S>
auto RecoveryError<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.boolean("required", &Params::required)
      .doc("fail the run when the data set has no true archetypes (else the values are null)");
  return s;
}

template <class S>
RecoveryError<S>::RecoveryError(const Params& p) : config_(p) {}

template <class S>
void RecoveryError<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const char* keys[] = {
      "recovery_error_mean",         "recovery_error_max", "recovery_error_mean_relative",
      "recovery_error_max_relative", "recovery_matched",   "recovery_k_true"};
  if (!in.true_archetypes) {
    if (config_.required)
      throw Error(
          "metric recovery_error: `required` is true but the data set has no true archetypes "
          "(only generated data such as the `synthetic` data set has them)");
    for (const char* key : keys) out[key] = nullptr;
    return;
  }
  const HostMatrix& fitted = in.archetypes_original;
  const HostMatrix& truth = *in.true_archetypes;
  if (fitted.cols != truth.cols)
    throw Error("metric recovery_error: the true archetypes have " + std::to_string(truth.cols) +
                " features but the data have " + std::to_string(fitted.cols));
  if (fitted.rows != truth.rows)
    logging::warning("recovery_error: " + std::to_string(fitted.rows) + " archetypes fitted but " +
                     std::to_string(truth.rows) + " true ones; matched " +
                     std::to_string(std::min(fitted.rows, truth.rows)) + " pairs only");
  // The smaller set is matched into the larger one; distances are symmetric.
  const analysis::Matching m = fitted.rows <= truth.rows
                                   ? analysis::match_archetypes(fitted, truth)
                                   : analysis::match_archetypes(truth, fitted);
  // Over all ranks' rows in a distributed fit.
  const double tss = parallel::total_sum_of_squares(in.X, in.squared_error_scale);
  const double spread = std::sqrt(tss / static_cast<double>(parallel::global_rows(in.X.extent(0))));
  out["recovery_error_mean"] = m.mean_distance;
  out["recovery_error_max"] = m.max_distance;
  out["recovery_error_mean_relative"] =
      spread > 0 ? nlohmann::json(m.mean_distance / spread) : nlohmann::json();
  out["recovery_error_max_relative"] =
      spread > 0 ? nlohmann::json(m.max_distance / spread) : nlohmann::json();
  out["recovery_matched"] = m.assignment.size();
  out["recovery_k_true"] = truth.rows;
}

template class RecoveryError<float>;
template class RecoveryError<double>;

}  // namespace kaa::strategies
