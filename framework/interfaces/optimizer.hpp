#pragma once
#include <functional>
#include <string>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/types.hpp"

namespace kaa {

/// The objective as an optimizer may query it (for line searches and block solvers). Both
/// re-derive archetypes from mixing weights first when the model has them; value_and_grad zeroes
/// `grad` and fills it (with the archetype gradient chained into mixing).
template <class S>
struct Evaluator {
  std::function<double(Parameters<S>&)> value;
  std::function<double(Parameters<S>&, Parameters<S>&)> value_and_grad;
};

/// Moves the parameters: a gradient method along the (already summed) gradient, or a block
/// solver that updates blocks in closed form from X.
/// Contract: init() is called with the starting parameters before the first step (and again when
/// a hook resets the optimizer); step() updates the blocks it declares (StrategyInfo::blocks) in
/// place and may update `grad` (e.g. clip it). When needs_gradient() is false the model only
/// evaluates the objective and `grad` holds zeros.
template <class S>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  /// Sizes the workspaces the update loop needs, once per fit before the first update, so that
  /// no update allocates (most strategies have none).
  virtual void prepare(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/) {}
  virtual void init(const Matrix<S>& X, const Parameters<S>& params) = 0;
  virtual void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) = 0;
  virtual bool needs_gradient() const { return true; }
  /// Called before init() with the objective of the fit being run.
  void bind(Evaluator<S> evaluator) { evaluator_ = std::move(evaluator); }
  /// Checkpointing: store / restore everything step() depends on besides the parameters
  /// (moments, step counts, step sizes) under keys starting with `prefix`, so a resumed fit
  /// continues bit for bit. Stateless optimizers implement both as no-ops.
  virtual void save_state(SavedState& state, const std::string& prefix) const = 0;
  virtual void load_state(const SavedState& state, const std::string& prefix) = 0;

 protected:
  Evaluator<S> evaluator_;
};

}  // namespace kaa
