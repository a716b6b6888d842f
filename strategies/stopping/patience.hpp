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

  std::optional<std::string> after_update(const FitProgress& p) override;

 private:
  Params config_;
  // A cache of the scan of the loss history (the rule holds no state of the fit: a fresh rule
  // rescans the history once, e.g. after a resume).
  std::size_t scanned_ = 0, best_index_ = 0;
};

}  // namespace kaa::strategies
