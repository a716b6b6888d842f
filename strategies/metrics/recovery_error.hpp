#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// How far the fitted archetypes are from the data set's known true archetypes (synthetic data),
/// in original units, after the minimum-total-distance one-to-one matching (Hungarian method):
/// "recovery_error_mean" and "_max" over matched pairs, the same divided by the data's RMS spread
/// sqrt(sum_i ||x_i - mean||^2 / n) ("_mean_relative", "_max_relative"), and "recovery_matched",
/// the number of pairs ("recovery_k_true": the number of true archetypes). When k differs from the
/// number of true archetypes only min(k, k_true) pairs are matched (each archetype of the smaller
/// set to a distinct one of the larger) and a warning says so. Without true archetypes every value
/// is null, or an error if `required`.
template <class S>
class RecoveryError final : public Metric<S> {
 public:
  static constexpr const char* name = "recovery_error";
  // Reads the archetypes only: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "matched distance between fitted and known true archetypes (synthetic data)";
  struct Params {
    bool required = false;
  };
  static BoundSchema<Params> schema();
  explicit RecoveryError(const Params& config);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
