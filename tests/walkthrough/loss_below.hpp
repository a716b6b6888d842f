#pragma once
#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// Stops before the update whose starting loss is below `threshold`: the fit ends on parameters
/// that are good enough.
template <class S>
class LossBelow final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "loss_below";
  static constexpr const char* summary = "stop once the loss is below a threshold";
  struct Params {
    double threshold = 0.0;
  };
  static BoundSchema<Params> schema();
  explicit LossBelow(const Params& config);

  std::optional<std::string> before_update(const FitProgress& p) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
