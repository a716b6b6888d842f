#include "strategies/hooks/projections/blended_projection.hpp"

#include <limits>

#include "framework/error.hpp"
#include "framework/kernels/blend.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"
#include "strategies/projectors/cbap.hpp"
#include "strategies/projectors/convex_hull.hpp"
#include "strategies/projectors/knn_hull.hpp"

namespace kaa::strategies {

namespace {

/// The projector strategy named by `method`, built through its own schema from the hook's
/// parameters.
template <template <class> class Impl, class S>
std::unique_ptr<Projector<S>> build(const nlohmann::json& raw) {
  std::vector<std::string> issues;
  const nlohmann::json resolved = Impl<S>::schema().resolve(raw, "blended_projection", issues);
  if (!issues.empty()) throw ConfigError(issues);
  return std::make_unique<Impl<S>>(resolved);
}

}  // namespace

template <class S>
Schema BlendedProjection<S>::schema() {
  Schema s;
  common::Schedule::declare(s, 10, 1);
  s.choice("method", "cbap", {"cbap", "convex_hull", "knn"})
      .doc("projector: cbap, convex_hull or knn (knn_hull) (archetypax's projection_method)");
  s.number("alpha", 0.1).min(0).max(1).doc("cbap: alpha (archetypax's projection_alpha)");
  s.number("eps", 1e-10).positive().doc("cbap, convex_hull: zero-direction threshold");
  s.integer("seed", 0).min(0).doc("cbap, convex_hull: seed of the random directions");
  s.integer("perturbations", 5).min(0).doc("convex_hull: perturbed directions");
  s.number("mix", 0.3).min(0).max(1).doc("convex_hull: weight of the random vector");
  s.number("main_weight", 2.0).positive().doc("convex_hull: weight of the main extreme point");
  s.boolean("shared_perturbations", true)
      .doc("convex_hull: the same random vectors for every archetype");
  s.integer("knn_k", 10)
      .min(1)
      .max(KnnHull<float>::max_neighbours)
      .doc("knn: neighbours mixed per archetype");
  s.number("knn_eps", 1e-10).positive().doc("knn: added to squared distances");
  s.number("blend_good", 0.5).min(0).max(1).doc("blend when ratio <= ratio_mild");
  s.number("blend_mild", 0.01).min(0).max(1).doc("blend when ratio_mild < ratio <= ratio_bad");
  s.number("blend_bad", 0.005).min(0).max(1).doc("blend when ratio > ratio_bad");
  s.number("ratio_mild", 1.01).doc("loss ratio above which blend_mild applies");
  s.number("ratio_bad", 1.1).doc("loss ratio above which blend_bad applies");
  s.number("ratio_eps", 1e-10).non_negative().doc("added to the loss before projection");
  return s;
}

template <class S>
BlendedProjection<S>::BlendedProjection(const nlohmann::json& p)
    : schedule_(p),
      blend_good_(p.at("blend_good").get<double>()),
      blend_mild_(p.at("blend_mild").get<double>()),
      blend_bad_(p.at("blend_bad").get<double>()),
      ratio_mild_(p.at("ratio_mild").get<double>()),
      ratio_bad_(p.at("ratio_bad").get<double>()),
      ratio_eps_(p.at("ratio_eps").get<double>()),
      last_ratio_(std::numeric_limits<double>::quiet_NaN()),
      last_blend_(std::numeric_limits<double>::quiet_NaN()) {
  const std::string method = p.at("method").get<std::string>();
  if (method == "cbap") {
    projector_ =
        build<Cbap, S>({{"alpha", p.at("alpha")}, {"eps", p.at("eps")}, {"seed", p.at("seed")}});
  } else if (method == "convex_hull") {
    projector_ =
        build<ConvexHullProjection, S>({{"perturbations", p.at("perturbations")},
                                        {"mix", p.at("mix")},
                                        {"main_weight", p.at("main_weight")},
                                        {"shared_perturbations", p.at("shared_perturbations")},
                                        {"eps", p.at("eps")},
                                        {"seed", p.at("seed")}});
  } else {
    projector_ = build<KnnHull, S>({{"k", p.at("knn_k")}, {"eps", p.at("knn_eps")}});
  }
}

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
