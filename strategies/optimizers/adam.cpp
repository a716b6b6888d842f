#include "strategies/optimizers/adam.hpp"

#include "framework/kernels/adam.hpp"

namespace kaa::strategies {

template <class S>
Schema Adam<S>::schema() {
  Schema s;
  s.number("learning_rate", 0.001).positive().doc("step size (archetypax: 0.001)");
  s.number("b1", 0.9).min(0.0).max(1.0, true).doc("first-moment decay");
  s.number("b2", 0.999).min(0.0).max(1.0, true).doc("second-moment decay");
  s.number("eps", 1e-8).non_negative().doc("added outside the square root");
  s.number("eps_root", 0.0).non_negative().doc("added inside the square root");
  s.number("clip", 1.0).non_negative().doc("clip each gradient entry to [-clip, clip]; 0 = off");
  return s;
}

template <class S>
Adam<S>::Adam(const nlohmann::json& p)
    : learning_rate_(p.at("learning_rate").get<double>()),
      b1_(p.at("b1").get<double>()),
      b2_(p.at("b2").get<double>()),
      eps_(p.at("eps").get<double>()),
      eps_root_(p.at("eps_root").get<double>()),
      clip_(p.at("clip").get<double>()) {}

template <class S>
void Adam<S>::init(const Matrix<S>&, const Parameters<S>& params) {
  moments_.reset("kaa::adam", params);
}

template <class S>
void Adam<S>::step(const Matrix<S>&, Parameters<S>& params, Parameters<S>& grad) {
  ++moments_.count;
  const S bias1 = moments_.bias_correction(b1_), bias2 = moments_.bias_correction(b2_);
  const kernels::AdamStep<S> a{.lr = static_cast<S>(learning_rate_),
                               .b1 = static_cast<S>(b1_),
                               .b2 = static_cast<S>(b2_),
                               .eps = static_cast<S>(eps_),
                               .eps_root = static_cast<S>(eps_root_),
                               .clip = static_cast<S>(clip_),
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
