#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/hook.hpp"
#include "framework/interfaces/projector.hpp"
#include "framework/registry/registry.hpp"
#include "strategies/common/schedule.hpp"

namespace kaa::strategies {

/// archetypax's periodic archetype projection (Improved AA, every 10 iterations from iteration
/// 0): Z_p = projector(Z), r = objective(W, Z_p) / (objective(W, Z) + ratio_eps), and
/// Z <- b Z_p + (1 - b) Z with b = blend_bad if r > ratio_bad, blend_mild if r > ratio_mild,
/// blend_good otherwise (archetypax: 0.005 / 0.01 / 0.5 at 1.1 / 1.01). The projector is any
/// registered projector that applies to archetypes (archetypax's projection_method: cbap,
/// convex_hull, knn = knn_hull), a nested strategy built by the registry.
template <class S>
class BlendedProjection final : public Hook<S> {
 public:
  static constexpr const char* name = "blended_projection";
  // Blends by the (weighted) objective; its projector acts on archetypes.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "periodic archetype projection, blended in by how much it raises the loss";
  struct Params {
    std::size_t every = 10, start = 1;
    nlohmann::json projector = nlohmann::json::object({{"type", "cbap"}});
    double blend_good = 0.5, blend_mild = 0.01, blend_bad = 0.005;
    double ratio_mild = 1.01, ratio_bad = 1.1, ratio_eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  BlendedProjection(const Params& config, const Registry& registry);
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);

  void begin_fit() override;
  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  void after_update(HookContext<S>& ctx) override;

  /// The loss ratio and blend factor of the last projection (NaN before the first).
  double last_ratio() const { return last_ratio_; }
  double last_blend() const { return last_blend_; }
  /// b for a given ratio r.
  double blend_for(double ratio) const;

 private:
  common::Schedule schedule_;
  std::unique_ptr<Projector<S>> projector_;
  Params config_;
  double last_ratio_, last_blend_;
  Matrix<S> projected_;
};

}  // namespace kaa::strategies
