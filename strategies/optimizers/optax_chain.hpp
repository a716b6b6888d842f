#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "strategies/common/adam_moments.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis optimizer, as optax composes it, on every present block
/// jointly (the archetypes are skipped when they are derived from mixing):
///   g <- clip(g, -clip, clip)                                   element-wise, before the chain
///   g <- g * max_norm / ||g||  if ||g|| >= max_norm             optax.clip_by_global_norm
///   u <- mhat / (sqrt(vhat + eps_root) + eps)                   optax.scale_by_adam
///   u <- u + weight_decay * p                                   optax.add_decayed_weights
///   p <- p - s(t) u,  t = 0, 1, ...                              scale_by_schedule, descent
/// with s = optax.join_schedules of a linear warm-up from warmup_init to peak = peak_factor * lr
/// over warmup_steps and an exponential decay peak * decay_rate^((t - warmup) / transition_steps)
/// (floored at end_value; staircase optional). archetypax applies +s(t) u (its chain has no
/// negation, so it ascends the loss); `archetypax_ascent` reproduces that for comparison only.
template <class S>
class OptaxChain final : public Optimizer<S> {
 public:
  static constexpr const char* name = "optax_chain";
  // Steps along the summed gradient: sample weights act through the loss terms.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "clip, global-norm clip, Adam, decayed weights, warm-up + exponential-decay schedule";
  struct Params {
    double learning_rate = 0.001;
    double peak_factor = 0.05;
    double warmup_init = 0.0;
    long long warmup_steps = 20;
    long long transition_steps = 100;
    double decay_rate = 0.95;
    double end_value = 1e-6;
    bool staircase = false;
    double clip = 1.0;
    double max_global_norm = 0.5;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double eps_root = 0.0;
    double weight_decay = 1e-6;
    bool archetypax_ascent = false;
  };
  static BoundSchema<Params> schema();
  explicit OptaxChain(const Params& config);

  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  void save_state(SavedState& state, const std::string& prefix) const override;
  void load_state(const SavedState& state, const std::string& prefix) override;

  /// The schedule's value at step t (0 for the first update).
  double schedule(long long t) const;

 private:
  Params config_;
  common::AdamMoments<S> moments_;
};

}  // namespace kaa::strategies
