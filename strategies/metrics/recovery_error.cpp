#include "strategies/metrics/recovery_error.hpp"

#include <cmath>

#include "framework/analysis/hungarian.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"

namespace kaa::strategies {

template <class S>
Schema RecoveryError<S>::schema() {
  Schema s;
  s.boolean("required", false).doc("fail the run when the data set has no known archetypes");
  return s;
}

template <class S>
RecoveryError<S>::RecoveryError(const nlohmann::json& p)
    : required_(p.at("required").get<bool>()) {}

template <class S>
void RecoveryError<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  if (!in.true_archetypes) {
    if (required_)
      throw InputError("metric recovery_error: the data set has no known true archetypes");
    return;
  }
  const HostMatrix fitted =
      in.archetypes_original.rows > 0 ? in.archetypes_original : to_host(in.params.archetypes);
  const HostMatrix& truth = *in.true_archetypes;
  const bool fitted_fewer = fitted.rows <= truth.rows;
  const analysis::Matching m = fitted_fewer ? analysis::match_archetypes(fitted, truth)
                                            : analysis::match_archetypes(truth, fitted);
  std::vector<double> centroid(truth.cols, 0.0);
  for (std::size_t j = 0; j < truth.rows; ++j)
    for (std::size_t f = 0; f < truth.cols; ++f) centroid[f] += truth(j, f) / truth.rows;
  double spread = 0;
  for (std::size_t j = 0; j < truth.rows; ++j)
    for (std::size_t f = 0; f < truth.cols; ++f)
      spread += (truth(j, f) - centroid[f]) * (truth(j, f) - centroid[f]) / truth.rows;
  spread = std::sqrt(spread);
  out["recovery_error"] = {{"mean", m.mean_distance},
                           {"max", m.max_distance},
                           {"relative", spread > 0 ? m.mean_distance / spread : 0.0},
                           {"matched", m.distances.size()}};
}

template class RecoveryError<float>;
template class RecoveryError<double>;

}  // namespace kaa::strategies
