#include "strategies/stopping/max_iter.hpp"

namespace kaa::strategies {

template <class S>
Schema MaxIter<S>::schema() {
  Schema s;
  s.integer("value", 500).min(1).doc("maximum number of updates");
  return s;
}

template <class S>
MaxIter<S>::MaxIter(const nlohmann::json& p) : value_(p.at("value").get<std::size_t>()) {}

template <class S>
std::optional<std::string> MaxIter<S>::after_update(const FitProgress& p) {
  if (p.updates >= value_) return "max_iter";
  return std::nullopt;
}

template class MaxIter<float>;
template class MaxIter<double>;

}  // namespace kaa::strategies
