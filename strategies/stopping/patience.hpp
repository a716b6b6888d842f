#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// Stops after `patience` consecutive updates whose starting loss was not strictly below the
/// best loss before them (archetypax's early_stopping_patience = 100: no_improvement_count counts
/// the iterations since the last strict new minimum). Pair it with the keep_best hook to end on
/// the best parameters, as archetypax does.
template <class S>
class Patience final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "patience";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "stop after `patience` updates without a strictly lower loss";
  struct Params {
    std::size_t patience = 100;
  };
  static BoundSchema<Params> schema();
  explicit Patience(const Params& config);

  void begin_fit() override { scanned_ = best_index_ = 0; }
  std::optional<std::string> after_update(const FitProgress& p) override;

 private:
  Params config_;
  // A cache of the scan of the loss history (no state of the fit): begin_fit() empties it, so each
  // fit, resumed or not, rescans its history once.
  std::size_t scanned_ = 0, best_index_ = 0;
};

}  // namespace kaa::strategies
