#include "strategies/stopping/nan_guard.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
Schema NanGuard<S>::schema() {
  Schema s;
  s.number("bound", 1e30).positive().doc("largest |loss| still taken as progress");
  return s;
}

template <class S>
NanGuard<S>::NanGuard(const nlohmann::json& p) : bound_(p.at("bound").get<double>()) {}

template <class S>
std::optional<std::string> NanGuard<S>::before_update(const FitProgress& p) {
  const double loss = p.losses->back();
  if (!std::isfinite(loss) || std::abs(loss) > bound_) {
    return "diverged: loss " + std::to_string(loss) + " at update " + std::to_string(p.updates);
  }
  return std::nullopt;
}

template class NanGuard<float>;
template class NanGuard<double>;

}  // namespace kaa::strategies
