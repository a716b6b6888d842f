#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// In original units: rows of the smaller set matched to distinct rows of the other by minimum
/// total distance; mean and max distance, and the mean relative to the RMS spread of the true
/// archetypes around their centroid. No value when the data set has no ground truth, unless
/// `required`.
template <class S>
class RecoveryError final : public Metric<S> {
 public:
  static constexpr const char* name = "recovery_error";
  static constexpr const char* summary =
      "distance of the fitted archetypes to the known true ones after optimal (Hungarian) matching";
  static Schema schema();
  explicit RecoveryError(const nlohmann::json& params);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  bool required_;
};

}  // namespace kaa::strategies
