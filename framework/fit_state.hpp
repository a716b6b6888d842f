#pragma once
#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/interfaces/hook.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "framework/interfaces/stopping_rule.hpp"
#include "framework/types.hpp"

namespace kaa {

/// The strategies of a model that keep state between updates.
template <class S>
struct StatefulStrategies {
  Optimizer<S>& optimizer;
  const std::vector<std::unique_ptr<Hook<S>>>& hooks;
  const std::vector<std::unique_ptr<StoppingRule<S>>>& stopping;
};

/// Everything one fit changes as it runs, besides the parameters themselves: the update count, the
/// loss history, the time spent, the best parameters seen, and the state its strategies keep. A
/// fit owns one FitState, whose constructor starts every strategy's per-fit state afresh
/// (Optimizer::init, Hook::begin_fit, StoppingRule::begin_fit), so nothing of an earlier fit of
/// the same Model reaches the next. A checkpoint is a FitState saved; a resume, one loaded.
template <class S>
class FitState {
 public:
  /// For parameters shaped like `params`; the strategies' workspaces are already prepared.
  FitState(const Matrix<S>& X, const Parameters<S>& params,
           const StatefulStrategies<S>& strategies);

  /// Records the loss evaluated at `params` before the next update; keeps the parameters when
  /// the loss is finite and the lowest so far.
  void record(double loss, const Parameters<S>& params);
  void count_update() { ++updates_; }
  /// Copies the best parameters into `params`; false when there are none yet.
  bool restore_best(Parameters<S>& params) const;

  std::size_t updates() const { return updates_; }
  const std::vector<double>& losses() const { return losses_; }
  /// The loss history, handed over when the fit has ended.
  std::vector<double> take_losses() { return std::move(losses_); }
  double best_loss() const { return best_loss_; }
  std::size_t best_update() const { return best_update_; }
  /// Seconds spent on this fit, including those before a resume.
  double seconds() const;
  /// What the stopping rules see now.
  FitProgress progress() const { return FitProgress{updates_, &losses_, seconds()}; }

  /// The state and the parameters; the strategies' under "optimizer" and "hook<i>".
  void save(SavedState& out, const Parameters<S>& params) const;
  /// The inverse of save(), into this state, the strategies and `params`. Throws InputError
  /// naming a missing value or array.
  void load(const SavedState& in, Parameters<S>& params);

 private:
  StatefulStrategies<S> strategies_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double seconds_before_ = 0;  // spent before a resume
  std::size_t updates_ = 0;
  std::vector<double> losses_;  // objective before each update
  // Always kept: hooks may restore it, and after a divergence it is what the run reports.
  Parameters<S> best_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  std::size_t best_update_ = 0;
};

extern template class FitState<float>;
extern template class FitState<double>;

}  // namespace kaa
