#include "strategies/stopping/relative_improvement.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
Schema RelativeImprovement<S>::schema() {
  Schema s;
  s.number("tol", 1e-6).non_negative().doc("relative improvement below which the fit stops");
  s.integer("start", 20)
      .non_negative()
      .doc("tested only after the update with 0-based index > start (archetypax: it > 20)");
  s.integer("window", 10).min(2).doc("losses in the moving average (archetypax: 10)");
  s.number("eps", 1e-10).non_negative().doc("added to both denominators (archetypax: 1e-10)");
  s.boolean("accept_rising", false)
      .doc(
          "reproduce archetypax's defect: compare signed improvements, so a rising loss also "
          "counts as converged");
  return s;
}

template <class S>
RelativeImprovement<S>::RelativeImprovement(const nlohmann::json& p)
    : tol_(p.at("tol").get<double>()),
      eps_(p.at("eps").get<double>()),
      start_(p.at("start").get<long long>()),
      window_(p.at("window").get<long long>()),
      accept_rising_(p.at("accept_rising").get<bool>()) {}

template <class S>
std::optional<std::string> RelativeImprovement<S>::after_update(const FitProgress& p) {
  const auto& h = *p.losses;
  if (h.size() < 2) return std::nullopt;
  const long long t = static_cast<long long>(h.size()) - 1;
  if (t <= start_) return std::nullopt;
  const double rel = (h[t - 1] - h[t]) / (h[t - 1] + eps_);
  double ma = rel;
  if (t >= window_) {
    double now = 0;
    for (long long s = t - window_ + 1; s <= t; ++s) now += h[s];
    now /= static_cast<double>(window_);
    double before;
    if (t == window_) {
      before = h[window_ - 2];  // archetypax seeds its running average with this loss
    } else {
      before = 0;
      for (long long s = t - window_; s < t; ++s) before += h[s];
      before /= static_cast<double>(window_);
    }
    ma = (before - now) / (before + eps_);
  }
  const bool converged =
      accept_rising_ ? (rel < tol_ && ma < tol_) : (std::abs(rel) < tol_ && std::abs(ma) < tol_);
  if (converged) return std::string("relative_improvement");
  return std::nullopt;
}

template class RelativeImprovement<float>;
template class RelativeImprovement<double>;

}  // namespace kaa::strategies
