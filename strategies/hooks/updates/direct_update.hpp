#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/host_matrix.hpp"
#include "framework/interfaces/hook.hpp"
#include "strategies/common/geometry/support.hpp"
#include "strategies/common/schedule.hpp"

namespace kaa::strategies {

/// archetypax's periodic closed-form archetype step (Improved AA, every 15 iterations from
/// iteration 0): Z_dir = (W^T W + ridge I)^-1 W^T X, then the one-direction hull scaling (a row
/// beyond the data's support along its centroid direction is pulled back to hull_margin of it),
/// then Z <- blend Z_dir + (1 - blend) Z.
/// Sparse AA inserts steps between the scaling and the blend, each off by default:
///   median_shrink < 1: entries below their row's median are multiplied by it and the rows
///     renormalised to sum 1 (archetypax's feature_selection step, 0.7);
///   noise_scale > 0: U(-0.5, 0.5) x noise_scale / (std of the feature across archetypes +
///     noise_eps) added to entries above noise_threshold;
///   normalize_rows: rows divided by max(row_sum_eps, row sum) (archetypax assumes compositional
///     data here);
///   rescale_after: the hull scaling once more.
template <class S>
class DirectUpdate final : public Hook<S> {
 public:
  static constexpr const char* name = "direct_update";
  static constexpr const char* summary =
      "periodic least-squares archetype step for fixed weights, hull-scaled and blended";
  struct Params {
    std::size_t every = 15, start = 1;
    double ridge = 1e-6;
    double blend = 0.2;
    double hull_margin = 0.99;
    double eps = 1e-10;
    double median_shrink = 1.0;
    double noise_scale = 0.0;
    double noise_threshold = 1e-5;
    double noise_eps = 1e-8;
    bool noise_redraw = false;
    std::string noise_file = "";
    std::uint64_t seed = 0;
    bool normalize_rows = false;
    double row_sum_eps = 1e-10;
    bool rescale_after = false;
  };
  static BoundSchema<Params> schema();
  explicit DirectUpdate(const Params& config);
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  /// The redrawn noise is indexed by the call count, which restarts with every fit.
  void begin_fit() override { calls_ = 0; }
  void after_update(HookContext<S>& ctx) override;
  void save_state(SavedState& state, const std::string& prefix) const override;
  void load_state(const SavedState& state, const std::string& prefix) override;

  /// Z_dir before blending, for the current parameters (what after_update blends in).
  HostMatrix direct_archetypes(const Matrix<S>& X, const Matrix<S>& weights);

 private:
  HostMatrix noise(std::size_t k, std::size_t d);
  /// Sizes the normal-equation buffer and the archetypes' host copy for k x d archetypes.
  void fit_workspace(std::size_t k, std::size_t d);

  Params config_;
  common::Schedule schedule_;
  std::size_t calls_ = 0;
  HostMatrix recorded_noise_;
  common::Support<S> support_;
  Vector<double> normal_;
  Vector<double>::HostMirror normal_host_;
  typename Matrix<S>::HostMirror archetypes_host_;
};

}  // namespace kaa::strategies
