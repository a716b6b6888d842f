#include "strategies/optimizers/adam.hpp"

#include "framework/kernels/adam.hpp"

namespace kaa::strategies {

template <class S>
auto Adam<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("learning_rate", &Params::learning_rate).positive().doc("step size (archetypax: 0.001)");
  s.number("b1", &Params::b1).min(0.0).max(1.0, true).doc("first-moment decay");
  s.number("b2", &Params::b2).min(0.0).max(1.0, true).doc("second-moment decay");
  s.number("eps", &Params::eps).non_negative().doc("added outside the square root");
  s.number("eps_root", &Params::eps_root).non_negative().doc("added inside the square root");
  s.number("clip", &Params::clip)
      .non_negative()
      .doc("clip each gradient entry to [-clip, clip]; 0 = off");
  return s;
}

template <class S>
Adam<S>::Adam(const Params& p) : config_(p) {}

template <class S>
void Adam<S>::init(const Matrix<S>&, const Parameters<S>& params) {
  moments_.reset("kaa::adam", params);
}

template <class S>
void Adam<S>::step(const Matrix<S>&, Parameters<S>& params, Parameters<S>& grad) {
  ++moments_.count;
  const S bias1 = moments_.bias_correction(config_.b1),
          bias2 = moments_.bias_correction(config_.b2);
  const kernels::AdamStep<S> a{.lr = static_cast<S>(config_.learning_rate),
                               .b1 = static_cast<S>(config_.b1),
                               .b2 = static_cast<S>(config_.b2),
                               .eps = static_cast<S>(config_.eps),
                               .eps_root = static_cast<S>(config_.eps_root),
                               .clip = static_cast<S>(config_.clip),
                               .bias1 = bias1,
                               .bias2 = bias2};
  for (Block b : kBlocks) {
    if (params.has(b))
      kernels::adam_update(ExecSpace(), params.block(b), grad.block(b), moments_.mu.block(b),
                           moments_.nu.block(b), a);
  }
}

template <class S>
void Adam<S>::save_state(SavedState& state, const std::string& prefix) const {
  moments_.save(state, prefix);
}

template <class S>
void Adam<S>::load_state(const SavedState& state, const std::string& prefix) {
  moments_.load(state, prefix);
}

template class Adam<float>;
template class Adam<double>;

}  // namespace kaa::strategies
