#pragma once
#include <string>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/interfaces/row_weighted.hpp"
#include "framework/types.hpp"

namespace kaa {

/// Moves the parameters: a gradient method along the (already summed) gradient, or a block
/// solver that updates blocks in closed form from X.
/// Contract: init() is called with the starting parameters before the first step of every fit
/// (and again when a hook resets the optimizer) and forgets every earlier step; step() updates the
/// blocks it declares (StrategyInfo::blocks) in place and may update `grad` (e.g. clip it). When
/// needs_gradient() is false the model only evaluates the objective and `grad` holds zeros.
template <class S>
class Optimizer : public RowWeighted {
 public:
  virtual ~Optimizer() = default;
  /// Sizes the workspaces the update loop needs, once per fit before the first update, so that
  /// no update allocates (most strategies have none).
  virtual void prepare(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/) {}
  virtual void init(const Matrix<S>& X, const Parameters<S>& params) = 0;
  virtual void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) = 0;
  virtual bool needs_gradient() const { return true; }
  /// Checkpointing: store / restore everything step() depends on besides the parameters
  /// (moments, step counts, step sizes) under keys starting with `prefix`, so a resumed fit
  /// continues bit for bit. Stateless optimizers implement both as no-ops.
  virtual void save_state(SavedState& state, const std::string& prefix) const = 0;
  virtual void load_state(const SavedState& state, const std::string& prefix) = 0;
};

}  // namespace kaa
