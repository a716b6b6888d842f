#include "strategies/optimizers/optax_chain.hpp"

#include <cmath>

#include "framework/kernels/optax_chain.hpp"

namespace kaa::strategies {

template <class S>
Schema OptaxChain<S>::schema() {
  Schema s;
  s.number("learning_rate", 0.001).positive().doc("base learning rate lr (archetypax: 0.001)");
  s.number("peak_factor", 0.05)
      .positive()
      .doc("schedule peak = peak_factor x lr, reached after the warm-up (archetypax: 0.05)");
  s.number("warmup_init", 0.0).non_negative().doc("schedule value at step 0 (archetypax: 0)");
  s.integer("warmup_steps", 20)
      .non_negative()
      .doc("steps of the linear warm-up to the peak (archetypax: 20)");
  s.integer("transition_steps", 100)
      .min(1)
      .doc("steps per decay_rate factor of the exponential decay (archetypax: 100)");
  s.number("decay_rate", 0.95).positive().max(1.0).doc("decay factor (archetypax: 0.95)");
  s.number("end_value", 1e-6)
      .non_negative()
      .doc("floor of the decayed schedule (absolute; archetypax: 1e-6)");
  s.boolean("staircase", false).doc("decay in whole transitions (archetypax: false)");
  s.number("clip", 1.0)
      .non_negative()
      .doc("clip each gradient entry to [-clip, clip] first (archetypax: 1); 0 = off");
  s.number("max_global_norm", 0.5)
      .non_negative()
      .doc(
          "rescale the gradient to this global norm when it is reached (archetypax: 0.5); 0 = off");
  s.number("b1", 0.9).min(0.0).max(1.0, true).doc("Adam first-moment decay");
  s.number("b2", 0.999).min(0.0).max(1.0, true).doc("Adam second-moment decay");
  s.number("eps", 1e-8).non_negative().doc("Adam: added outside the square root");
  s.number("eps_root", 0.0).non_negative().doc("Adam: added inside the square root");
  s.number("weight_decay", 1e-6)
      .non_negative()
      .doc("add weight_decay x parameter to the Adam direction (archetypax: 1e-6)");
  s.boolean("archetypax_ascent", false)
      .doc(
          "reproduce archetypax 0.1.2's sign defect: add the scheduled step instead of "
          "subtracting it, i.e. ascend the loss (comparison only)");
  return s;
}

template <class S>
OptaxChain<S>::OptaxChain(const nlohmann::json& p)
    : learning_rate_(p.at("learning_rate").get<double>()),
      peak_factor_(p.at("peak_factor").get<double>()),
      warmup_init_(p.at("warmup_init").get<double>()),
      warmup_steps_(p.at("warmup_steps").get<long long>()),
      transition_steps_(p.at("transition_steps").get<long long>()),
      decay_rate_(p.at("decay_rate").get<double>()),
      end_value_(p.at("end_value").get<double>()),
      staircase_(p.at("staircase").get<bool>()),
      clip_(p.at("clip").get<double>()),
      max_global_norm_(p.at("max_global_norm").get<double>()),
      b1_(p.at("b1").get<double>()),
      b2_(p.at("b2").get<double>()),
      eps_(p.at("eps").get<double>()),
      eps_root_(p.at("eps_root").get<double>()),
      weight_decay_(p.at("weight_decay").get<double>()),
      ascent_(p.at("archetypax_ascent").get<bool>()) {}

template <class S>
double OptaxChain<S>::schedule(long long t) const {
  const double peak = peak_factor_ * learning_rate_;
  if (t < warmup_steps_) {
    // optax.linear_schedule: (init - end) * (1 - t / steps) + end, t clipped to [0, steps].
    const double frac =
        1.0 - static_cast<double>(t < 0 ? 0 : t) / static_cast<double>(warmup_steps_);
    return (warmup_init_ - peak) * frac + peak;
  }
  // optax.exponential_decay after join_schedules shifted the count by the boundary.
  const long long c = t - warmup_steps_;
  double p = static_cast<double>(c) / static_cast<double>(transition_steps_);
  if (staircase_) p = std::floor(p);
  const double decayed = c <= 0 ? peak : peak * std::pow(decay_rate_, p);
  return decayed > end_value_ ? decayed : end_value_;
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
      squares += kernels::optax_clip_and_square(ExecSpace(), grad.block(b), static_cast<S>(clip_));
  kernels::OptaxChainStep c{};
  c.norm = std::sqrt(squares);
  c.max_norm = max_global_norm_;
  c.rescale = max_global_norm_ > 0 && !(c.norm < max_global_norm_);
  c.b1 = b1_;
  c.b2 = b2_;
  c.eps = eps_;
  c.eps_root = eps_root_;
  c.weight_decay = weight_decay_;
  c.step = (ascent_ ? 1.0 : -1.0) * schedule(moments_.count);
  ++moments_.count;
  const S bias1 = moments_.bias_correction(b1_), bias2 = moments_.bias_correction(b2_);
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
