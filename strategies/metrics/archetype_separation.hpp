#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// As archetypax's evaluator reports them (cdist of the archetypes), in the data's original units.
template <class S>
class ArchetypeSeparation final : public Metric<S> {
 public:
  static constexpr const char* name = "archetype_separation";
  static constexpr const char* summary =
      "pairwise Euclidean distances between archetypes in original units: min, mean, max, min/max";
  static Schema schema();
  explicit ArchetypeSeparation(const nlohmann::json& params);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
