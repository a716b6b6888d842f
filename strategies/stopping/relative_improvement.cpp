#include "strategies/stopping/relative_improvement.hpp"

#include <cmath>

namespace kaa::strategies {

template <class S>
auto RelativeImprovement<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("tol", &Params::tol)
      .non_negative()
      .doc("relative improvement below which the fit stops");
  s.integer("start", &Params::start)
      .non_negative()
      .doc("tested only after the update with 0-based index > start (archetypax: it > 20)");
  s.integer("window", &Params::window).min(2).doc("losses in the moving average (archetypax: 10)");
  s.number("eps", &Params::eps)
      .non_negative()
      .doc("added to both denominators (archetypax: 1e-10)");
  s.boolean("accept_rising", &Params::accept_rising)
      .doc(
          "reproduce archetypax's defect: compare signed improvements, so a rising loss also "
          "counts as converged");
  return s;
}

template <class S>
RelativeImprovement<S>::RelativeImprovement(const Params& p) : config_(p) {}

template <class S>
std::optional<std::string> RelativeImprovement<S>::after_update(const FitProgress& p) {
  const auto& h = *p.losses;
  if (h.size() < 2) return std::nullopt;
  const long long t = static_cast<long long>(h.size()) - 1;
  if (t <= config_.start) return std::nullopt;
  const double rel = (h[t - 1] - h[t]) / (h[t - 1] + config_.eps);
  double ma = rel;
  if (t >= config_.window) {
    double now = 0;
    for (long long s = t - config_.window + 1; s <= t; ++s) now += h[s];
    now /= static_cast<double>(config_.window);
    double before;
    if (t == config_.window) {
      before = h[config_.window - 2];  // archetypax seeds its running average with this loss
    } else {
      before = 0;
      for (long long s = t - config_.window; s < t; ++s) before += h[s];
      before /= static_cast<double>(config_.window);
    }
    ma = (before - now) / (before + config_.eps);
  }
  const bool converged = config_.accept_rising
                             ? (rel < config_.tol && ma < config_.tol)
                             : (std::abs(rel) < config_.tol && std::abs(ma) < config_.tol);
  if (converged) return std::string("relative_improvement");
  return std::nullopt;
}

template class RelativeImprovement<float>;
template class RelativeImprovement<double>;

}  // namespace kaa::strategies
