#include "strategies/stopping/patience.hpp"

namespace kaa::strategies {

template <class S>
auto Patience<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("patience", &Params::patience)
      .min(1)
      .doc("updates without a strictly lower loss before stopping (archetypax: 100)");
  return s;
}

template <class S>
Patience<S>::Patience(const Params& p) : config_(p) {}

template <class S>
std::optional<std::string> Patience<S>::after_update(const FitProgress& p) {
  const auto& l = *p.losses;
  if (l.size() < scanned_) scanned_ = best_index_ = 0;  // a different history: rescan
  for (; scanned_ < l.size(); ++scanned_)
    if (scanned_ == 0 || l[scanned_] < l[best_index_]) best_index_ = scanned_;
  if (!l.empty() && l.size() - 1 - best_index_ >= config_.patience) return "patience";
  return std::nullopt;
}

template class Patience<float>;
template class Patience<double>;

}  // namespace kaa::strategies
