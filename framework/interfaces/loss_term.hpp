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
  virtual double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                Parameters<S>& grad) = 0;
  virtual double value(const Matrix<S>& X, const Parameters<S>& params) = 0;
};

}  // namespace kaa
