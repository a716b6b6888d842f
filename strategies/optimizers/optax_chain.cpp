#include "strategies/optimizers/optax_chain.hpp"

#include <cmath>

#include "framework/kernels/optax_chain.hpp"

namespace kaa::strategies {

template <class S>
auto OptaxChain<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("learning_rate", &Params::learning_rate)
      .positive()
      .doc("base learning rate lr (archetypax: 0.001)");
  s.number("peak_factor", &Params::peak_factor)
      .positive()
      .doc("schedule peak = peak_factor x lr, reached after the warm-up (archetypax: 0.05)");
  s.number("warmup_init", &Params::warmup_init)
      .non_negative()
      .doc("schedule value at step 0 (archetypax: 0)");
  s.integer("warmup_steps", &Params::warmup_steps)
      .non_negative()
      .doc("steps of the linear warm-up to the peak (archetypax: 20)");
  s.integer("transition_steps", &Params::transition_steps)
      .min(1)
      .doc("steps per decay_rate factor of the exponential decay (archetypax: 100)");
  s.number("decay_rate", &Params::decay_rate)
      .positive()
      .max(1.0)
      .doc("decay factor (archetypax: 0.95)");
  s.number("end_value", &Params::end_value)
      .non_negative()
      .doc("floor of the decayed schedule (absolute; archetypax: 1e-6)");
  s.boolean("staircase", &Params::staircase).doc("decay in whole transitions (archetypax: false)");
  s.number("clip", &Params::clip)
      .non_negative()
      .doc("clip each gradient entry to [-clip, clip] first (archetypax: 1); 0 = off");
  s.number("max_global_norm", &Params::max_global_norm)
      .non_negative()
      .doc(
          "rescale the gradient to this global norm when it is reached (archetypax: 0.5); 0 = off");
  s.number("b1", &Params::b1).min(0.0).max(1.0, true).doc("Adam first-moment decay");
  s.number("b2", &Params::b2).min(0.0).max(1.0, true).doc("Adam second-moment decay");
  s.number("eps", &Params::eps).non_negative().doc("Adam: added outside the square root");
  s.number("eps_root", &Params::eps_root).non_negative().doc("Adam: added inside the square root");
  s.number("weight_decay", &Params::weight_decay)
      .non_negative()
      .doc("add weight_decay x parameter to the Adam direction (archetypax: 1e-6)");
  s.boolean("archetypax_ascent", &Params::archetypax_ascent)
      .doc(
          "reproduce archetypax 0.1.2's sign defect: add the scheduled step instead of "
          "subtracting it, i.e. ascend the loss (comparison only)");
  return s;
}

template <class S>
OptaxChain<S>::OptaxChain(const Params& p) : config_(p) {}

template <class S>
double OptaxChain<S>::schedule(long long t) const {
  const double peak = config_.peak_factor * config_.learning_rate;
  if (t < config_.warmup_steps) {
    // optax.linear_schedule: (init - end) * (1 - t / steps) + end, t clipped to [0, steps].
    const double frac =
        1.0 - static_cast<double>(t < 0 ? 0 : t) / static_cast<double>(config_.warmup_steps);
    return (config_.warmup_init - peak) * frac + peak;
  }
  // optax.exponential_decay after join_schedules shifted the count by the boundary.
  const long long c = t - config_.warmup_steps;
  double p = static_cast<double>(c) / static_cast<double>(config_.transition_steps);
  if (config_.staircase) p = std::floor(p);
  const double decayed = c <= 0 ? peak : peak * std::pow(config_.decay_rate, p);
  return decayed > config_.end_value ? decayed : config_.end_value;
}

template <class S>
void OptaxChain<S>::init(const Matrix<S>&, const Parameters<S>& params) {
  moments_.reset("kaa::optax_chain", params);
}

template <class S>
void OptaxChain<S>::step(const Matrix<S>&, Parameters<S>& params, Parameters<S>& grad) {
  // Archetypes derived from mixing are overwritten after the step; they take no part (their
  // gradient was chained into the mixing weights).
  auto updated = [&](Block b) {
    return params.has(b) && !(b == Block::archetypes && params.has(Block::mixing));
  };
  double squares = 0;
  for (Block b : kBlocks)
    if (updated(b))
      squares +=
          kernels::optax_clip_and_square(ExecSpace(), grad.block(b), static_cast<S>(config_.clip));
  kernels::OptaxChainStep c{};
  c.norm = std::sqrt(squares);
  c.max_norm = config_.max_global_norm;
  c.rescale = config_.max_global_norm > 0 && !(c.norm < config_.max_global_norm);
  c.b1 = config_.b1;
  c.b2 = config_.b2;
  c.eps = config_.eps;
  c.eps_root = config_.eps_root;
  c.weight_decay = config_.weight_decay;
  c.step = (config_.archetypax_ascent ? 1.0 : -1.0) * schedule(moments_.count);
  ++moments_.count;
  const S bias1 = moments_.bias_correction(config_.b1),
          bias2 = moments_.bias_correction(config_.b2);
  for (Block b : kBlocks)
    if (updated(b))
      kernels::optax_chain_update(ExecSpace(), params.block(b), grad.block(b), moments_.mu.block(b),
                                  moments_.nu.block(b), c, bias1, bias2);
}

template <class S>
void OptaxChain<S>::save_state(SavedState& state, const std::string& prefix) const {
  moments_.save(state, prefix);
}

template <class S>
void OptaxChain<S>::load_state(const SavedState& state, const std::string& prefix) {
  moments_.load(state, prefix);
}

template class OptaxChain<float>;
template class OptaxChain<double>;

}  // namespace kaa::strategies
