#include "strategies/stopping/loss_delta.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
auto LossDelta<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("tol", &Params::tol)
      .non_negative()
      .doc("absolute change of the loss below which the fit stops");
  return s;
}

template <class S>
LossDelta<S>::LossDelta(const Params& p) : config_(p) {}

template <class S>
std::optional<std::string> LossDelta<S>::after_update(const FitProgress& p) {
  const auto& l = *p.losses;
  if (l.size() >= 2 && std::abs(l[l.size() - 2] - l.back()) < config_.tol) return "loss_delta";
  return std::nullopt;
}

template class LossDelta<float>;
template class LossDelta<double>;

}  // namespace kaa::strategies
