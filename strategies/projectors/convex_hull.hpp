#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/projector.hpp"
#include "strategies/common/geometry/block_staging.hpp"
#include "strategies/common/geometry/support.hpp"

namespace kaa::strategies {

/// archetypax's "convex_hull" projection: for each archetype a, the main direction u = (a - c)/
/// |a - c| plus `perturbations` directions (1 - mix) u + mix r_j (r_j random unit vectors), all
/// renormalised; a becomes the mix of the extreme data points along them with weight main_weight
/// for the main one and 1 for each other, normalised (archetypax: 2/7 and 1/7). The result is in
/// the data's convex hull. archetypax draws one set r_j from a fixed key for every archetype
/// (shared_perturbations = true); here they come from `seed`.
template <class S>
class ConvexHullProjection final : public Projector<S> {
 public:
  static constexpr const char* name = "convex_hull";
  static constexpr const char* summary =
      "each archetype -> weighted mix of extreme points along its direction and perturbations";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  struct Params {
    int perturbations = 5;
    double mix = 0.3;
    double main_weight = 2.0;
    bool shared_perturbations = true;
    double eps = 1e-10;
    std::uint64_t seed = 0;
  };
  static BoundSchema<Params> schema();
  explicit ConvexHullProjection(const Params& config);
  void project(Matrix<S>& block, const Matrix<S>& X) override;

 private:
  Params config_;
  common::Support<S> support_;
  common::BlockStaging<S> staging_{"kaa::convex_hull"};
};

}  // namespace kaa::strategies
