#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/projector.hpp"
#include "strategies/common/geometry/block_staging.hpp"
#include "strategies/common/geometry/support.hpp"

namespace kaa::strategies {

/// archetypax's default Improved AA projection ("cbap"): for each archetype a, u = (a - c)/|a - c|
/// and e the data row farthest from the centroid c along u. An archetype beyond e along u becomes
/// alpha e + (1 - alpha) a; one inside becomes (1 - alpha) e + alpha a, i.e. it jumps 1 - alpha of
/// the way to e (archetypax's asymmetric blend). A row with |a - c| <= eps uses a fixed random
/// direction (archetypax: a normal draw from PRNGKey(0) / sqrt(d); here from `seed`).
template <class S>
class Cbap final : public Projector<S> {
 public:
  static constexpr const char* name = "cbap";
  static constexpr const char* summary =
      "blend each archetype with the extreme data point along its centroid direction";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  struct Params {
    double alpha = 0.1;
    double eps = 1e-10;
    std::uint64_t seed = 0;
  };
  static BoundSchema<Params> schema();
  explicit Cbap(const Params& config);
  void project(Matrix<S>& block, const Matrix<S>& X) override;

 private:
  Params config_;
  common::Support<S> support_;
  common::BlockStaging<S> staging_{"kaa::cbap"};
};

}  // namespace kaa::strategies
