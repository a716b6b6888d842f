#include "tests/walkthrough/loss_below.hpp"
// walkthrough:begin source
namespace kaa::strategies {

template <class S>
Schema LossBelow<S>::schema() {
  Schema s;
  s.number("threshold", 0.0).required().positive().doc("loss below which the fit stops");
  return s;
}

template <class S>
LossBelow<S>::LossBelow(const nlohmann::json& p) : threshold_(p.at("threshold").get<double>()) {}

template <class S>
std::optional<std::string> LossBelow<S>::before_update(const FitProgress& p) {
  if (p.losses->back() < threshold_) return "loss_below";
  return std::nullopt;
}

template class LossBelow<float>;
template class LossBelow<double>;

}  // namespace kaa::strategies
// walkthrough:end source
