#pragma once
#include "framework/types.hpp"

namespace kaa {

/// Moves the parameters along the (already summed) gradient.
/// Contract: init() is called once with the starting parameters before the first step; step()
/// updates `params` in place and may update `grad` (e.g. clip it).
template <class S>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void init(const Parameters<S>& params) = 0;
  virtual void step(Parameters<S>& params, Parameters<S>& grad) = 0;
};

}  // namespace kaa
