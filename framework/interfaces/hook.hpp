#pragma once
#include <cstddef>
#include <functional>
#include <vector>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/types.hpp"

namespace kaa {

/// What a hook sees and may do after an update. `losses` holds the objective before each update
/// (so losses.back() was evaluated at the parameters this update started from).
template <class S>
struct HookContext {
  const Matrix<S>& X;
  Parameters<S>& params;
  std::size_t updates;  // updates done, including the one just made
  const std::vector<double>& losses;
  /// The objective (sum of loss terms) at any parameters.
  std::function<double(const Parameters<S>&)> objective;
  /// Restarts the optimizer's state (moments, step count) from the current parameters.
  std::function<void()> reset_optimizer;
  /// Replaces the parameters by the best seen so far (the ones with the lowest recorded loss).
  /// Returns false when there is none yet.
  std::function<bool()> restore_best;
};

/// A scheduled or conditional action between updates: periodic closed-form updates, blended
/// projections, restarts. Hooks run in config order after the optimizer step and projections.
/// Contract: may rewrite parameters; must keep every block feasible for its projector.
template <class S>
class Hook {
 public:
  virtual ~Hook() = default;
  /// Sizes the workspaces the update loop needs, once per fit before the first update, so that
  /// no update allocates (most strategies have none).
  virtual void prepare(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/) {}
  /// Forgets everything an earlier fit left (counters, snapshots): called at the start of every
  /// fit, before load_state when it resumes. A hook that keeps anything between calls resets it
  /// here, so a Model fitted again gives what a fresh one gives.
  virtual void begin_fit() {}
  virtual void after_update(HookContext<S>& ctx) = 0;
  /// Called once when the loop has stopped (not after a divergence).
  virtual void on_finish(HookContext<S>&) {}
  /// Checkpointing of any state a hook keeps between updates (most keep none).
  virtual void save_state(SavedState&, const std::string& /*prefix*/) const {}
  virtual void load_state(const SavedState&, const std::string& /*prefix*/) {}
};

}  // namespace kaa
