#pragma once
#include <vector>

#include "framework/artifact.hpp"
#include "framework/interfaces/row_weighted.hpp"
#include "framework/types.hpp"

namespace kaa {

/// One additive term of the objective.
/// Contract: value_and_grad returns the term's value at `params` and ADDS its gradient into
/// `grad` (which the caller zeroes once per iteration); value() returns the same value without
/// touching any gradient. Values are accumulated in double whatever S is.
template <class S>
class LossTerm : public RowWeighted {
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
  /// Optional: appends to `out` the arrays this term's model defines beyond the parameter blocks
  /// (e.g. products of the blocks with X), in the space of the fit. Called once after a finished
  /// fit, on the rank that writes the result (in a distributed fit X holds that rank's rows).
  virtual void artifacts(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/,
                         std::vector<Artifact>& /*out*/) {}
};

}  // namespace kaa
