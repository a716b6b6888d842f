#include "strategies/hooks/projections/blended_projection.hpp"

#include <limits>

#include "framework/kernels/blend.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

template <class S>
BoundSchema<typename BlendedProjection<S>::Params> BlendedProjection<S>::schema() {
  BoundSchema<Params> s;
  common::Schedule::declare(s);
  s.strategy("projector", &Params::projector, Kind::projector)
      .applies_to(bit(Block::archetypes))
      .doc(
          "the projector of the archetypes (archetypax's projection_method: cbap, convex_hull, "
          "knn_hull)");
  s.number("blend_good", &Params::blend_good).min(0).max(1).doc("blend when ratio <= ratio_mild");
  s.number("blend_mild", &Params::blend_mild)
      .min(0)
      .max(1)
      .doc("blend when ratio_mild < ratio <= ratio_bad");
  s.number("blend_bad", &Params::blend_bad).min(0).max(1).doc("blend when ratio > ratio_bad");
  s.number("ratio_mild", &Params::ratio_mild).doc("loss ratio above which blend_mild applies");
  s.number("ratio_bad", &Params::ratio_bad).doc("loss ratio above which blend_bad applies");
  s.number("ratio_eps", &Params::ratio_eps)
      .non_negative()
      .doc("added to the loss before projection");
  return s;
}

template <class S>
BlendedProjection<S>::BlendedProjection(const Params& p, const Registry& registry)
    : schedule_(p.every, p.start),
      projector_(registry.make<Projector, S>(p.projector)),
      config_(p),
      last_ratio_(std::numeric_limits<double>::quiet_NaN()),
      last_blend_(std::numeric_limits<double>::quiet_NaN()) {}

template <class S>
void BlendedProjection<S>::begin_fit() {
  last_ratio_ = last_blend_ = std::numeric_limits<double>::quiet_NaN();
}

template <class S>
void BlendedProjection<S>::check_config(const nlohmann::json& config, const std::string& path,
                                        std::vector<std::string>& issues) {
  common::require_free_archetypes(config, path, name, issues);
}

template <class S>
double BlendedProjection<S>::blend_for(double ratio) const {
  if (ratio > config_.ratio_bad) return config_.blend_bad;
  if (ratio > config_.ratio_mild) return config_.blend_mild;
  return config_.blend_good;
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
  last_ratio_ = after / (before + config_.ratio_eps);
  last_blend_ = blend_for(last_ratio_);
  const S b = static_cast<S>(last_blend_);
  kernels::blend_toward(ExecSpace(), Z, projected_, b);
}

template class BlendedProjection<float>;
template class BlendedProjection<double>;

}  // namespace kaa::strategies
