#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// Stops after the update at which |L_prev - L| < tol, L being the loss evaluated before that
/// update (archetypax's rule: `it > 0 and abs(prev_loss - loss) < tol`).
template <class S>
class LossDelta final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "loss_delta";
  static constexpr bool distributed = true;
  static constexpr const char* summary = "stop when |previous loss - loss| < tol";
  struct Params {
    double tol = 1e-6;
  };
  static BoundSchema<Params> schema();
  explicit LossDelta(const Params& config);

  std::optional<std::string> after_update(const FitProgress& p) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
