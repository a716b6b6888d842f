#include "strategies/hooks/best_parameters/keep_best.hpp"

namespace kaa::strategies {

template <class S>
auto KeepBest<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.choice("best", &Params::best, common::best_choices())
      .doc(
          "evaluated: the parameters with the lowest loss; after_update: archetypax's off-by-one "
          "(the parameters one update later)");
  return s;
}

template <class S>
KeepBest<S>::KeepBest(const Params& p) : late_(p.best == common::BestChoice::after_update) {}

template <class S>
void KeepBest<S>::after_update(HookContext<S>& ctx) {
  if (late_) late_best_.observe(ctx);
}

template <class S>
void KeepBest<S>::on_finish(HookContext<S>& ctx) {
  if (late_)
    late_best_.restore(ctx);
  else
    ctx.restore_best();
}

template <class S>
void KeepBest<S>::save_state(SavedState& state, const std::string& prefix) const {
  if (late_) late_best_.save(state, prefix);
}

template <class S>
void KeepBest<S>::load_state(const SavedState& state, const std::string& prefix) {
  if (late_) late_best_.load(state, prefix);
}

template class KeepBest<float>;
template class KeepBest<double>;

}  // namespace kaa::strategies
