#pragma once
#include "framework/types.hpp"

namespace kaa {

/// One additive term of the objective.
/// Contract: value_and_grad returns the term's value at `params` and ADDS its gradient into
/// `grad` (which the caller zeroes once per iteration); value() returns the same value without
/// touching any gradient. Values are accumulated in double whatever S is.
template <class S>
class LossTerm {
 public:
  virtual ~LossTerm() = default;
  /// Sizes the workspaces the update loop needs, once per fit before the first update, so that
  /// no update allocates (most strategies have none).
  virtual void prepare(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/) {}
  virtual double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                Parameters<S>& grad) = 0;
  virtual double value(const Matrix<S>& X, const Parameters<S>& params) = 0;
  /// Optional: when the term reconstructs X from the weights and archetypes E (k x d) other than
  /// params.archetypes (biarchetypal: Z theta gamma), writes E into `out` and returns true. Metrics
  /// and the transform of new points then use E; the default (false) means params.archetypes.
  virtual bool effective_archetypes(const Parameters<S>& /*params*/, const Matrix<S>& /*out*/) {
    return false;
  }
};

}  // namespace kaa
