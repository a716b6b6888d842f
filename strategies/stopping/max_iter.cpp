#include "strategies/stopping/max_iter.hpp"

namespace kaa::strategies {

template <class S>
auto MaxIter<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("value", &Params::value).min(1).doc("maximum number of updates");
  return s;
}

template <class S>
MaxIter<S>::MaxIter(const Params& p) : config_(p) {}

template <class S>
std::optional<std::string> MaxIter<S>::after_update(const FitProgress& p) {
  if (p.updates >= config_.value) return "max_iter";
  return std::nullopt;
}

template class MaxIter<float>;
template class MaxIter<double>;

}  // namespace kaa::strategies
