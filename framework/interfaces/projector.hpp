#pragma once
#include "framework/types.hpp"

namespace kaa {

/// Restores feasibility of one parameter block after each optimizer step.
/// Contract: rewrites `block` in place (weights: n x k; archetypes: k x d) given the fit data X;
/// the block names it may be used on are declared in the registry entry.
template <class S>
class Projector {
 public:
  virtual ~Projector() = default;
  /// Sizes the workspaces the update loop needs, once per fit before the first update, so that
  /// no update allocates (most strategies have none).
  virtual void prepare(const Matrix<S>& /*X*/, const Parameters<S>& /*params*/) {}
  virtual void project(Matrix<S>& block, const Matrix<S>& X) = 0;
};

}  // namespace kaa
