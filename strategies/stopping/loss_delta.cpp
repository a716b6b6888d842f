#include "strategies/stopping/loss_delta.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
Schema LossDelta<S>::schema() {
  Schema s;
  s.number("tol", 1e-6).non_negative().doc("absolute change of the loss below which the fit stops");
  return s;
}

template <class S>
LossDelta<S>::LossDelta(const nlohmann::json& p) : tol_(p.at("tol").get<double>()) {}

template <class S>
std::optional<std::string> LossDelta<S>::after_update(const FitProgress& p) {
  const auto& l = *p.losses;
  if (l.size() >= 2 && std::abs(l[l.size() - 2] - l.back()) < tol_) return "loss_delta";
  return std::nullopt;
}

template class LossDelta<float>;
template class LossDelta<double>;

}  // namespace kaa::strategies
