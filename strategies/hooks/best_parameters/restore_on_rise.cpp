#include "strategies/hooks/best_parameters/restore_on_rise.hpp"

namespace kaa::strategies {

template <class S>
Schema RestoreOnRise<S>::schema() {
  Schema s;
  common::Schedule::declare(s, 20, 21);
  s.number("factor", 1.05)
      .positive()
      .doc("restore when loss > factor x previous loss (archetypax: 1.05)");
  s.choice("best", "evaluated", {"evaluated", "after_update"})
      .doc("which best to restore: the evaluated one, or archetypax's one update later");
  return s;
}

template <class S>
RestoreOnRise<S>::RestoreOnRise(const nlohmann::json& p)
    : schedule_(p), factor_(p.at("factor").get<double>()), late_(p.at("best") == "after_update") {}

template <class S>
void RestoreOnRise<S>::begin_fit() {
  restores_ = 0;
  late_best_.reset();
}

template <class S>
void RestoreOnRise<S>::after_update(HookContext<S>& ctx) {
  if (late_) late_best_.observe(ctx);
  const auto& l = ctx.losses;
  if (!schedule_.fires(ctx.updates) || l.size() < 2) return;
  if (!(l.back() > factor_ * l[l.size() - 2])) return;
  const bool restored = late_ ? late_best_.restore(ctx) : ctx.restore_best();
  if (!restored) return;
  ctx.reset_optimizer();
  ++restores_;
}

template <class S>
void RestoreOnRise<S>::save_state(SavedState& state, const std::string& prefix) const {
  state.scalars[prefix + ".restores"] = restores_;
  if (late_) late_best_.save(state, prefix);
}

template <class S>
void RestoreOnRise<S>::load_state(const SavedState& state, const std::string& prefix) {
  restores_ = state.scalars.at(prefix + ".restores").get<std::size_t>();
  if (late_) late_best_.load(state, prefix);
}

template class RestoreOnRise<float>;
template class RestoreOnRise<double>;

}  // namespace kaa::strategies
