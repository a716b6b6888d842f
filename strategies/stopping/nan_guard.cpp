#include "strategies/stopping/nan_guard.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
auto NanGuard<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("bound", &Params::bound).positive().doc("largest |loss| still taken as progress");
  return s;
}

template <class S>
NanGuard<S>::NanGuard(const Params& p) : config_(p) {}

template <class S>
std::optional<std::string> NanGuard<S>::before_update(const FitProgress& p) {
  const double loss = p.losses->back();
  if (!std::isfinite(loss) || std::abs(loss) > config_.bound) {
    return "diverged: loss " + std::to_string(loss) + " at update " + std::to_string(p.updates);
  }
  return std::nullopt;
}

template class NanGuard<float>;
template class NanGuard<double>;

}  // namespace kaa::strategies
