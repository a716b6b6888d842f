#include "strategies/hooks/best_parameters/restore_on_rise.hpp"

namespace kaa::strategies {

template <class S>
auto RestoreOnRise<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  common::Schedule::declare(s);
  s.number("factor", &Params::factor)
      .positive()
      .doc("restore when loss > factor x previous loss (archetypax: 1.05)");
  s.choice("best", &Params::best, common::best_choices())
      .doc("which best to restore: the evaluated one, or archetypax's one update later");
  return s;
}

template <class S>
RestoreOnRise<S>::RestoreOnRise(const Params& p)
    : schedule_(p.every, p.start),
      factor_(p.factor),
      late_(p.best == common::BestChoice::after_update) {}

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
