#include "strategies/hooks/projections/blended_projection.hpp"

#include <limits>

#include "framework/kernels/blend.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

template <class S>
Schema BlendedProjection<S>::schema() {
  Schema s;
  common::Schedule::declare(s, 10, 1);
  s.strategy("projector", Kind::projector, {{"type", "cbap"}})
      .applies_to(bit(Block::archetypes))
      .doc(
          "the projector of the archetypes (archetypax's projection_method: cbap, convex_hull, "
          "knn_hull)");
  s.number("blend_good", 0.5).min(0).max(1).doc("blend when ratio <= ratio_mild");
  s.number("blend_mild", 0.01).min(0).max(1).doc("blend when ratio_mild < ratio <= ratio_bad");
  s.number("blend_bad", 0.005).min(0).max(1).doc("blend when ratio > ratio_bad");
  s.number("ratio_mild", 1.01).doc("loss ratio above which blend_mild applies");
  s.number("ratio_bad", 1.1).doc("loss ratio above which blend_bad applies");
  s.number("ratio_eps", 1e-10).non_negative().doc("added to the loss before projection");
  return s;
}

template <class S>
BlendedProjection<S>::BlendedProjection(const nlohmann::json& p, const Registry& registry)
    : schedule_(p),
      projector_(registry.make<Projector, S>(p.at("projector"))),
      blend_good_(p.at("blend_good").get<double>()),
      blend_mild_(p.at("blend_mild").get<double>()),
      blend_bad_(p.at("blend_bad").get<double>()),
      ratio_mild_(p.at("ratio_mild").get<double>()),
      ratio_bad_(p.at("ratio_bad").get<double>()),
      ratio_eps_(p.at("ratio_eps").get<double>()),
      last_ratio_(std::numeric_limits<double>::quiet_NaN()),
      last_blend_(std::numeric_limits<double>::quiet_NaN()) {}

template <class S>
void BlendedProjection<S>::check_config(const nlohmann::json& config, const std::string& path,
                                        std::vector<std::string>& issues) {
  common::require_free_archetypes(config, path, name, issues);
}

template <class S>
double BlendedProjection<S>::blend_for(double ratio) const {
  if (ratio > ratio_bad_) return blend_bad_;
  if (ratio > ratio_mild_) return blend_mild_;
  return blend_good_;
}

template <class S>
void BlendedProjection<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  kernels::fit_extents(projected_, "kaa::blended_projection", params.archetypes.extent(0),
                       params.archetypes.extent(1));
  projector_->prepare(X, params);
}

template <class S>
void BlendedProjection<S>::after_update(HookContext<S>& ctx) {
  if (!schedule_.fires(ctx.updates)) return;
  const Matrix<S> Z = ctx.params.archetypes;
  kernels::fit_extents(projected_, "kaa::blended_projection", Z.extent(0), Z.extent(1));
  const double before = ctx.objective(ctx.params);
  Kokkos::deep_copy(projected_, Z);
  projector_->project(projected_, ctx.X);
  Parameters<S> trial = ctx.params;
  trial.archetypes = projected_;
  const double after = ctx.objective(trial);
  last_ratio_ = after / (before + ratio_eps_);
  last_blend_ = blend_for(last_ratio_);
  const S b = static_cast<S>(last_blend_);
  kernels::blend_toward(ExecSpace(), Z, projected_, b);
}

template class BlendedProjection<float>;
template class BlendedProjection<double>;

}  // namespace kaa::strategies
