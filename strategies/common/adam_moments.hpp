#pragma once
#include <cmath>
#include <string>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/types.hpp"

namespace kaa::strategies::common {

/// The state of optax's scale_by_adam that both Adam and OptaxChain carry: the update count and
/// the first and second moments of every parameter block.
template <class S>
struct AdamMoments {
  long long count = 0;
  Parameters<S> mu, nu;

  void reset(const std::string& label, const Parameters<S>& like) {
    count = 0;
    mu = allocate_like<S>(label + ".mu", like);
    nu = allocate_like<S>(label + ".nu", like);
  }

  /// 1 - b^count, in the working precision as optax computes it.
  S bias_correction(double b) const {
    return S(1) - static_cast<S>(std::pow(static_cast<S>(b), static_cast<S>(count)));
  }

  void save(SavedState& state, const std::string& prefix) const {
    state.scalars[prefix + ".count"] = count;
    state.put_parameters(prefix + ".mu", mu);
    state.put_parameters(prefix + ".nu", nu);
  }

  void load(const SavedState& state, const std::string& prefix) {
    count = state.scalars.at(prefix + ".count").get<long long>();
    state.get_parameters(prefix + ".mu", mu);
    state.get_parameters(prefix + ".nu", nu);
  }
};

}  // namespace kaa::strategies::common
