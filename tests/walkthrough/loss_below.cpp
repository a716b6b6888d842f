#include "tests/walkthrough/loss_below.hpp"
// walkthrough:begin source
namespace kaa::strategies {

template <class S>
auto LossBelow<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("threshold", &Params::threshold)
      .required()
      .positive()
      .doc("loss below which the fit stops");
  return s;
}

template <class S>
LossBelow<S>::LossBelow(const Params& config) : config_(config) {}

template <class S>
std::optional<std::string> LossBelow<S>::before_update(const FitProgress& p) {
  if (p.losses->back() < config_.threshold) return "loss_below";
  return std::nullopt;
}

template class LossBelow<float>;
template class LossBelow<double>;

}  // namespace kaa::strategies
// walkthrough:end source
