#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Euclidean distances between every pair of archetypes in the data's original units (as
/// archetypax's evaluator): "archetype_separation_min", "_mean", "_max" and "_ratio" = min / max
/// (0 when two archetypes coincide, 1 when all pairs are equally far apart). Null when k = 1;
/// the ratio is null when every archetype is the same point.
template <class S>
class ArchetypeSeparation final : public Metric<S> {
 public:
  static constexpr const char* name = "archetype_separation";
  // Reads the archetypes only: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "pairwise archetype distances in original units: min, mean, max and min/max";
  static Schema schema();
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
